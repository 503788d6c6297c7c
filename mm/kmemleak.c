/* kmemleak.c: leak scanning — object records at alloc/free, Linux's grey/white scan, /sys/kernel/debug/kmemleak. */
#include <mm/kmemleak.h>
#include <mm/gfp.h>
#include <mm/memblock.h>
#include <mm/mm.h>
#include <mm/slab.h>
#include <kernel/arch.h>
#include <kernel/atomic.h>
#include <kernel/debugfs.h>
#include <kernel/irq.h>
#include <kernel/kallsyms.h>
#include <kernel/param.h>
#include <kernel/percpu.h>
#include <kernel/printk.h>
#include <kernel/smp.h>
#include <kernel/spinlock.h>
#include <kernel/stackdepot.h>
#include <ctype.h>
#include <string.h>

/*
 * One record per tracked object. Records live in a pool taken from memblock at
 * boot (never from the allocators they watch, so tracking cannot recurse):
 * sizeof(struct kmemleak_object) is 40 bytes on arm64, 28 on x86; the hash
 * has one bucket per two records and the scan two u32 arrays (index, grey
 * stack) per record: 52 / 38 bytes a record, 1664 / 1216 KiB for 32768.
 *
 * kmemleak_lock protects every record, the free list, the hash and the scan's
 * arrays. It is a leaf (taken inside the allocators' callers, takes nothing:
 * the allocation stack is saved in the depot before it is taken) and is held
 * with interrupts masked for a whole scan, so no object can be freed (or
 * registered) while the scan reads it; a CPU that allocates meanwhile waits.
 */
struct kmemleak_object {
	unsigned long pointer;		/* start of the object; 0: the record is free */
	unsigned long size;		/* bytes asked for */
	struct kmemleak_object *next;	/* hash chain (in use) or free list */
	u32 jiffies;			/* allocation time in ticks of 1/HZ s since boot */
	depot_stack_handle_t trace;	/* allocation stack */
	s16 min_count;			/* references needed not to be a leak (KMEMLEAK_GREY/BLACK) */
	s16 count;			/* references found by the scan under way (saturates) */
	u8 flags;			/* OBJECT_* */
	u8 cpu;				/* allocating CPU: comm "swapper/N" */
};

#define OBJECT_REPORTED		0x01	/* counted as a new leak by some scan */
#define OBJECT_LEAK		0x02	/* white after the last scan: cat shows it */
#define OBJECT_NO_SCAN		0x04	/* kmemleak_ignore: contents not scanned */

struct scan_state {
	unsigned long nr;		/* objects in scan_index, sorted by pointer */
	unsigned long min, max;		/* [min, max): where any object lies */
	unsigned long grey;		/* objects on grey_stack */
	unsigned long words;		/* words read, for the summary line */
};

/* In the memblock area with the pool, not in .bss or on a stack: the roots must not see min/max. */
static struct scan_state *scan_st;			/* kmemleak_lock */

bool kmemleak_enabled;
static DEFINE_SPINLOCK(kmemleak_lock);
static struct kmemleak_object *pool, *free_list;	/* kmemleak_lock */
static struct kmemleak_object **buckets;		/* kmemleak_lock */
static u32 *scan_index, *grey_stack;			/* kmemleak_lock: the scan's arrays */
static unsigned long pool_nr, hash_bits, nr_objects, peak_objects;	/* kmemleak_lock */
static bool pool_full, warned_twice;			/* kmemleak_lock */

/* Weak: the host build of mm/ has no image, no arch counter and no CPU stacks to scan. */
extern char __end_rodata[] __weak, _end[] __weak;
extern u64 arch_counter_read(void) __weak;
extern u64 arch_counter_freq(void) __weak;
extern void arch_cpu_stack(unsigned int cpu, u64 *lo, u64 *hi) __weak;

static u32 now_jiffies(void)
{
	if (!arch_counter_read || !arch_counter_freq || !arch_counter_freq())
		return 0;
	return (u32)(arch_counter_read() / (arch_counter_freq() / HZ));
}

static struct kmemleak_object **bucket(unsigned long ptr)
{
	return &buckets[((u32)(ptr >> 4) * 0x9e3779b1u) >> (32 - hash_bits)];
}

/* The record whose object starts at ptr, or NULL. kmemleak_lock held. */
static struct kmemleak_object *lookup_exact(unsigned long ptr)
{
	struct kmemleak_object *o;

	for (o = *bucket(ptr); o && o->pointer != ptr; o = o->next)
		;
	return o;
}

/*
 * Pool exhausted: as Linux, kmemleak turns itself off (an untracked object
 * could hold the only pointer to a tracked one, so scans would lie).
 */
static void pool_ran_out(void)
{
	pool_full = true;
	WRITE_ONCE(kmemleak_enabled, false);
	slab_quick_set(SLAB_QUICK_KMEMLEAK, false);
}

void __kmemleak_alloc(const void *ptr, size_t size, int min_count, gfp_t gfp)
{
	depot_stack_handle_t trace;
	struct kmemleak_object *o;
	unsigned long flags, p = (unsigned long)ptr;
	bool twice = false, full = false;

	if (ZERO_OR_NULL_PTR(ptr))
		return;
	trace = save_stack(1);		/* from the allocator (kmalloc, vmalloc, ...) outward */
	spin_lock_irqsave(&kmemleak_lock, flags);
	o = lookup_exact(p);
	if (o) {
		twice = !warned_twice;	/* a free path that skipped kmemleak_free: reuse the record */
		warned_twice = true;
	} else if (free_list) {
		o = free_list;
		free_list = o->next;
		o->pointer = p;
		o->next = *bucket(p);
		*bucket(p) = o;
		if (++nr_objects > peak_objects)
			peak_objects = nr_objects;
	} else if (!pool_full) {
		pool_ran_out();
		full = true;
	}
	if (o) {
		o->size = size;
		o->jiffies = now_jiffies();
		o->trace = trace;
		o->min_count = (s16)min_count;
		o->count = 0;
		o->flags = 0;
		o->cpu = (u8)smp_processor_id();
	}
	spin_unlock_irqrestore(&kmemleak_lock, flags);
	if (twice)
		printk("kmemleak: object 0x%lx registered twice (its free was not reported)\n", p);
	if (full)
		printk("kmemleak: Cannot allocate a kmemleak_object structure (all %lu in use); "
		       "kmemleak disabled\n", pool_nr);
}

void __kmemleak_free(const void *ptr)
{
	struct kmemleak_object **pp, *o;
	unsigned long flags, p = (unsigned long)ptr;

	if (ZERO_OR_NULL_PTR(ptr))
		return;
	spin_lock_irqsave(&kmemleak_lock, flags);
	for (pp = bucket(p); (o = *pp) && o->pointer != p; pp = &o->next)
		;
	if (o) {		/* unknown pointers: the allocator reports bad frees itself */
		*pp = o->next;
		o->pointer = 0;
		o->next = free_list;
		free_list = o;
		nr_objects--;
	}
	spin_unlock_irqrestore(&kmemleak_lock, flags);
}

/* Sets ptr's min_count (and flags); one line if ptr is not a tracked object. */
static void paint(const void *ptr, int min_count, u8 flags, const char *what)
{
	struct kmemleak_object *o;
	unsigned long irq;

	if (!READ_ONCE(kmemleak_enabled) || ZERO_OR_NULL_PTR(ptr))
		return;
	spin_lock_irqsave(&kmemleak_lock, irq);
	o = lookup_exact((unsigned long)ptr);
	if (o) {
		o->min_count = (s16)min_count;
		o->flags |= flags;
	}
	spin_unlock_irqrestore(&kmemleak_lock, irq);
	if (!o)
		printk("kmemleak: %s unknown object at 0x%lx\n", what, (unsigned long)ptr);
}

void kmemleak_not_leak(const void *ptr)
{
	paint(ptr, KMEMLEAK_GREY, 0, "Graying");
}

void kmemleak_ignore(const void *ptr)
{
	paint(ptr, KMEMLEAK_BLACK, OBJECT_NO_SCAN, "Ignoring");
}

/*
 * kmemleak=on|off (Linux's parameter; off by default here, Linux's build
 * option being this parameter): the pool, the hash and the scan's arrays come
 * from memblock now, before the slab exists, so every object from the first
 * one is tracked. Anything else: one line, and kmemleak stays off.
 */
static int setup_kmemleak(const char *val)
{
	unsigned long nr = KMEMLEAK_POOL, bits = 1, i;
	size_t bytes;
	char *m;

	if (strcmp(val, "on") && strcmp(val, "off")) {
		printk("kmemleak=%s: expected on or off; kmemleak stays off\n", val);
		return 0;
	}
	if (!strcmp(val, "off") || pool)
		return 0;
	while ((1UL << bits) < nr / 2)
		bits++;
	bytes = nr * sizeof(*pool) + (sizeof(*buckets) << bits) + 2 * nr * sizeof(u32) + sizeof(*scan_st);
	m = memblock_alloc(bytes, PAGE_SIZE, "kmemleak");
	if (!m) {
		printk("kmemleak: no memory for %lu objects (%zu KiB); kmemleak stays off\n", nr, bytes >> 10);
		return 0;
	}
	pool = (void *)m;
	buckets = (void *)(m + nr * sizeof(*pool));
	scan_index = (void *)((char *)buckets + (sizeof(*buckets) << bits));
	grey_stack = scan_index + nr;
	scan_st = (void *)(grey_stack + nr);
	for (i = nr; i-- > 0;) {
		pool[i].next = free_list;
		free_list = &pool[i];
	}
	pool_nr = nr;
	hash_bits = bits;
	printk("kmemleak: on, %lu objects of %zu bytes + lookup: %zu KiB from memblock\n", nr,
	       sizeof(*pool), bytes >> 10);
	WRITE_ONCE(kmemleak_enabled, true);
	slab_quick_set(SLAB_QUICK_KMEMLEAK, true);
	return 0;
}
early_param("kmemleak", setup_kmemleak);

/* ---- the scan (kmemleak_lock held throughout) ------------------------------------------- */



static unsigned long obj_end(const struct kmemleak_object *o)
{
	return o->pointer + (o->size ? o->size : 1);
}

static void swap_u32(u32 *a, u32 *b)
{
	u32 t = *a;

	*a = *b;
	*b = t;
}

/* Heap sort of scan_index by pointer (no allocation, O(n log n) with n up to the pool's size). */
static void sift_down(u32 *a, unsigned long root, unsigned long n)
{
	unsigned long child;

	while ((child = 2 * root + 1) < n) {
		if (child + 1 < n && pool[a[child + 1]].pointer > pool[a[child]].pointer)
			child++;
		if (pool[a[root]].pointer >= pool[a[child]].pointer)
			return;
		swap_u32(&a[root], &a[child]);
		root = child;
	}
}

static void sort_index(u32 *a, unsigned long n)
{
	unsigned long i;

	for (i = n / 2; i-- > 0;)
		sift_down(a, i, n);
	for (i = n; i-- > 1;) {
		swap_u32(&a[0], &a[i]);
		sift_down(a, 0, i);
	}
}

/* Colours every object white (count 0) and greys the ones with min_count 0. */
static void build_index(struct scan_state *st)
{
	unsigned long i;

	*st = (struct scan_state){ .min = ~0UL };
	for (i = 0; i < pool_nr; i++) {
		struct kmemleak_object *o = &pool[i];

		if (!o->pointer)
			continue;
		o->count = 0;
		scan_index[st->nr++] = (u32)i;
		st->min = min(st->min, o->pointer);
		st->max = max(st->max, obj_end(o));
		if (o->min_count == KMEMLEAK_GREY)
			grey_stack[st->grey++] = (u32)i;
	}
	sort_index(scan_index, st->nr);
}

/* The object containing address v (an interior pointer counts), or NULL: a binary search. */
static struct kmemleak_object *lookup_any(const struct scan_state *st, unsigned long v)
{
	unsigned long lo = 0, hi = st->nr;
	struct kmemleak_object *o;

	if (v < st->min || v >= st->max)
		return NULL;
	while (hi - lo > 1) {		/* the last object starting at or below v */
		unsigned long mid = lo + (hi - lo) / 2;

		if (pool[scan_index[mid]].pointer <= v)
			lo = mid;
		else
			hi = mid;
	}
	o = &pool[scan_index[lo]];
	return o->pointer <= v && v < obj_end(o) ? o : NULL;
}

/*
 * Every aligned word of [lo, hi) that points into an object is a reference to
 * it (Linux's scan_block); self-references do not count. An object whose
 * count reaches its min_count turns grey and goes on the stack to be scanned.
 */
static void scan_block(struct scan_state *st, unsigned long lo, unsigned long hi,
		       const struct kmemleak_object *self)
{
	unsigned long p;

	for (p = ALIGN(lo, sizeof(long)); p + sizeof(long) <= hi; p += sizeof(long)) {
		struct kmemleak_object *o = lookup_any(st, *(const unsigned long *)p);

		if (!o || o == self || o->min_count <= 0)	/* grey and black: nothing to count */
			continue;
		if (o->count < o->min_count && ++o->count == o->min_count)
			grey_stack[st->grey++] = (u32)(o - pool);
	}
	st->words += (hi - lo) / sizeof(long);
}

/*
 * Static areas left out of the roots (kmemleak_no_scan_static): at most
 * NO_SCAN_MAX, registered at init; kmemleak_lock.
 */
#define NO_SCAN_MAX	8
static struct { unsigned long start, end; } no_scan[NO_SCAN_MAX];
static unsigned int nr_no_scan;

void kmemleak_no_scan_static(const void *start, size_t size)
{
	unsigned long flags;
	bool full;

	spin_lock_irqsave(&kmemleak_lock, flags);
	full = nr_no_scan == NO_SCAN_MAX;
	if (!full) {
		no_scan[nr_no_scan].start = (unsigned long)start;
		no_scan[nr_no_scan++].end = (unsigned long)start + size;
	}
	spin_unlock_irqrestore(&kmemleak_lock, flags);
	if (full)
		printk("kmemleak: no room to leave 0x%lx (%zu bytes) out of the scan\n", (unsigned long)start, size);
}

/* The ith range the image scan leaves out: every online CPU's stack (scanned apart), then no_scan[]. */
static bool excluded(unsigned int i, unsigned long *lo, unsigned long *hi)
{
	u64 slo, shi;

	if (i >= CONFIG_NR_CPUS) {
		*lo = no_scan[i - CONFIG_NR_CPUS].start;
		*hi = no_scan[i - CONFIG_NR_CPUS].end;
		return true;
	}
	if (!cpu_online(i))
		return false;
	arch_cpu_stack(i, &slo, &shi);
	*lo = (unsigned long)slo;
	*hi = (unsigned long)shi;
	return true;
}

/* [lo, hi) less the excluded ranges from the ith on (recursing around each one it meets). */
static void scan_except(struct scan_state *st, unsigned long lo, unsigned long hi, unsigned int i)
{
	unsigned long xlo, xhi;

	for (; i < CONFIG_NR_CPUS + nr_no_scan; i++) {
		if (!excluded(i, &xlo, &xhi) || xlo >= hi || xhi <= lo)
			continue;
		if (xlo > lo)
			scan_except(st, lo, xlo, i + 1);
		if (xhi < hi)
			scan_except(st, xhi, hi, i + 1);
		return;
	}
	scan_block(st, lo, hi, NULL);
}

/*
 * Where each CPU's live stack began when the scan asked (a cross call, before
 * the lock): what lies below a CPU's frame is dead, and dead frames hold stale
 * copies of pointers to objects since freed and handed out again, which would
 * hide leaks. Written by each CPU for itself, read by the scanner after the
 * call returns.
 */
static unsigned long live_sp[CONFIG_NR_CPUS];

static void note_live_sp(void *info)
{
	live_sp[smp_processor_id()] = (unsigned long)__builtin_frame_address(0);
}

/*
 * The roots: the image's .data and .bss (per-CPU variables are arrays there)
 * less the kmemleak_no_scan_static areas, and every online CPU's stack from its live_sp up (this CPU's from the scan's
 * own frame). Another CPU that runs code between the cross call and the scan
 * (taskset, selftest --all-cpus) may hold pointers below its live_sp: scan
 * with the other CPUs idle.
 */
static void scan_roots(struct scan_state *st)
{
	unsigned int cpu;
	u64 lo, hi;

	live_sp[smp_processor_id()] = (unsigned long)__builtin_frame_address(0);
	scan_except(st, (unsigned long)__end_rodata, (unsigned long)_end, 0);
	for_each_online_cpu(cpu) {
		arch_cpu_stack(cpu, &lo, &hi);
		if (live_sp[cpu] >= lo && live_sp[cpu] < hi)
			lo = live_sp[cpu];
		scan_block(st, (unsigned long)lo, (unsigned long)hi, NULL);
	}
}

/* Scans grey objects until none is left: each object is pushed at most once. */
static void scan_grey(struct scan_state *st)
{
	while (st->grey) {
		struct kmemleak_object *o = &pool[grey_stack[--st->grey]];

		if (!(o->flags & OBJECT_NO_SCAN))
			scan_block(st, o->pointer, o->pointer + o->size, o);
	}
}

/* Objects still white are leaks; returns how many had not been reported before. */
static int mark_leaks(const struct scan_state *st)
{
	unsigned long i;
	int new_leaks = 0;

	for (i = 0; i < st->nr; i++) {
		struct kmemleak_object *o = &pool[scan_index[i]];

		o->flags &= ~OBJECT_LEAK;
		if (o->min_count <= 0 || o->count >= o->min_count)
			continue;
		o->flags |= OBJECT_LEAK;
		if (!(o->flags & OBJECT_REPORTED)) {
			o->flags |= OBJECT_REPORTED;
			new_leaks++;
		}
	}
	return new_leaks;
}

const char *kmemleak_unavailable(void)
{
	if (!__end_rodata || !arch_cpu_stack)
		return "this machine has no image or CPU stacks to scan (the host seam)";
	if (READ_ONCE(kmemleak_enabled))
		return NULL;
	if (pool_full)
		return "disabled (its object records ran out)";
	return "off (boot with kmemleak=on)";
}

/* True if a scan can run; otherwise one line says why. */
static bool kmemleak_usable(void)
{
	const char *why = kmemleak_unavailable();

	if (why)
		printk("kmemleak: %s\n", why);
	return !why;
}

/*
 * Every object is allocated before the scan starts: the lock held throughout
 * keeps new ones out, so Linux's "older than the scan" test always holds.
 */
int kmemleak_scan(void)
{
	struct scan_state *st = scan_st;
	unsigned long flags, objs, words;
	u64 t0 = arch_counter_read ? arch_counter_read() : 0, t;
	int new_leaks;

	if (!kmemleak_usable())
		return -1;
	memset(live_sp, 0, sizeof(live_sp));
	on_each_cpu(note_live_sp, NULL, 1);
	spin_lock_irqsave(&kmemleak_lock, flags);
	build_index(st);
	scan_roots(st);
	scan_grey(st);
	new_leaks = mark_leaks(st);
	objs = st->nr;
	words = st->words;
	spin_unlock_irqrestore(&kmemleak_lock, flags);
	t = arch_counter_read ? arch_counter_read() - t0 : 0;
	printk("kmemleak: scanned %lu objects, %lu KiB, in %lu ms (pool %lu of %lu, peak %lu)\n", objs,
	       (unsigned long)(words * sizeof(long) >> 10),
	       arch_counter_freq ? (unsigned long)(t * 1000 / arch_counter_freq()) : 0UL,
	       READ_ONCE(nr_objects), pool_nr, READ_ONCE(peak_objects));
	if (new_leaks)
		printk("kmemleak: %d new suspected memory leaks (see /sys/kernel/debug/kmemleak)\n", new_leaks);
	return new_leaks;
}

void kmemleak_clear(void)
{
	unsigned long flags, i;

	spin_lock_irqsave(&kmemleak_lock, flags);
	for (i = 0; i < pool_nr; i++)
		if (pool[i].pointer && (pool[i].flags & OBJECT_LEAK)) {
			pool[i].min_count = KMEMLEAK_GREY;
			pool[i].flags &= ~OBJECT_LEAK;
		}
	spin_unlock_irqrestore(&kmemleak_lock, flags);
}

bool kmemleak_is_leak(const void *ptr)
{
	struct kmemleak_object *o;
	unsigned long flags;
	bool leak;

	if (!pool || READ_ONCE(pool_full))
		return false;
	spin_lock_irqsave(&kmemleak_lock, flags);
	o = lookup_exact((unsigned long)ptr);
	leak = o && (o->flags & OBJECT_LEAK);
	spin_unlock_irqrestore(&kmemleak_lock, flags);
	return leak;
}

/* ---- /sys/kernel/debug/kmemleak: Linux's layout (6.1) ------------------------------------ */

#define HEX_ROW_SIZE	16
#define HEX_MAX_LINES	2

/* Linux's hex_dump_to_buffer with groupsize 1 and ASCII: bytes, padded to column 49, then text. */
static void hex_dump(struct seq_buf *s, const u8 *p, size_t len)
{
	size_t row, i;

	for (row = 0; row < len; row += HEX_ROW_SIZE) {
		size_t n = min(len - row, (size_t)HEX_ROW_SIZE), col = 0;

		seq_buf_printf(s, "    ");
		for (i = 0; i < n; i++, col += 3)
			seq_buf_printf(s, i ? " %02x" : "%02x", p[row + i]);
		seq_buf_printf(s, "%*s", (int)(HEX_ROW_SIZE * 3 + 1 - (col ? col - 1 : 0)), "");
		for (i = 0; i < n; i++)
			seq_buf_putc(s, isprint(p[row + i]) ? p[row + i] : '.');
		seq_buf_putc(s, '\n');
	}
}

static void print_unreferenced(struct seq_buf *s, const struct kmemleak_object *o, u32 now)
{
	u32 age = now - o->jiffies;
	const unsigned long *e;
	unsigned int nr = stack_depot_fetch(o->trace, &e), i;
	char sym[96];

	seq_buf_printf(s, "unreferenced object 0x%0*lx (size %lu):\n", (int)sizeof(long) * 2, o->pointer,
		       o->size);
	seq_buf_printf(s, "  comm \"swapper/%u\", pid 0, jiffies %u (age %u.%03us)\n", o->cpu, o->jiffies,
		       age / HZ, age % HZ * (1000 / HZ));
	seq_buf_printf(s, "  hex dump (first %lu bytes):\n", min(o->size, (unsigned long)HEX_ROW_SIZE * HEX_MAX_LINES));
	hex_dump(s, (const u8 *)o->pointer, min(o->size, (unsigned long)HEX_ROW_SIZE * HEX_MAX_LINES));
	seq_buf_printf(s, "  backtrace:\n");
	for (i = 0; i < nr; i++)
		seq_buf_printf(s, "    [<%0*lx>] %s\n", (int)sizeof(long) * 2, e[i],
			       sprint_symbol(sym, sizeof(sym), e[i]));
}

/* The objects white after the last scan, in pool order; the lock keeps them from being freed meanwhile. */
static void kmemleak_show(struct seq_buf *s)
{
	unsigned long flags, i;
	u32 now = now_jiffies();

	if (!pool) {
		seq_buf_printf(s, "kmemleak is off (boot with kmemleak=on)\n");
		return;
	}
	if (READ_ONCE(pool_full)) {	/* frees are no longer seen: the records may name freed memory */
		seq_buf_printf(s, "kmemleak is disabled (its %lu object records ran out)\n", pool_nr);
		return;
	}
	spin_lock_irqsave(&kmemleak_lock, flags);
	for (i = 0; i < pool_nr && !s->overflow; i++)
		if (pool[i].pointer && (pool[i].flags & OBJECT_LEAK))
			print_unreferenced(s, &pool[i], now);
	spin_unlock_irqrestore(&kmemleak_lock, flags);
}

/* `echo scan|clear > /sys/kernel/debug/kmemleak` (Linux's commands; the others are not here). */
static int kmemleak_write(const char *buf)
{
	if (!strcmp(buf, "scan"))
		return kmemleak_scan() < 0 ? -1 : 0;
	if (!strcmp(buf, "clear")) {
		if (!kmemleak_usable())
			return -1;
		kmemleak_clear();
		return 0;
	}
	printk("kmemleak: unknown command '%s' (scan or clear); nothing done\n", buf);
	return -1;
}
DEBUGFS_FILE_RW(kmemleak, "/sys/kernel/debug/kmemleak", kmemleak_show, kmemleak_write);
