/* kfence.c: KFENCE — sampled slab objects on guarded pages of their own, faults and broken canaries reported as Linux does. */
#include "slab_internal.h"
#include <mm/kfence.h>
#include <mm/kmemleak.h>
#include <mm/mm.h>
#include <mm/pgtable.h>
#include <mm/prot.h>
#include <mm/slab.h>
#include <mm/vmalloc.h>
#include <kernel/atomic.h>
#include <kernel/debugfs.h>
#include <kernel/kallsyms.h>
#include <kernel/param.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>
#include <kernel/stackdepot.h>
#include <kernel/stacktrace.h>
#include <kernel/time.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The pool: KFENCE_POOL_PAGES pages of VA in the vmalloc space, inside one
 * last-level page table (the area is that table's span, aligned to it, so no
 * other area's unmap can free the table; each page's slot is looked up once,
 * at init, and written through the leaf-slot API of mm/pgtable.c):
 *
 *   page   0      1      2      3      4      ...  2K+2   2K+3
 *          guard  guard  obj 0  guard  obj 1  ...  obj K  guard
 *
 * An object page is mapped (to its own buddy page, kept for the pool's life)
 * while its object is allocated; everything else is unmapped, except a page
 * a report unprotected so the faulting access could complete (a guard gets
 * the scratch page, a freed object's page its own page): such a page is
 * protected again at the next allocation or free of an object beside it.
 */
char *__kfence_pool;			/* published once, by kfence_init */
/*
 * Read without a lock by the hooks; written by kfence_init and the test hooks
 * (kfence_set_sample_interval, kfence_force_sampling). The gate is
 * SLAB_QUICK_KFENCE (include/mm/kfence.h); the rest of its state is CPU 0's,
 * read and written only by CPU 0 with interrupts masked (__kfence_poll),
 * except gate_gen, gate_held and gate_pauses, which any CPU may write and
 * CPU 0 or the sampled allocation reads.
 */
bool kfence_enabled;
static unsigned long sample_interval = KFENCE_DEFAULT_INTERVAL;	/* ms */
static unsigned long gate_gen = 1;	/* bumped by each change of interval: CPU 0 restarts its clock */
static bool gate_held;			/* kfence_force_sampling: the gate stays open */
static atomic_t gate_pauses;		/* kfence_gate_pause - kfence_gate_resume: the clock opens nothing while > 0 */
static struct {
	u64 due;			/* the counter's value at which the gate opens next */
	u64 ticks;			/* the interval, in counter ticks */
	unsigned long gen;		/* the gate_gen they were computed for (0: not yet) */
} gate_clock;

#define KFENCE_STACK_DEPTH	STACK_DEPOT_MAX_FRAMES
#define KFENCE_MAX_DIGITS	9	/* kfence.sample_interval= takes 0 .. 999999999 */
#define REPORT_LINE		"=================================================================="

#ifdef CONFIG_KASAN
#define KFENCE_UNDER_KASAN	1
#else
#define KFENCE_UNDER_KASAN	0
#endif

/* Linux's canary byte: 0xaa with the address's low 3 bits folded in, so a shifted copy shows. */
#define KFENCE_CANARY_PATTERN(addr)	((u8)(0xaa ^ ((unsigned long)(addr) & 0x7)))
/* Eight of them at an 8-byte-aligned address (both arches are little-endian): the page is filled and checked a word at a time. */
#define KFENCE_CANARY_PATTERN_U64	(0xaaaaaaaaaaaaaaaaULL ^ 0x0706050403020100ULL)

enum kfence_object_state { KFENCE_OBJECT_UNUSED, KFENCE_OBJECT_ALLOCATED, KFENCE_OBJECT_FREED };

enum kfence_error {
	KFENCE_ERROR_OOB, KFENCE_ERROR_UAF, KFENCE_ERROR_CORRUPTION, KFENCE_ERROR_INVALID,
	KFENCE_ERROR_INVALID_FREE,
};

struct kfence_track {
	depot_stack_handle_t stack;
	unsigned int cpu;
	u64 ts_nsec;
};

/* One object of the pool. Every field but pa (set by kfence_init), and everything in `pool`, is protected by kfence_lock. */
struct kfence_metadata {
	enum kfence_object_state state;
	unsigned long addr;		/* the object's first byte (in its page, against a guard) */
	size_t size;			/* the size asked for */
	char cache_name[32];		/* a copy: the cache may be destroyed while the record is shown */
	const struct kmem_cache *cache;	/* the cache it came from; NULL once that cache is destroyed */
	paddr_t pa;			/* the object page's own page */
	struct kfence_track alloc_track, free_track;
};

/*
 * kfence_lock protects the objects' metadata and the pool's state. Lock order:
 * it is taken inside any lock an allocation or free is made under (the slab
 * hooks run before the caches' own locks) and takes only leaves inside it
 * (the console, printk's capture, the stack depot, x86's shootdown).
 */
static DEFINE_SPINLOCK(kfence_lock);
static struct kfence_metadata kfence_metadata[KFENCE_NUM_OBJECTS];
static struct {
	unsigned int fifo[KFENCE_NUM_OBJECTS];	/* free objects, oldest freed first (longest protected) */
	unsigned int head, nr_free;
	bool unprotected[KFENCE_POOL_PAGES];	/* mapped by a report, to be protected again */
	bool place_left;			/* the next object goes against its left guard */
	unsigned long allocated, allocs, frees, zombies, bugs, skip_incompatible, skip_capacity;
} pool;
/* Written once by kfence_init, before __kfence_pool is published; read-only after. */
static pte_t *slot[KFENCE_POOL_PAGES];
static paddr_t scratch_pa;
#define KFENCE_PAGES_ORDER	6	/* 2^6 pages hold the 63 object pages and the scratch page */
static struct page *pool_pages;		/* the object pages, then the scratch page */

/*
 * Weak: the slab-only host programs (fuzzer, slab bench) link no vmalloc and
 * no page tables; KFENCE is off there (kfence_init is never called) and these
 * are never reached.
 */
extern struct vm_struct *get_vm_area_caller(unsigned long size, unsigned long align, unsigned int flags,
					    unsigned long caller) __weak;
extern void free_vm_area(struct vm_struct *vm) __weak;
extern int vmap_range(unsigned long addr, paddr_t pa, unsigned long size, unsigned long prot) __weak;
extern pte_t *pt_leaf_slot(struct mm_ctx *ctx, vaddr_t va) __weak;
extern int pt_set_leaf(struct mm_ctx *ctx, pte_t *slot, paddr_t pa, u32 prot) __weak;
extern void pt_clear_leaf(struct mm_ctx *ctx, pte_t *slot, vaddr_t va, struct pt_gather *gather) __weak;
extern struct mm_ctx init_mm __weak;

/*
 * kfence.sample_interval=N (Linux's name and unit): the gate opens every N
 * milliseconds, so the next slab allocation is sampled; 0 turns KFENCE off
 * (no pool is made). The default is Linux's, 100. A sampled allocation costs
 * about 10 000 instructions (a page mapped, 4 KiB of canary written and
 * checked a word at a time, two stacks saved, a TLB flush at free); between
 * samples KFENCE costs the slab's quick paths nothing (include/mm/kfence.h).
 * Anything that is not a decimal number of at most 9 digits: one line, and
 * the default.
 */
static int setup_sample_interval(const char *val)
{
	size_t n = strlen(val), i;

	for (i = 0; i < n && isdigit((unsigned char)val[i]); i++)
		;
	if (!n || i != n || n > KFENCE_MAX_DIGITS) {
		printk("kfence: kfence.sample_interval=%s is not a number of milliseconds (0-999999999); using the default %u\n",
		       val, KFENCE_DEFAULT_INTERVAL);
		sample_interval = KFENCE_DEFAULT_INTERVAL;
		return 0;
	}
	sample_interval = strtoul(val, NULL, 10);
	return 0;
}
early_param("kfence.sample_interval", setup_sample_interval);

/* ---- the pool's pages ------------------------------------------------------------------- */

static unsigned long page_addr(unsigned int page)
{
	return (unsigned long)__kfence_pool + (unsigned long)page * PAGE_SIZE;
}

static unsigned int obj_page(unsigned int idx)
{
	return 2 * idx + 2;
}

int kfence_object_index(const void *addr)
{
	unsigned long page;

	if (!is_kfence_address(addr))
		return -1;
	page = ((unsigned long)addr - (unsigned long)__kfence_pool) / PAGE_SIZE;
	return page >= 2 && !(page & 1) ? (int)(page / 2 - 1) : -1;
}

/* Unmaps pool page `page` (mapped), flushing it from every TLB. kfence_lock held. */
static void protect_page(unsigned int page)
{
	pt_clear_leaf(&init_mm, slot[page], page_addr(page), NULL);
	pool.unprotected[page] = false;
}

/* Maps pool page `page` (unmapped) to pa, RW. kfence_lock held (or init). */
static bool unprotect_page(unsigned int page, paddr_t pa)
{
	return !pt_set_leaf(&init_mm, slot[page], pa, PAGE_KERNEL);
}

/* The guards beside object page `page` go back to unmapped if a report mapped them. kfence_lock held. */
static void protect_guards(unsigned int page)
{
	if (pool.unprotected[page - 1])
		protect_page(page - 1);
	if (pool.unprotected[page + 1])
		protect_page(page + 1);
}

/* Gives back what kfence_init took (on its error path: nothing of it is mapped). */
static void pool_free_pages(struct vm_struct *vm)
{
	if (pool_pages)
		__free_pages(pool_pages, KFENCE_PAGES_ORDER);
	pool_pages = NULL;
	if (vm)
		free_vm_area(vm);
}

/*
 * The object pages and the scratch page: one block from the buddy (one call,
 * so a boot's fail_nth sweep meets KFENCE once); the page table under the VA
 * range and its slots.
 */
static bool pool_setup(struct vm_struct *vm)
{
	unsigned long base = (unsigned long)vm->addr;
	unsigned int i;
	paddr_t pa;

	BUILD_BUG_ON((1u << KFENCE_PAGES_ORDER) < KFENCE_NUM_OBJECTS + 1);
	pool_pages = alloc_pages(GFP_KERNEL, KFENCE_PAGES_ORDER);
	if (!pool_pages)
		return false;
	pa = page_to_phys(pool_pages);
	for (i = 0; i < KFENCE_NUM_OBJECTS; i++)
		kfence_metadata[i].pa = pa + (paddr_t)i * PAGE_SIZE;
	scratch_pa = pa + (paddr_t)KFENCE_NUM_OBJECTS * PAGE_SIZE;
	/* Mapping one page makes the table; emptying it through its slot keeps the table. */
	if (vmap_range(base, scratch_pa, PAGE_SIZE, PAGE_KERNEL))
		return false;
	for (i = 0; i < KFENCE_POOL_PAGES; i++)
		slot[i] = pt_leaf_slot(&init_mm, base + (unsigned long)i * PAGE_SIZE);
	if (WARN_ON(!slot[0]))
		return false;	/* cannot happen: the page just mapped has a slot */
	pt_clear_leaf(&init_mm, slot[0], base, NULL);
	for (i = 0; i < KFENCE_POOL_PAGES; i++)
		if (!slot[i])
			return false;
	return true;
}

/* The gate shut (and a forced one let go) when KFENCE goes off. */
static void gate_shut_if_off(void)
{
	if (!READ_ONCE(kfence_enabled))
		slab_quick_set(SLAB_QUICK_KFENCE, false);
}

/*
 * __kfence_poll: kfence_poll's slow half, on CPU 0 with KFENCE on (kfence_poll
 * checked both). The gate opens at the first poll after an interval has
 * passed since it last opened (at once after a change of interval), unless it
 * is paused. Opening an open gate changes nothing. Interrupts masked the
 * slab's way (slab_irq_save): its callers, a tick and CPU 0's full slab
 * allocations, have them masked already, so the mask is not written.
 */
void __kfence_poll(void)
{
	unsigned long flags, gen = READ_ONCE(gate_gen);
	u64 now;

	flags = slab_irq_save();
	if (!READ_ONCE(kfence_enabled) || atomic_read(&gate_pauses))	/* may have changed since */
		goto out;
	now = arch_counter_read();
	if (gate_clock.gen != gen) {
		gate_clock.ticks = (u64)READ_ONCE(sample_interval) * arch_counter_freq() / 1000;
		gate_clock.gen = gen;
		gate_clock.due = now;
	}
	if (now >= gate_clock.due) {
		gate_clock.due = now + gate_clock.ticks;
		slab_quick_set(SLAB_QUICK_KFENCE, true);
		if (atomic_read(&gate_pauses) && !READ_ONCE(gate_held))	/* a pause came in meanwhile */
			slab_quick_set(SLAB_QUICK_KFENCE, false);
	}
out:
	slab_irq_restore(flags);
}

/*
 * kfence_init: the pool, once vmalloc works. Off (one line says why) with
 * kfence.sample_interval=0, in a KASAN kernel (KASAN checks every access
 * already, and its shadow does not cover the pool's pages), where vmalloc
 * addresses cannot be dereferenced (the host seam), or without memory.
 */
void kfence_init(void)
{
	unsigned long span = (unsigned long)pt_level_size(PT_LEVELS - 2);
	struct vm_struct *vm = NULL;
	unsigned int i;

	if (!sample_interval || KFENCE_UNDER_KASAN || !VMALLOC_VA_LIVE || !get_vm_area_caller) {
		printk("kfence: off (%s)\n", !sample_interval ? "kfence.sample_interval=0" :
		       KFENCE_UNDER_KASAN ? "KASAN kernel" : "no live vmalloc space");
		return;
	}
	if (span >= KFENCE_POOL_SIZE)
		vm = get_vm_area_caller(span, span, VM_MAP | VM_NO_GUARD, (unsigned long)kfence_init);
	if (vm && virt_addr_valid(vm->addr)) {
		/* slab_page_quick sends only linear-map pointers down kfree's quick path */
		printk("kfence: the pool at 0x%lx is in the linear map; KFENCE stays off\n", (unsigned long)vm->addr);
		return;
	}
	if (!vm || !pool_setup(vm)) {
		pool_free_pages(vm);
		printk("kfence: no memory for the pool of %u objects; KFENCE stays off\n", KFENCE_NUM_OBJECTS);
		return;
	}
	for (i = 0; i < KFENCE_NUM_OBJECTS; i++)
		pool.fifo[i] = i;
	pool.nr_free = KFENCE_NUM_OBJECTS;
	/* the objects' addresses in their metadata are bookkeeping, not references: a leak stays one */
	kmemleak_no_scan_static(kfence_metadata, sizeof(kfence_metadata));
	smp_store_release(&__kfence_pool, (char *)vm->addr);
	WRITE_ONCE(kfence_enabled, true);
	printk("kfence: initialized - using %lu bytes of memory for %u objects at 0x%lx-0x%lx, sample interval %lu ms\n",
	       (unsigned long)(KFENCE_NUM_OBJECTS + 1) * PAGE_SIZE, KFENCE_NUM_OBJECTS,
	       (unsigned long)vm->addr, (unsigned long)vm->addr + KFENCE_POOL_SIZE, sample_interval);
}

unsigned long kfence_set_sample_interval(unsigned long interval)
{
	unsigned long old = sample_interval;

	WRITE_ONCE(sample_interval, interval);
	WRITE_ONCE(kfence_enabled, __kfence_pool && interval);
	WRITE_ONCE(gate_gen, gate_gen + 1);
	gate_shut_if_off();
	return old;
}

void kfence_gate_pause(void)
{
	atomic_inc(&gate_pauses);
	if (!READ_ONCE(gate_held))
		slab_quick_set(SLAB_QUICK_KFENCE, false);
}

void kfence_gate_resume(void)
{
	atomic_dec(&gate_pauses);
}

bool kfence_force_sampling(bool on)
{
	bool old = READ_ONCE(gate_held);

	WRITE_ONCE(gate_held, on);
	slab_quick_set(SLAB_QUICK_KFENCE, on && READ_ONCE(kfence_enabled));
	return old;
}

unsigned long kfence_bug_count(void)
{
	return READ_ONCE(pool.bugs);
}

unsigned long kfence_zombie_count(void)
{
	return READ_ONCE(pool.zombies);
}

/* ---- printing: to the console (s == NULL) or to a debugfs file -------------------------- */

__printf(2, 3) static void kf_printf(struct seq_buf *s, const char *fmt, ...)
{
	char line[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (s)
		seq_buf_printf(s, "%s", line);
	else
		printk("%s", line);
}

static void print_track(struct seq_buf *s, const char *what, const struct kfence_track *t)
{
	const unsigned long *e;
	unsigned int nr = stack_depot_fetch(t->stack, &e), i;
	char sym[96];

	kf_printf(s, "%s by task 0 on cpu %u at %llu.%06llus:\n", what, t->cpu,
		  (unsigned long long)(t->ts_nsec / 1000000000ULL),
		  (unsigned long long)(t->ts_nsec % 1000000000ULL / 1000));
	for (i = 0; i < nr; i++)
		kf_printf(s, " %s\n", sprint_symbol(sym, sizeof(sym), e[i]));
}

/* Linux's kfence_print_object: the object's range, size and cache, then its stacks. */
static void print_object(struct seq_buf *s, const struct kfence_metadata *m)
{
	long idx = m - kfence_metadata;

	if (m->state == KFENCE_OBJECT_UNUSED) {
		kf_printf(s, "kfence-#%ld unused\n", idx);
		return;
	}
	kf_printf(s, "kfence-#%ld: 0x%lx-0x%lx, size=%zu, cache=%s\n\n", idx, m->addr,
		  m->addr + m->size - 1, m->size, m->cache_name);
	print_track(s, "allocated", &m->alloc_track);
	if (m->state == KFENCE_OBJECT_FREED) {
		kf_printf(s, "\n");
		print_track(s, "freed", &m->free_track);
	}
}

/* "[ 0x42 . . ]": up to 16 bytes from addr to the object (or the page's end), canary bytes as dots. */
static void print_diff_canary(char *buf, size_t n, unsigned long addr, const struct kfence_metadata *m)
{
	unsigned long end = addr < m->addr ? m->addr : ALIGN_DOWN(addr, PAGE_SIZE) + PAGE_SIZE;
	const u8 *p;
	size_t len;

	if (end > addr + 16)
		end = addr + 16;
	len = (size_t)snprintf(buf, n, "[");
	for (p = (const u8 *)addr; (unsigned long)p < end && len < n; p++)
		len += (size_t)(*p == KFENCE_CANARY_PATTERN(p) ? snprintf(buf + len, n - len, " .") :
				snprintf(buf + len, n - len, " 0x%02x", *p));
	if (len < n)
		snprintf(buf + len, n - len, " ]");
}

/* The report's first two lines, by kind (Linux's mm/kfence/report.c wording). */
static void print_heading(enum kfence_error type, unsigned long addr, bool is_write, const char *sym,
			  const struct kfence_metadata *m)
{
	const char *rw = is_write ? "write" : "read";
	long idx = m ? m - kfence_metadata : -1;
	char diff[96];

	switch (type) {
	case KFENCE_ERROR_OOB:
		printk("BUG: KFENCE: out-of-bounds %s in %s\n\n", rw, sym);
		printk("Out-of-bounds %s at 0x%lx (%luB %s of kfence-#%ld):\n", rw, addr,
		       addr < m->addr ? m->addr - addr : addr - m->addr, addr < m->addr ? "left" : "right", idx);
		break;
	case KFENCE_ERROR_UAF:
		printk("BUG: KFENCE: use-after-free %s in %s\n\n", rw, sym);
		printk("Use-after-free %s at 0x%lx (in kfence-#%ld):\n", rw, addr, idx);
		break;
	case KFENCE_ERROR_CORRUPTION:
		print_diff_canary(diff, sizeof(diff), addr, m);
		printk("BUG: KFENCE: memory corruption in %s\n\n", sym);
		printk("Corrupted memory at 0x%lx %s (in kfence-#%ld):\n", addr, diff, idx);
		break;
	case KFENCE_ERROR_INVALID:
		printk("BUG: KFENCE: invalid %s in %s\n\n", rw, sym);
		printk("Invalid %s at 0x%lx:\n", rw, addr);
		break;
	case KFENCE_ERROR_INVALID_FREE:
		printk("BUG: KFENCE: invalid free in %s\n\n", sym);
		if (m)
			printk("Invalid free of 0x%lx (in kfence-#%ld):\n", addr, idx);
		else
			printk("Invalid free of 0x%lx:\n", addr);
		break;
	}
}

/*
 * kfence_report: one report, Linux's layout: the heading, the call trace
 * (trace[0] is the function named in the heading), the object and its
 * stacks, the CPU line. kfence_lock held (reports do not interleave).
 */
static void kfence_report(enum kfence_error type, unsigned long addr, bool is_write,
			  const unsigned long *trace, unsigned int nr, const struct kfence_metadata *m)
{
	unsigned int cpu = smp_processor_id();
	char sym[96];

	lockdep_assert_held(&kfence_lock);
	pool.bugs++;
	sprint_symbol(sym, sizeof(sym), nr ? trace[0] : 0);
	printk("%s\n", REPORT_LINE);
	print_heading(type, addr, is_write, sym, m);
	stack_trace_print(trace, nr, 1);
	if (m) {
		printk("\n");
		print_object(NULL, m);
	}
	printk("\n");
	printk("CPU: %u PID: 0 Comm: swapper/%u Not tainted\n", cpu, cpu);
	printk("%s\n", REPORT_LINE);
}

/* The current call chain from caller (a return address on it) outward; all of it if caller is not found. */
static unsigned int trace_from(unsigned long *trace, unsigned int size, unsigned long caller)
{
	unsigned int nr = stack_trace_save(trace, size, 0), i;

	for (i = 0; i < nr && trace[i] != caller; i++)
		;
	if (i == nr)
		return nr;
	memmove(trace, trace + i, (nr - i) * sizeof(*trace));
	return nr - i;
}

/* ---- allocation and free --------------------------------------------------------------- */

/* Takes the free object freed longest ago, maps its page, places size bytes against a guard. kfence_lock held. */
static struct kfence_metadata *take_object(struct kmem_cache *c, size_t size)
{
	struct kfence_metadata *m;
	unsigned int idx, page;
	unsigned long base, align = c->align ? c->align : 1;

	if (!pool.nr_free)
		return NULL;
	idx = pool.fifo[pool.head];
	m = &kfence_metadata[idx];
	page = obj_page(idx);
	if (pool.unprotected[page])		/* a use-after-free report mapped it to its own page */
		pool.unprotected[page] = false;
	else if (WARN_ON(!unprotect_page(page, m->pa)))
		return NULL;
	pool.head = (pool.head + 1) % KFENCE_NUM_OBJECTS;
	pool.nr_free--;
	protect_guards(page);
	base = page_addr(page);
	m->addr = pool.place_left ? base : ALIGN_DOWN(base + PAGE_SIZE - size, align);
	pool.place_left = !pool.place_left;
	m->size = size;
	strncpy(m->cache_name, c->name, sizeof(m->cache_name) - 1);
	m->cache = c;
	m->state = KFENCE_OBJECT_ALLOCATED;
	return m;
}

/*
 * __kfence_alloc: the sampled allocation (kfence_alloc's slow path), if it
 * shuts the gate (or the gate is held open). NULL when another allocation
 * shut it first, the cache cannot be served (objects over a page,
 * SLAB_SKIP_KFENCE) or the pool is full: the slab serves it then. The
 * object's page is all canary but the object, which is zeroed for
 * __GFP_ZERO and constructed for a ctor.
 */
__noinline void *__kfence_alloc(struct kmem_cache *c, size_t size, gfp_t gfp)
{
	depot_stack_handle_t stack;
	struct kfence_metadata *m;
	unsigned long flags, base;
	u64 *p;

	if (!READ_ONCE(kfence_enabled)) {	/* went off while the gate was open */
		gate_shut_if_off();
		return NULL;
	}
	if (!READ_ONCE(gate_held) && !(atomic_fetch_andnot(SLAB_QUICK_KFENCE, &slab_quick_off) & SLAB_QUICK_KFENCE))
		return NULL;	/* another CPU's allocation shut it first: that one is the sample */
	stack = save_stack(2);	/* from the allocator's caller outward */
	spin_lock_irqsave(&kfence_lock, flags);
	if (size > PAGE_SIZE || c->object_size > PAGE_SIZE || (c->flags & SLAB_SKIP_KFENCE) || !size) {
		pool.skip_incompatible++;
		m = NULL;
	} else if (!(m = take_object(c, size))) {
		pool.skip_capacity++;
	} else {
		m->alloc_track = (struct kfence_track){ stack, smp_processor_id(), local_clock() };
		m->free_track = (struct kfence_track){ 0, 0, 0 };
		pool.allocated++;
		pool.allocs++;
	}
	spin_unlock_irqrestore(&kfence_lock, flags);
	if (!m)
		return NULL;
	base = ALIGN_DOWN(m->addr, PAGE_SIZE);
	for (p = (u64 *)base; p < (u64 *)(base + PAGE_SIZE); p++)	/* the object is ours alone now */
		*p = KFENCE_CANARY_PATTERN_U64;
	if (gfp & __GFP_ZERO)
		memset((void *)m->addr, 0, size);
	if (c->ctor)
		c->ctor((void *)m->addr);
	return (void *)m->addr;
}

/* The first byte of [addr, end) that is not canary, or 0: whole words while they fit, bytes at the ends. */
static unsigned long find_broken_canary(unsigned long addr, unsigned long end)
{
	for (; addr < end && (addr & 7); addr++)
		if (*(const u8 *)addr != KFENCE_CANARY_PATTERN(addr))
			return addr;
	for (; end - addr >= 8 && *(const u64 *)addr == KFENCE_CANARY_PATTERN_U64; addr += 8)
		;
	for (; addr < end; addr++)	/* the tail, or the word that differed */
		if (*(const u8 *)addr != KFENCE_CANARY_PATTERN(addr))
			return addr;
	return 0;
}

/* The first byte of the object's page outside the object that is not canary, or 0. */
static unsigned long check_canary(const struct kfence_metadata *m)
{
	unsigned long base = ALIGN_DOWN(m->addr, PAGE_SIZE), bad;

	bad = find_broken_canary(base, m->addr);
	return bad ? bad : find_broken_canary(m->addr + m->size, base + PAGE_SIZE);
}

/*
 * Object idx (m) freed by the call whose stack is trace: its page protected,
 * and back in the pool unless it is a zombie (Linux's kfence_guarded_free: a
 * zombie stays "currently allocated", out of the pool, and is counted apart).
 * kfence_lock held.
 */
static void guarded_free(unsigned int idx, struct kfence_metadata *m, const unsigned long *trace,
			 unsigned int nr, bool zombie)
{
	m->free_track = (struct kfence_track){ stack_depot_save(trace, nr), smp_processor_id(), local_clock() };
	m->state = KFENCE_OBJECT_FREED;
	protect_page(obj_page(idx));
	protect_guards(obj_page(idx));
	if (zombie) {
		pool.zombies++;
		return;
	}
	pool.fifo[(pool.head + pool.nr_free++) % KFENCE_NUM_OBJECTS] = idx;
	pool.allocated--;
	pool.frees++;
}

void kfence_free(const void *addr, unsigned long caller)
{
	int idx = kfence_object_index(addr);
	struct kfence_metadata *m = idx >= 0 ? &kfence_metadata[idx] : NULL;
	unsigned long trace[KFENCE_STACK_DEPTH], flags, bad;
	unsigned int nr = trace_from(trace, KFENCE_STACK_DEPTH, caller);

	spin_lock_irqsave(&kfence_lock, flags);
	if (!m || m->state != KFENCE_OBJECT_ALLOCATED || m->addr != (unsigned long)addr) {
		kfence_report(KFENCE_ERROR_INVALID_FREE, (unsigned long)addr, false, trace, nr, m);
		spin_unlock_irqrestore(&kfence_lock, flags);
		return;
	}
	bad = check_canary(m);
	if (bad)
		kfence_report(KFENCE_ERROR_CORRUPTION, bad, false, trace, nr, m);
	guarded_free((unsigned int)idx, m, trace, nr, false);
	spin_unlock_irqrestore(&kfence_lock, flags);
}

void kfence_shutdown_cache(const struct kmem_cache *c, unsigned long caller)
{
	unsigned long trace[KFENCE_STACK_DEPTH], flags, zombie;
	unsigned int nr, i;

	if (!__kfence_pool)
		return;
	nr = trace_from(trace, KFENCE_STACK_DEPTH, caller);
	for (i = 0; i < KFENCE_NUM_OBJECTS; i++) {
		struct kfence_metadata *m = &kfence_metadata[i];

		zombie = 0;
		spin_lock_irqsave(&kfence_lock, flags);
		if (m->cache == c) {
			if (m->state == KFENCE_OBJECT_ALLOCATED) {
				guarded_free(i, m, trace, nr, true);
				zombie = m->addr;
			}
			m->cache = NULL;
		}
		spin_unlock_irqrestore(&kfence_lock, flags);
		if (zombie)
			kmemleak_free((void *)zombie);	/* its page is protected now: no scan may read it */
	}
}

size_t kfence_ksize(const void *addr)
{
	int idx = kfence_object_index(addr);
	const struct kfence_metadata *m = idx >= 0 ? &kfence_metadata[idx] : NULL;
	unsigned long flags;
	size_t size = 0;

	if (!m)
		return 0;
	spin_lock_irqsave(&kfence_lock, flags);
	if (m->state == KFENCE_OBJECT_ALLOCATED && m->addr == (unsigned long)addr)
		size = m->size;
	spin_unlock_irqrestore(&kfence_lock, flags);
	return size;
}

/* ---- the fault handler's side ---------------------------------------------------------- */

/*
 * What a fault at guard page `page` hit: the nearer allocated object beside it
 * (out of bounds, Linux's rule), else nothing (an invalid access).
 */
static struct kfence_metadata *guard_owner(unsigned long addr, unsigned int page)
{
	struct kfence_metadata *left = NULL, *right = NULL;

	if (page >= 3 && (page & 1))
		left = &kfence_metadata[(page - 1) / 2 - 1];
	if (page & 1 && page + 1 < KFENCE_POOL_PAGES)
		right = &kfence_metadata[(page + 1) / 2 - 1];
	if (left && left->state != KFENCE_OBJECT_ALLOCATED)
		left = NULL;
	if (right && right->state != KFENCE_OBJECT_ALLOCATED)
		right = NULL;
	if (left && right)
		return addr - (left->addr + left->size) <= right->addr - addr ? left : right;
	return left ? left : right;
}

bool kfence_handle_page_fault(unsigned long addr, bool is_write, struct pt_regs *regs)
{
	unsigned long trace[KFENCE_STACK_DEPTH], flags;
	unsigned int page, nr;
	struct kfence_metadata *m;
	enum kfence_error type;
	paddr_t pa;

	if (!is_kfence_address((void *)addr))
		return false;
	page = (unsigned int)((addr - (unsigned long)__kfence_pool) / PAGE_SIZE);
	nr = stack_trace_save_regs(regs, trace, KFENCE_STACK_DEPTH, 0);
	spin_lock_irqsave(&kfence_lock, flags);
	if (pool.unprotected[page] || (kfence_object_index((void *)addr) >= 0 &&
	    kfence_metadata[page / 2 - 1].state == KFENCE_OBJECT_ALLOCATED)) {
		/* mapped meanwhile (another CPU's report, or the object's allocation): retry */
		spin_unlock_irqrestore(&kfence_lock, flags);
		return true;
	}
	if (kfence_object_index((void *)addr) >= 0) {
		m = &kfence_metadata[page / 2 - 1];
		pa = m->pa;
		type = m->state == KFENCE_OBJECT_FREED ? KFENCE_ERROR_UAF : KFENCE_ERROR_INVALID;
	} else {
		m = guard_owner(addr, page);
		pa = scratch_pa;
		type = m ? KFENCE_ERROR_OOB : KFENCE_ERROR_INVALID;
	}
	kfence_report(type, addr, is_write, trace, nr, type == KFENCE_ERROR_INVALID ? NULL : m);
	if (!unprotect_page(page, pa)) {
		spin_unlock_irqrestore(&kfence_lock, flags);
		return false;	/* cannot let the access complete: the arch's Oops follows */
	}
	pool.unprotected[page] = true;
	spin_unlock_irqrestore(&kfence_lock, flags);
	return true;
}

/* ---- /sys/kernel/debug/kfence ---------------------------------------------------------- */

static void stats_show(struct seq_buf *s)
{
	unsigned long flags;

	spin_lock_irqsave(&kfence_lock, flags);
	seq_buf_printf(s, "enabled: %d\n", READ_ONCE(kfence_enabled) ? 1 : 0);
	seq_buf_printf(s, "currently allocated: %lu\n", pool.allocated);
	seq_buf_printf(s, "total allocations: %lu\n", pool.allocs);
	seq_buf_printf(s, "total frees: %lu\n", pool.frees);
	seq_buf_printf(s, "zombie allocations: %lu\n", pool.zombies);
	seq_buf_printf(s, "total bugs: %lu\n", pool.bugs);
	seq_buf_printf(s, "skipped allocations (incompatible): %lu\n", pool.skip_incompatible);
	seq_buf_printf(s, "skipped allocations (capacity): %lu\n", pool.skip_capacity);
	spin_unlock_irqrestore(&kfence_lock, flags);
}
DEBUGFS_FILE(kfence_stats, "/sys/kernel/debug/kfence/stats", stats_show);

static void objects_show(struct seq_buf *s)
{
	unsigned long flags;
	unsigned int i;

	if (!__kfence_pool) {
		seq_buf_printf(s, "kfence is off (no pool)\n");
		return;
	}
	spin_lock_irqsave(&kfence_lock, flags);
	for (i = 0; i < KFENCE_NUM_OBJECTS && !s->overflow; i++) {
		print_object(s, &kfence_metadata[i]);
		seq_buf_printf(s, "---------------------------------\n");
	}
	spin_unlock_irqrestore(&kfence_lock, flags);
}
DEBUGFS_FILE(kfence_objects, "/sys/kernel/debug/kfence/objects", objects_show);
