/* atomic.h (arm64): atomic_t's read-modify-write as LDXR/STLXR loops with a full barrier (no LSE on the A53). */
#ifndef ASM_ARM64_ATOMIC_H
#define ASM_ARM64_ATOMIC_H

#include <types.h>

/*
 * Both are fully ordered, as Linux's value-returning atomics: the store-release
 * orders what came before, the DMB ISH after the loop what comes after.
 */
static inline int arch_atomic_add_return(int i, int *counter)
{
	int result;
	u32 fail;

	__asm__ volatile(
	"1:	ldxr	%w0, %2\n"
	"	add	%w0, %w0, %w3\n"
	"	stlxr	%w1, %w0, %2\n"
	"	cbnz	%w1, 1b\n"
	"	dmb	ish\n"
	: "=&r"(result), "=&r"(fail), "+Q"(*counter)
	: "r"(i)
	: "memory");
	return result;
}

/* Stores new if *counter == old; returns what *counter held (old on success). */
static inline int arch_atomic_cmpxchg(int *counter, int old, int new)
{
	int seen;
	u32 fail;

	__asm__ volatile(
	"1:	ldxr	%w0, %2\n"
	"	cmp	%w0, %w3\n"
	"	b.ne	2f\n"
	"	stlxr	%w1, %w4, %2\n"
	"	cbnz	%w1, 1b\n"
	"	dmb	ish\n"
	"	b	3f\n"
	"2:	clrex\n"
	"3:\n"
	: "=&r"(seen), "=&r"(fail), "+Q"(*counter)
	: "r"(old), "r"(new)
	: "memory", "cc");
	return seen;
}

#endif
