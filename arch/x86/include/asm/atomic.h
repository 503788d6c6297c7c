/* atomic.h (x86): atomic_t's read-modify-write as LOCK XADD / LOCK CMPXCHG (full barriers). */
#ifndef ASM_X86_ATOMIC_H
#define ASM_X86_ATOMIC_H

static inline int arch_atomic_add_return(int i, int *counter)
{
	int old = i;

	__asm__ volatile("lock xaddl %0, %1" : "+r"(old), "+m"(*counter) : : "memory", "cc");
	return old + i;
}

/* Stores new if *counter == old; returns what *counter held (old on success). */
static inline int arch_atomic_cmpxchg(int *counter, int old, int new)
{
	int seen;

	__asm__ volatile("lock cmpxchgl %2, %1"
			 : "=a"(seen), "+m"(*counter) : "r"(new), "0"(old) : "memory", "cc");
	return seen;
}

#endif
