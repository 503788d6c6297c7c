/* spinlock.h (x86): the ticket lock's instructions — one LOCK XADD takes a ticket, PAUSE while waiting. */
#ifndef ASM_X86_SPINLOCK_H
#define ASM_X86_SPINLOCK_H

#include <compiler.h>
#include <kernel/spinlock_types.h>
#include <asm/barrier.h>
#include <asm/processor.h>	/* cpu_relax */

/* x86 stores are releases and locked instructions full barriers (SDM 8.2.2): only the compiler needs telling. */
static inline void arch_spin_lock(arch_spinlock_t *lock)
{
	u32 old = TICKET_NEXT;

	__asm__ volatile("lock xaddl %0, %1" : "+r"(old), "+m"(lock->val) : : "memory", "cc");
	while ((u16)old != (u16)(old >> 16)) {
		cpu_relax();
		old = (old & 0xffff0000u) | READ_ONCE(lock->owner);
	}
}

/* Takes the lock only if it is free; returns 1 if it did. */
static inline int arch_spin_trylock(arch_spinlock_t *lock)
{
	u32 old = READ_ONCE(lock->val), seen;

	if ((u16)old != (u16)(old >> 16))
		return 0;
	__asm__ volatile("lock cmpxchgl %2, %1"
			 : "=a"(seen), "+m"(lock->val) : "r"(old + TICKET_NEXT), "0"(old) : "memory", "cc");
	return seen == old;
}

static inline void arch_spin_unlock(arch_spinlock_t *lock)
{
	barrier();
	WRITE_ONCE(lock->owner, (u16)(lock->owner + 1));
}

static inline int arch_spin_is_locked(arch_spinlock_t *lock)
{
	u32 v = READ_ONCE(lock->val);

	return (u16)v != (u16)(v >> 16);
}

#endif
