/* slab_array.c: slab's per-CPU arrays — their block, growth while a CPU sees a burst, the reap that shrinks them back. */
#include "slab_internal.h"
#include <errno.h>
#include <kernel/arch.h>
#include <kernel/debugfs.h>
#include <kernel/irq.h>
#include <kernel/seq_buf.h>
#include <string.h>

/*
 * Design (mm/slab.c has the arrays' part in the fast paths).
 *
 * Every cache with arrays gets one block from the buddy when it is created:
 * the shared array, then one array per possible CPU (its home), each with
 * c->limit slots (the budgets in mm/slab.c). Not from kmalloc: creating and
 * destroying a cache leaves the kmalloc caches as they were, and MemFree too.
 *
 * Bursts. The budgets keep make bench's mixed workload under 20 % overhead,
 * but they make a burst of large objects (256 allocated, then freed) go
 * through the lock, the slabs and the buddy for nearly every object: with two
 * 4 KiB objects per array, 4.5x slower than mimalloc. So a CPU's array grows
 * while that CPU frees a burst: when SLAB_BURST_OBJECTS objects in a row left
 * it by overflows, with no refill between, its limit doubles, up to
 * SLAB_BURST_BYTES of objects (SLAB_CPU_MAX slots). Past its home's slots the
 * CPU moves to an array of its own, one page from the buddy. Only frees grow
 * it: what a bigger array holds is what was freed into it, and a burst of
 * allocations alone (a live set being built) would only fill it with objects
 * taken from the slabs early. On make bench's mixed workload, whose live set
 * is built first, growing on refills too held 1.2 % more of the bytes.
 *
 * Why a streak tells a burst: under a steady mix of allocations and frees an
 * array's level is a random walk, and refills and overflows alternate. Right
 * after an overflow the next event is an overflow again with probability 3/4
 * for a two-slot array (4 KiB objects) and about 9/16 for a 16-slot one
 * (512 B), so 128 objects' worth of overflows in a row is a chance of 1e-16
 * and 1e-4. A burst of frees does it every time. On make bench's mixed
 * workload no array grows (slab_test's burst_needs_a_streak checks a random
 * mix).
 *
 * Giving it back. The streak is kept on the slow path only (refills and
 * overflows), so the quick path is as it was; the slow path also marks the
 * array touched. Every 2 s (Linux SLAB's REAPTIMEOUT_AC) each CPU's tick
 * reaps its own arrays (2 s of the counter, not 200 ticks: see
 * slab_reap_tick_at): one above its cache's limit and not touched since the
 * last reap has its limit halved and its oldest objects above that flushed;
 * back at the cache's limit it moves home and its page goes back to the
 * buddy. A drain (kmem_cache_shrink, kmem_cache_shrink_all) does it all at once.
 *
 * Locks. CPU n's pointer c->cpu_cache[n] (and, for a kmalloc cache, its
 * entries in CPU n's kmalloc direct table) changes only on CPU n, with
 * interrupts masked and c->lock held; another CPU reads it (and the array's
 * avail) only under c->lock. So a grown array's page is freed only after the
 * pointer went home, when no reader can still hold it.
 */

#define REAP_INTERVAL_S	2	/* seconds between two reaps of a CPU's arrays */

/* Bytes an array of limit objects takes (a whole number of cache lines: no false sharing). */
static size_t array_bytes(unsigned int limit)
{
	return ALIGN(sizeof(struct kmem_cache_cpu) + limit * sizeof(void *), L1_CACHE_BYTES);
}

/* The buddy order of the block holding c's shared array, then each CPU's. */
static unsigned int cpu_arrays_order(const struct kmem_cache *c)
{
	size_t bytes = array_bytes(c->shared_limit) + array_bytes(c->limit) * CONFIG_NR_CPUS;
	unsigned int order = 0;

	while ((PAGE_SIZE << order) < bytes)
		order++;
	return order;
}

/* CPU cpu's home array in c's block (c has arrays: c->limit != 0). */
static struct kmem_cache_cpu *cpu_array_home(const struct kmem_cache *c, unsigned int cpu)
{
	return (void *)((char *)c->shared + array_bytes(c->shared_limit) + cpu * array_bytes(c->limit));
}

/* CPU cpu's array of c is ac from now on, for c's pointer and kmalloc's direct table alike. */
static void set_cpu_array(struct kmem_cache *c, unsigned int cpu, struct kmem_cache_cpu *ac)
{
	WRITE_ONCE(c->cpu_cache[cpu], ac);
	kmalloc_set_cpu_array(c, cpu, ac);
}

/* Whether CPU cpu's array of c is a grown one, with a page of its own (c->lock held, or on CPU cpu). */
bool kmem_cache_cpu_grown(const struct kmem_cache *c, unsigned int cpu)
{
	return c->limit && c->cpu_cache[cpu] != cpu_array_home(c, cpu);
}

/*
 * The most objects a grown array of c holds: SLAB_BURST_BYTES, at most 1/16
 * of RAM, at most SLAB_CPU_MAX. An array takes in a burst of n frees without
 * an overflow, round after round, only if it has room for about 2n: with
 * room for n, an allocation phase that found fewer than n objects refills a
 * batch, the leftovers of which overflow in the next free phase, and the
 * array settles in an orbit of one refill and one flush per burst (a model of
 * 256-object bursts: limit 256 churned from 6 of 8 starting levels, 486 from
 * 2, 510 from none). So 2 MiB: 510 objects of 4 KiB.
 */
static unsigned int burst_limit(const struct kmem_cache *c)
{
	unsigned long bytes = min((unsigned long)SLAB_BURST_BYTES, (totalram_pages() << PAGE_SHIFT) / 16);

	return clamp((unsigned int)(bytes / c->object_size), c->limit, (unsigned int)SLAB_CPU_MAX);
}

/* free_cpu_arrays: every array of c back to the buddy (c is being destroyed: no CPU uses it). */
void free_cpu_arrays(struct kmem_cache *c)
{
	unsigned int i;

	for (i = 0; i < CONFIG_NR_CPUS; i++)
		if (kmem_cache_cpu_grown(c, i))
			__free_pages(virt_to_page(c->cpu_cache[i]), 0);
	if (c->shared != &slab_no_array)
		__free_pages(virt_to_page(c->shared), cpu_arrays_order(c));
	c->shared = &slab_no_array;
	for (i = 0; i < CONFIG_NR_CPUS; i++)
		set_cpu_array(c, i, &slab_no_array);
}

/*
 * alloc_cpu_arrays: the shared array and one array per possible CPU,
 * cache-line apart in one block from the buddy. Installed before any other
 * CPU can see the cache. Returns 0, or -1 with no array installed.
 */
int alloc_cpu_arrays(struct kmem_cache *c)
{
	struct page *pg;
	unsigned int i;

	c->burst_limit = c->limit;
	if (!c->limit)
		return 0;
	c->burst_limit = burst_limit(c);
	pg = alloc_pages(GFP_KERNEL, cpu_arrays_order(c));	/* lowmem: in the linear map */
	if (!pg)
		return -1;
	c->shared = page_address(pg);
	*c->shared = (struct kmem_cache_cpu){ .limit = c->shared_limit, .batch = (u16)c->batch };
	for (i = 0; i < CONFIG_NR_CPUS; i++) {
		struct kmem_cache_cpu *ac = cpu_array_home(c, i);

		*ac = (struct kmem_cache_cpu){ .limit = c->limit, .batch = (u16)c->batch };
		set_cpu_array(c, i, ac);
	}
	return 0;
}

/*
 * cpu_array_note: moved objects came into this CPU's array ac of c by a
 * refill (moved > 0) or left it by an overflow (moved < 0); interrupts
 * masked. Returns whether the overflows in a row make a burst and the array
 * may grow: then the caller calls cpu_array_grow once it holds no lock.
 */
bool cpu_array_note(const struct kmem_cache *c, struct kmem_cache_cpu *ac, int moved)
{
	ac->touched = 1;
	if (moved > 0 || ac->limit >= c->burst_limit) {
		ac->streak = 0;
		return false;
	}
	ac->streak = (u16)(ac->streak - moved);
	return ac->streak >= SLAB_BURST_OBJECTS;
}

static void set_array_limit(struct kmem_cache_cpu *ac, unsigned int limit)
{
	ac->limit = limit;
	ac->batch = (u16)((limit + 1) / 2);
	ac->streak = 0;
}

/*
 * cpu_array_grow: this CPU's array of c doubles its limit (up to
 * burst_limit), moving to a page of its own the first time. Called with no
 * lock held, interrupts as the caller has them. If the page cannot be had,
 * nothing changes: the burst goes on through the slabs.
 */
void cpu_array_grow(struct kmem_cache *c)
{
	unsigned int cpu = smp_processor_id();	/* kernel code is never moved to another CPU */
	struct kmem_cache_cpu *ac, *home = cpu_array_home(c, cpu);
	struct page *pg = NULL;
	unsigned long flags;

	if (READ_ONCE(c->cpu_cache[cpu]) == home) {
		pg = alloc_pages(GFP_KERNEL | __GFP_NOWARN | __GFP_NORETRY, 0);
		if (!pg)
			return;
	}
	slab_lock_irqsave(&c->lock, flags);
	ac = c->cpu_cache[cpu];
	if (ac == home && pg) {
		struct kmem_cache_cpu *big = page_address(pg);

		BUILD_BUG_ON(SLAB_CPU_ARRAY_BYTES > PAGE_SIZE);
		memcpy(big, ac, sizeof(*ac) + ac->avail * sizeof(void *));
		set_cpu_array(c, cpu, big);
		ac = big;
		pg = NULL;
	}
	if (ac != home)
		set_array_limit(ac, min(2 * ac->limit, c->burst_limit));
	slab_unlock_irqrestore(&c->lock, flags);
	if (pg)		/* an interrupt grew it meanwhile */
		__free_pages(pg, 0);
}

/*
 * cpu_array_shrink: this CPU's array of c down to limit objects (at least
 * c->limit), the oldest above it flushed; at c->limit a grown array moves home
 * and its page goes back. Interrupts masked by the caller; c->lock not held.
 */
static void cpu_array_shrink(struct kmem_cache *c, unsigned int limit)
{
	unsigned int cpu = smp_processor_id();
	struct kmem_cache_cpu *ac = c->cpu_cache[cpu], *home = cpu_array_home(c, cpu);

	if (ac->avail > limit)
		cache_flush(c, ac, ac->avail - limit);
	set_array_limit(ac, limit);
	ac->touched = 0;
	if (limit != c->limit || ac == home)
		return;
	spin_lock(&c->lock);
	memcpy(home, ac, sizeof(*ac) + ac->avail * sizeof(void *));
	set_cpu_array(c, cpu, home);
	spin_unlock(&c->lock);
	__free_pages(virt_to_page(ac), 0);
}

/* Runs on each CPU (on_each_cpu, interrupts masked): gives its own array of c back to the slabs, and a grown one's page. */
void slab_drain_cpu(struct kmem_cache *c)
{
	struct kmem_cache_cpu *ac = c->cpu_cache[smp_processor_id()];

	if (!c->limit)
		return;		/* no arrays: slab_no_array is never written */
	if (ac->avail)
		cache_flush(c, ac, ac->avail);
	cpu_array_shrink(c, c->limit);
}

/*
 * The online CPUs whose array of c holds objects or a page of its own: what a
 * drain must reach, read under c->lock without their help. A hint: an object
 * freed after the look could as well have been freed after the drain. A cache
 * no other CPU used costs no cross call.
 */
cpumask_t slab_cpus_holding(struct kmem_cache *c)
{
	cpumask_t mask = 0;
	unsigned long flags;
	unsigned int cpu;

	slab_lock_irqsave(&c->lock, flags);
	for_each_online_cpu(cpu)
		if (c->cpu_cache[cpu]->avail || kmem_cache_cpu_grown(c, cpu))
			mask |= cpumask_of(cpu);
	slab_unlock_irqrestore(&c->lock, flags);
	return mask;
}

/*
 * cache_reap: this CPU's grown arrays that no refill or overflow touched since
 * the last reap give back half. Interrupts masked (the tick). If another CPU
 * holds the list of caches, this reap is skipped (false): the next tick's
 * comes soon.
 */
bool cache_reap(void)
{
	unsigned int cpu = smp_processor_id();
	struct kmem_cache *c;

	if (!spin_trylock(&slab_caches_lock))
		return false;
	list_for_each_entry(c, &slab_caches, list) {
		struct kmem_cache_cpu *ac = c->cpu_cache[cpu];

		if (ac->limit <= c->limit)
			continue;
		if (ac->touched)
			ac->touched = 0;
		else
			cpu_array_shrink(c, max(c->limit, ac->limit / 2));
	}
	spin_unlock(&slab_caches_lock);
	return true;
}

/*
 * Runs on each CPU (on_each_cpu, interrupts masked): its grown arrays back to
 * their caches' limits. It waits for the list's lock, as drain_all_caches_cpu
 * does: no holder of slab_caches_lock allocates pages or waits for a cross
 * call. (A trylock here skipped this CPU's drain whenever a sibling's drain
 * of the same cross call held the list: the allocation that failed then
 * found the burst's pages still held; slab_array's buddy_failure_drains_grown
 * failed 1 run in 20 under TSan beside two busy loops.)
 */
static void drain_grown_cpu(void *unused)
{
	unsigned int cpu = smp_processor_id();
	struct kmem_cache *c;

	(void)unused;
	spin_lock(&slab_caches_lock);
	list_for_each_entry(c, &slab_caches, list)
		if (kmem_cache_cpu_grown(c, cpu))
			cpu_array_shrink(c, c->limit);
	spin_unlock(&slab_caches_lock);
}

/*
 * slab_drain_grown: what bursts left in every CPU's grown arrays goes back to
 * the slabs, and the pages that frees to the buddy, with the arrays' own.
 * The page allocator's last try before it fails (mm/page_alloc.c): the
 * shrinker of this memory, which the reap would otherwise give back only
 * within 2-16 s.
 */
void slab_drain_grown(void)
{
	on_each_cpu(drain_grown_cpu, NULL, 1);
}

/* Per CPU: the counter's value (arch_counter_read) from which its next reap is due; only that CPU touches it. */
static DEFINE_PER_CPU(u64, reap_due);

/*
 * slab_reap_tick_at: cache_reap if this CPU's reap is due at counter value
 * now, and the next one REAP_INTERVAL_S later. 1 if it reaped, 0 if not due,
 * -EBUSY if due but cache_reap had to skip (due again at the next tick). Due
 * by the counter, not by counting ticks, as Linux's reap is a delayed work on
 * jiffies, which the tick advances by the time that passed: a CPU whose ticks
 * were lost (a vCPU the host did not run for a while: neither arch makes
 * missed ticks up) still reaps every 2 s. Counted in ticks, a raspi3b QEMU
 * sharing a host core with two busy loops reaped twice in 9 s (slab_array.t:
 * "reaped from 256 to 128"). Interrupts masked.
 */
int slab_reap_tick_at(u64 now)
{
	u64 *due = this_cpu_ptr(reap_due);

	if (now < *due)
		return 0;
	if (!cache_reap())
		return -EBUSY;
	*due = now + REAP_INTERVAL_S * arch_counter_freq();
	return 1;
}

void slab_reap_tick(void)
{
	slab_reap_tick_at(arch_counter_read());
}

/* For the suites: this CPU's next reap due at counter value due; returns the one it replaces. Interrupts masked. */
u64 slab_reap_set_due(u64 due)
{
	u64 *p = this_cpu_ptr(reap_due), old = *p;

	*p = due;
	return old;
}

/*
 * /sys/kernel/debug/slab/cpu_arrays: every per-CPU array that a burst grew,
 * one row each (cache, CPU, limit, objects held, batch); the cache's own
 * limit beside it. An array not listed holds at most its cache's limit
 * (/proc/slabinfo's <limit>).
 */
static void cpu_arrays_show(struct seq_buf *s)
{
	struct kmem_cache *c;
	unsigned long flags, f2;
	unsigned int cpu;

	seq_buf_printf(s, "# name            cpu  limit  avail  batch  cache-limit\n");
	slab_lock_irqsave(&slab_caches_lock, flags);
	list_for_each_entry(c, &slab_caches, list) {
		slab_lock_irqsave(&c->lock, f2);
		for_each_online_cpu(cpu) {
			const struct kmem_cache_cpu *ac = c->cpu_cache[cpu];

			if (kmem_cache_cpu_grown(c, cpu))
				seq_buf_printf(s, "%-17s %3u %6u %6u %6u %12u\n", c->name, cpu, ac->limit,
					       ac->avail, ac->batch, c->limit);
		}
		slab_unlock_irqrestore(&c->lock, f2);
	}
	slab_unlock_irqrestore(&slab_caches_lock, flags);
}
DEBUGFS_FILE(slab_cpu_arrays, "/sys/kernel/debug/slab/cpu_arrays", cpu_arrays_show);
