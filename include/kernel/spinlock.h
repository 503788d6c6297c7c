/* spinlock.h: spinlock_t (a ticket lock: FIFO among waiters), irqsave variants, and pagoda's SMP rules. */
#ifndef PAGODA_SPINLOCK_H
#define PAGODA_SPINLOCK_H

#include <asm/irqflags.h>
#include <asm/spinlock.h>
#include <kernel/atomic.h>
#include <kernel/bug.h>
#include <kernel/percpu.h>
#include <types.h>

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
 * - The lock order, outermost first (the header that owns each lock repeats
 *   its part: mmzone.h, slab.h, vmalloc.c, pgtable.c, highmem.c, panic.c, kfence.c, shmem.h):
 *       slab_caches_lock -> a cache's c->lock
 *       vmap_purge_lock -> init_mm.page_table_lock -> zone->lock
 *       vmap_area_lock -> zone->lock
 *       kmap_lock -> init_mm.page_table_lock
 *       mm->lock -> mm->ctx.page_table_lock -> zone->lock   (a process's, mm_struct.h)
 *       parent mm->ctx.page_table_lock -> child mm->ctx.page_table_lock   (fork's copy walk,
 *           pt_copy_range: the child is new and reachable by nobody else)
 *       mm->lock -> shm->lock -> zone->lock   (a shared anonymous object's, mm/shmem.h;
 *           shm->lock is dropped before the fault maps the page: never held with the table lock)
 *       tasklist_lock -> mm->lock   (/proc/PID/pagemap and kpage* read another process's mm)
 *       vm_area_cache_lock -> slab_caches_lock   (mm/mmap.c: vm_area_cachep made once)
 *       tasklist_lock -> a CPU's rq->lock (kernel/sched.h; rq->lock is held across a
 *           context switch, so arm64's asid_lock, a leaf, is taken inside it)
 *       stop_lock -> the console lock
 *       (any lock an allocation is made under) -> kfence_lock -> the leaves
 *   zone->lock takes nothing but the leaves. Leaves, taken inside anything and
 *   taking nothing: the console lock, printk's capture lock, the stack depot's,
 *   kmemleak_lock (mm/kmemleak.c), arm64's asid_lock (arch/arm64/mmu_context.c),
 *   each CPU's call-queue lock, x86's tlb_shootdown_lock.
 * - Every CPU may call the allocators at any time (zone->lock, the slab and
 *   vmap locks); the secondaries run cross calls and taskset commands from
 *   their IPI handler and otherwise sleep in WFI/HLT.
 * - Critical sections are short and never sleep. One kind of wait for another
 *   CPU happens inside them: an x86 shootdown (under init_mm.page_table_lock)
 *   waits for every CPU's acknowledgement; it cannot deadlock because x86's
 *   cpu_relax() answers a pending shootdown, so a CPU spinning on a lock with
 *   interrupts masked still acknowledges. arm64's TLBI ...IS needs no answer.
 */

/*
 * spinlock_debug (kernel parameter; lib/spinlock_debug.c): every lock's
 * owner, its call sites and hold times are checked — recursion, an unlock by
 * a CPU that does not hold it, a lock taken both with interrupts on and with
 * them masked, a lock held or waited for longer than a deadline. Each finding
 * is one report naming the lock and both call sites. Off, the fields below
 * only cost their bytes and one predictable branch per lock and unlock.
 */
struct spinlock_dbg {
	const char *name;		/* the variable or expression it was defined/initialised as */
	unsigned int owner;		/* owning CPU + 1; 0: free, so a zeroed lock is a free one */
	unsigned int recursion;		/* nested takes by the owner, refused and reported */
	unsigned long owner_ip;		/* where the owner took it */
	u64 taken_at;			/* arch_counter_read() when it was taken */
	unsigned long irqs_on_ip;	/* first place seen taking it with interrupts on; 0: never */
	unsigned long irqs_off_ip;	/* ... with interrupts masked */
	unsigned int lockups;		/* waits reported as a suspected lockup */
	atomic_t irq_mix_reported;	/* 1 once the mix was reported: the first CPU to set it reports */
};

typedef struct {
	arch_spinlock_t raw;
	struct spinlock_dbg dbg;
} spinlock_t;

#define __SPIN_LOCK_UNLOCKED(lockname)	{ __ARCH_SPIN_LOCK_UNLOCKED, { .name = #lockname } }
#define DEFINE_SPINLOCK(x)		spinlock_t x = __SPIN_LOCK_UNLOCKED(x)
#define spin_lock_init(lock)		__spin_lock_init((lock), #lock)

extern bool spinlock_debug;
extern unsigned long spinlock_debug_deadline_ms;	/* hold/wait deadline (spinlock_debug=MS) */
/*
 * The debug entry points are real calls, so the call site they record (their
 * return address) is the line that called spin_lock, spin_unlock, ... — those
 * are inline.
 */
void spin_lock_debug(spinlock_t *lock);
int spin_trylock_debug(spinlock_t *lock);
void spin_unlock_debug(spinlock_t *lock);

static inline void __spin_lock_init(spinlock_t *lock, const char *name)
{
	*lock = (spinlock_t){ __ARCH_SPIN_LOCK_UNLOCKED, { .name = name } };
}

/* Waits (FIFO: first come, first served) until the lock is ours; acquire ordering. */
static __always_inline void spin_lock(spinlock_t *lock)
{
	if (unlikely(spinlock_debug)) {
		spin_lock_debug(lock);
		__asm__ volatile("" ::: "memory");	/* not a tail call: the site stays the caller's */
	} else
		arch_spin_lock(&lock->raw);
}

/* Takes the lock if it is free; returns 1 if it did, 0 without waiting otherwise. */
static __always_inline int spin_trylock(spinlock_t *lock)
{
	if (unlikely(spinlock_debug))
		return spin_trylock_debug(lock);
	return arch_spin_trylock(&lock->raw);
}

/* Release ordering: every access inside the section is seen before the next holder's. */
static __always_inline void spin_unlock(spinlock_t *lock)
{
	if (unlikely(spinlock_debug)) {
		spin_unlock_debug(lock);
		__asm__ volatile("" ::: "memory");	/* not a tail call: the site stays the caller's */
	} else
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
#define local_irq_enable()		arch_local_irq_enable()
#define local_irq_disable()		arch_local_irq_disable()
#define irqs_disabled()			arch_irqs_disabled_flags(arch_local_save_flags())

/* spin_lock_irqsave(lock, flags): masks interrupts on this CPU, then takes the lock. */
#define spin_lock_irqsave(lock, flags) \
	do { local_irq_save(flags); spin_lock(lock); } while (0)

#define spin_unlock_irqrestore(lock, flags) \
	do { spin_unlock(lock); local_irq_restore(flags); } while (0)

/*
 * The lock must be held here: by someone, as far as a ticket lock can tell;
 * by this CPU, when spinlock_debug keeps owners.
 */
#define lockdep_assert_held(lock) \
	BUG_ON(!spin_is_locked(lock) || \
	       (spinlock_debug && READ_ONCE((lock)->dbg.owner) != smp_processor_id() + 1))

#endif
