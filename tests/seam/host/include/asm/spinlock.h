/* spinlock.h (host seam): the ticket lock on GCC's __atomic builtins, so the sanitizers see every access. */
#ifndef HOST_ASM_SPINLOCK_H
#define HOST_ASM_SPINLOCK_H

#include <compiler.h>
#include <kernel/spinlock_types.h>
#include <sched.h>

/* A waiting "CPU" lets the others run: the host may have fewer cores than threads. */
#define cpu_relax()	sched_yield()

static inline void arch_spin_lock(arch_spinlock_t *lock)
{
	u32 old = __atomic_fetch_add(&lock->val, TICKET_NEXT, __ATOMIC_ACQUIRE);
	u16 me = old >> 16;

	while (__atomic_load_n(&lock->owner, __ATOMIC_ACQUIRE) != me)
		sched_yield();	/* threads stand for CPUs: let the holder run */
}

static inline int arch_spin_trylock(arch_spinlock_t *lock)
{
	u32 old = __atomic_load_n(&lock->val, __ATOMIC_RELAXED);

	if ((u16)old != (u16)(old >> 16))
		return 0;
	return __atomic_compare_exchange_n(&lock->val, &old, old + TICKET_NEXT, false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

static inline void arch_spin_unlock(arch_spinlock_t *lock)
{
	u16 next = __atomic_load_n(&lock->owner, __ATOMIC_RELAXED) + 1;

	__atomic_store_n(&lock->owner, next, __ATOMIC_RELEASE);
}

static inline int arch_spin_is_locked(arch_spinlock_t *lock)
{
	u32 v = __atomic_load_n(&lock->val, __ATOMIC_RELAXED);

	return (u16)v != (u16)(v >> 16);
}

#endif
