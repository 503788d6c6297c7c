/* spinlock.h (arm64): the ticket lock's instructions — LDAXR/STXR, WFE while waiting (no LSE on the A53). */
#ifndef ASM_ARM64_SPINLOCK_H
#define ASM_ARM64_SPINLOCK_H

#include <asm/barrier.h>
#include <compiler.h>
#include <kernel/spinlock_types.h>

/* Takes a ticket: returns the word before the add (its high half is ours). Acquire. */
static inline u32 arch_ticket_take(arch_spinlock_t *lock)
{
	u32 old, new, fail;

	__asm__ volatile(
	"1:	ldaxr	%w0, %3\n"
	"	add	%w1, %w0, %w4\n"
	"	stxr	%w2, %w1, %3\n"
	"	cbnz	%w2, 1b\n"
	: "=&r"(old), "=&r"(new), "=&r"(fail), "+Q"(lock->val)
	: "r"(TICKET_NEXT)
	: "memory");
	return old;
}

/* The ticket being served, read exclusively: a store to it by the holder wakes our WFE. */
static inline u16 arch_ticket_owner_watch(arch_spinlock_t *lock)
{
	u32 owner;

	__asm__ volatile("ldaxrh %w0, %1" : "=r"(owner) : "Q"(lock->owner) : "memory");
	return (u16)owner;
}

static inline void arch_spin_lock(arch_spinlock_t *lock)
{
	u32 old = arch_ticket_take(lock);
	u16 me = old >> 16;

	if ((u16)old == me)
		return;
	__asm__ volatile("sevl" ::: "memory");	/* the first WFE falls through */
	do
		__asm__ volatile("wfe" ::: "memory");
	while (arch_ticket_owner_watch(lock) != me);
}

/* Takes the lock only if it is free; returns 1 if it did. Acquire on success. */
static inline int arch_spin_trylock(arch_spinlock_t *lock)
{
	u32 old, fail;

	__asm__ volatile(
	"1:	ldaxr	%w0, %2\n"
	"	eor	%w1, %w0, %w0, ror #16\n"	/* zero iff owner == next */
	"	cbnz	%w1, 2f\n"
	"	add	%w0, %w0, %w3\n"
	"	stxr	%w1, %w0, %2\n"
	"	cbnz	%w1, 1b\n"
	"	b	3f\n"
	"2:	clrex\n"
	"	mov	%w1, #1\n"
	"3:\n"
	: "=&r"(old), "=&r"(fail), "+Q"(lock->val)
	: "r"(TICKET_NEXT)
	: "memory", "cc");
	return !fail;
}

/* Serves the next ticket: a store-release of owner + 1 (it also clears the waiters' monitors). */
static inline void arch_spin_unlock(arch_spinlock_t *lock)
{
	u16 next = lock->owner + 1;

	__asm__ volatile("stlrh %w1, %0" : "=Q"(lock->owner) : "r"(next) : "memory");
}

static inline int arch_spin_is_locked(arch_spinlock_t *lock)
{
	u32 v = READ_ONCE(lock->val);

	return (u16)v != (u16)(v >> 16);
}

#endif
