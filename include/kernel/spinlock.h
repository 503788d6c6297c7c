/* spinlock.h: spinlock_t (a ticket lock: FIFO among waiters), irqsave variants, and pagoda's SMP rules. */
#ifndef PAGODA_SPINLOCK_H
#define PAGODA_SPINLOCK_H

#include <asm/irqflags.h>
#include <asm/spinlock.h>
#include <kernel/bug.h>

/*
 * pagoda's SMP rules (DESIGN.md rule 9), written once:
 *
 * - Per-CPU data (include/kernel/percpu.h) is touched only by its own CPU, with
 *   interrupts masked (local_irq_save) around each access that an interrupt
 *   handler could also make. Anything that crosses CPUs — a remote free, a
 *   drain, a TLB shootdown — goes through one named slow path under a lock.
 * - Shared state has one named lock, declared next to the fields it protects
 *   ("protected by zone->lock"); a function that needs a lock held says so with
 *   lockdep_assert_held().
 * - A lock taken by code an interrupt may run is taken with spin_lock_irqsave,
 *   never with spin_lock, or the interrupt deadlocks against its own CPU.
 * - The lock order is written once, at the top of the header that owns the
 *   locks. Today there is one ordering rule: zone->lock is taken before nothing
 *   (it is innermost). The allocators are not locked yet (issue 12): until
 *   they are, only the boot CPU may call them; the secondaries only idle.
 * - Critical sections are short and never sleep or wait for another CPU.
 */

typedef struct {
	arch_spinlock_t raw;
} spinlock_t;

#define __SPIN_LOCK_UNLOCKED(name)	{ __ARCH_SPIN_LOCK_UNLOCKED }
#define DEFINE_SPINLOCK(name)		spinlock_t name = __SPIN_LOCK_UNLOCKED(name)

static inline void spin_lock_init(spinlock_t *lock)
{
	*lock = (spinlock_t)__SPIN_LOCK_UNLOCKED(lock);
}

/* Waits (FIFO: first come, first served) until the lock is ours; acquire ordering. */
static inline void spin_lock(spinlock_t *lock)
{
	arch_spin_lock(&lock->raw);
}

/* Takes the lock if it is free; returns 1 if it did, 0 without waiting otherwise. */
static inline int spin_trylock(spinlock_t *lock)
{
	return arch_spin_trylock(&lock->raw);
}

/* Release ordering: every access inside the section is seen before the next holder's. */
static inline void spin_unlock(spinlock_t *lock)
{
	arch_spin_unlock(&lock->raw);
}

/* Whether anyone holds it (a hint for assertions: it may change at once). */
static inline int spin_is_locked(spinlock_t *lock)
{
	return arch_spin_is_locked(&lock->raw);
}

/* local_irq_save(flags): masks interrupts on this CPU, keeping the old state in flags. */
#define local_irq_save(flags)		do { (flags) = arch_local_irq_save(); } while (0)
#define local_irq_restore(flags)	arch_local_irq_restore(flags)
#define irqs_disabled()			arch_irqs_disabled_flags(arch_local_save_flags())

/* spin_lock_irqsave(lock, flags): masks interrupts on this CPU, then takes the lock. */
#define spin_lock_irqsave(lock, flags) \
	do { local_irq_save(flags); spin_lock(lock); } while (0)

static inline void spin_unlock_irqrestore(spinlock_t *lock, unsigned long flags)
{
	spin_unlock(lock);
	local_irq_restore(flags);
}

/* The lock must be held here (by this CPU, as far as a ticket lock can tell: by someone). */
#define lockdep_assert_held(lock) \
	BUG_ON(!spin_is_locked(lock))

#endif
