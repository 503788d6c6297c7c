/* report.c (mm/kasan): KASAN's reports in Linux's format, one per bug, and kasan.fault=. */
#include "kasan.h"
#include "../slab_internal.h"
#include <kernel/bug.h>
#include <kernel/kallsyms.h>
#include <kernel/param.h>
#include <kernel/percpu.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>
#include <kernel/stacktrace.h>
#include <mm/mm.h>
#include <mm/vmalloc.h>
#include <stdio.h>
#include <string.h>

#define REPORT_LINE	"=================================================================="

/* kasan.fault=report (default: report, then go on) | panic (Linux's kasan.fault=). */
static bool fault_panic;

static int setup_kasan_fault(const char *val)
{
	if (!strcmp(val, "report")) {
		fault_panic = false;
	} else if (!strcmp(val, "panic")) {
		fault_panic = true;
	} else {
		printk("kasan: kasan.fault=%s is neither report nor panic; using report\n", val);
		fault_panic = false;
		return -1;
	}
	return 0;
}
early_param("kasan.fault", setup_kasan_fault);

/*
 * One report per bug: the code address of each reported access is remembered
 * (REPORTED_MAX of them; after that every bug is reported), so a loop running
 * off an array reports once and the kernel goes on. Protected by report_lock,
 * which also keeps two CPUs' reports from interleaving.
 */
#define REPORTED_MAX	128
static unsigned long reported_ip[REPORTED_MAX];
static unsigned int nr_reported;
static unsigned long report_count;
static DEFINE_SPINLOCK(report_lock);
static bool in_report[CONFIG_NR_CPUS];	/* per CPU: a check made while reporting is ignored */

/* The globals' descriptor arrays, one per instrumented file (their constructors register them). */
#define GLOBAL_ARRAYS_MAX	512
static struct { const void *array; size_t n; } global_arrays[GLOBAL_ARRAYS_MAX];
static unsigned int nr_global_arrays;

void kasan_register_global_array(const void *globals, size_t n)
{
	if (nr_global_arrays < GLOBAL_ARRAYS_MAX)
		global_arrays[nr_global_arrays++] = (typeof(global_arrays[0])){ globals, n };
}

const char *kasan_find_global(unsigned long addr, unsigned long *beg, size_t *size)
{
	unsigned int i;
	const char *name;

	for (i = 0; i < nr_global_arrays; i++) {
		name = kasan_global_lookup(global_arrays[i].array, global_arrays[i].n, addr, beg, size);
		if (name)
			return name;
	}
	return NULL;
}

unsigned long kasan_report_count(void)
{
	return READ_ONCE(report_count);
}

void kasan_reset_reports(void)
{
	unsigned long flags;

	spin_lock_irqsave(&report_lock, flags);
	nr_reported = 0;
	spin_unlock_irqrestore(&report_lock, flags);
}

/* ---- what the bug is ------------------------------------------------------------------- */

static bool in_vmalloc(unsigned long a)
{
	return a >= VMALLOC_START && a < VMALLOC_END;
}

extern char boot_stack[], boot_stack_top[];

static bool in_boot_stack(unsigned long a)
{
	return a >= (unsigned long)boot_stack && a < (unsigned long)boot_stack_top;
}

/* An access that starts in good memory and runs past it: out of bounds of what is there. */
static const char *oob_type(unsigned long addr)
{
	unsigned long beg;
	size_t size;

	if (in_vmalloc(addr))
		return "vmalloc-out-of-bounds";
	if (virt_addr_valid((void *)addr))
		return PageSlab(virt_to_slab_page((void *)addr)) ? "slab-out-of-bounds" : "out-of-bounds";
	if (kasan_find_global(addr, &beg, &size))
		return "global-out-of-bounds";
	return in_boot_stack(addr) ? "stack-out-of-bounds" : "out-of-bounds";
}

/*
 * Linux's names. An access whose first bytes are good, or whose first bad
 * byte shares a granule with good ones, ran off the end of something: out of
 * bounds, named by where (pagoda's slab has no red zone of its own between
 * objects, so the next byte may well be a free neighbour's: its shadow would
 * say use-after-free). Otherwise the first bad byte's shadow says what it is.
 */
static const char *bug_type(unsigned long addr, size_t size)
{
	unsigned long bad = kasan_find_bad_addr(addr, size ? size : 1);
	s8 shadow;

	if (!bad)
		return "unknown-crash";
	shadow = *kasan_mem_to_shadow((void *)bad);
	if (bad != addr || (shadow > 0 && shadow < (s8)KASAN_GRANULE_SIZE))
		return oob_type(addr);
	switch ((u8)shadow) {
	case KASAN_SLAB_REDZONE:
	case KASAN_PAGE_REDZONE:
		return "slab-out-of-bounds";
	case KASAN_SLAB_FREE:
		return "slab-use-after-free";
	case KASAN_PAGE_FREE:
		return "use-after-free";
	case KASAN_GLOBAL_REDZONE:
		return "global-out-of-bounds";
	case KASAN_STACK_LEFT:
	case KASAN_STACK_MID:
	case KASAN_STACK_RIGHT:
	case KASAN_STACK_PARTIAL:
		return "stack-out-of-bounds";
	case KASAN_VMALLOC_INVALID:	/* == KASAN_USE_AFTER_SCOPE: told apart by where */
		return in_vmalloc(bad) ? "vmalloc-out-of-bounds" : "stack-use-after-scope";
	case KASAN_ALLOCA_LEFT:
	case KASAN_ALLOCA_RIGHT:
		return "alloca-out-of-bounds";
	default:
		return "unknown-crash";
	}
}

static void print_track(const char *what, depot_stack_handle_t h)
{
	printk("%s by task 0:\n", what);
	if (h)
		stack_depot_print(h, 1);
	else
		printk(" (stack not recorded)\n");
	printk("\n");
}

/* The call chain from the function that made the access (ip) outward. */
static void print_call_trace(unsigned long ip)
{
	unsigned long entries[32];
	unsigned int n = stack_trace_save(entries, ARRAY_SIZE(entries), 0), i;

	for (i = 0; i < n && entries[i] != ip; i++)
		;
	if (i == n)
		i = 0;
	printk("Call trace:\n");
	stack_trace_print(entries + i, n - i, 1);
}

/* ---- where the address is -------------------------------------------------------------- */

static void describe_region(unsigned long addr, unsigned long start, size_t size, const char *state)
{
	const char *rel = addr < start ? "to the left of" : addr >= start + size ? "to the right of" :
			  "inside of";
	unsigned long off = addr < start ? start - addr : addr >= start + size ? addr - start - size :
			    addr - start;

	printk("The buggy address is located %lu bytes %s\n", off, rel);
	printk(" %s %zu-byte region [%016lx, %016lx)\n", state, size, start, start + size);
}

/* A slab object: its stacks, its cache, where the address is relative to it. */
static void describe_slab_object(unsigned long addr, struct page *pg)
{
	struct kmem_cache *c = pg->slab_cache;
	int idx = obj_index_containing(c, pg, (void *)addr);
	struct kasan_obj_meta m;
	unsigned long obj;
	bool freed, known;

	if (idx < 0)
		idx = addr < (unsigned long)slab_object(c, pg, 0) ? 0 : (int)c->objects - 1;
	obj = (unsigned long)slab_object(c, pg, (unsigned int)idx);
	known = kasan_obj_meta_get(obj, &m);
	freed = *kasan_mem_to_shadow((void *)obj) == (s8)KASAN_SLAB_FREE;
	if (known) {
		print_track("Allocated", m.alloc_stack);
		if (m.free_stack)
			print_track("Freed", m.free_stack);
	}
	printk("The buggy address belongs to the object at %016lx\n", obj);
	printk(" which belongs to the cache %s of size %u\n", c->name, c->object_size);
	describe_region(addr, obj, freed || !known ? c->object_size : m.size, freed ? "freed" : "allocated");
	printk("\n");
}

static void describe_page(unsigned long addr)
{
	struct page *pg = virt_to_page((void *)addr);

	printk("The buggy address belongs to the physical page:\n");
	printk("page:%016lx pfn:0x%lx flags:0x%lx%s%s\n", (unsigned long)pg, page_to_pfn(pg),
	       (unsigned long)pg->flags, PageSlab(pg) ? "(slab)" : "", PageHead(pg) ? "(head)" : "");
	printk("\n");
}

static void describe_address(unsigned long addr)
{
	unsigned long beg;
	size_t size;
	const char *name;

	if (virt_addr_valid((void *)addr)) {
		struct page *pg = virt_to_slab_page((void *)addr);

		if (PageSlab(pg) && pg->slab_cache)
			describe_slab_object(addr, pg);
		describe_page(addr);
	} else if (in_vmalloc(addr)) {
		struct vm_struct *vm = find_vm_area((void *)addr);
		char sym[96];

		if (vm)
			printk("The buggy address belongs to the virtual mapping at\n [%016lx, %016lx) created by:\n %s\n\n",
			       (unsigned long)vm->addr, (unsigned long)vm->addr + vm->size,
			       sprint_symbol(sym, sizeof(sym), vm->caller));
		else
			printk("The buggy address belongs to no live virtual mapping (freed, or never mapped)\n\n");
	} else if ((name = kasan_find_global(addr, &beg, &size))) {
		printk("The buggy address belongs to the variable:\n %s+0x%lx/0x%zx\n\n", name, addr - beg, size);
	} else if (in_boot_stack(addr)) {
		printk("The buggy address belongs to stack of task swapper/0/0\n\n");
	} else if (addr - KIMAGE_VADDR < KIMAGE_END - KIMAGE_VADDR) {
		printk("The buggy address belongs to the kernel image (a stack or an unregistered variable)\n\n");
	}
}

/* Linux's "Memory state around the buggy address": 5 rows of 16 shadow bytes, the bad one marked. */
static void print_memory_state(unsigned long addr)
{
	const unsigned long row_bytes = 16 * KASAN_GRANULE_SIZE;
	unsigned long row0 = ALIGN_DOWN(addr, row_bytes) - 2 * row_bytes, row;
	char line[80];
	int i, n;

	printk("Memory state around the buggy address:\n");
	for (row = row0; row < row0 + 5 * row_bytes; row += row_bytes) {
		const u8 *s = (const u8 *)kasan_mem_to_shadow((void *)row);

		if (!kasan_addr_has_shadow(row))
			continue;
		n = snprintf(line, sizeof(line), "%c%016lx:", row == ALIGN_DOWN(addr, row_bytes) ? '>' : ' ', row);
		for (i = 0; i < 16; i++)
			n += snprintf(line + n, sizeof(line) - n, " %02x", s[i]);
		printk("%s\n", line);
		if (row == ALIGN_DOWN(addr, row_bytes))
			printk("%*c\n", (int)(20 + (addr - row) / KASAN_GRANULE_SIZE * 3), '^');
	}
}

/* ---- the report ------------------------------------------------------------------------ */

/* Whether this bug (its code address) was reported already; if not, remember it. report_lock held. */
static bool seen_before(unsigned long ip)
{
	unsigned int i;

	for (i = 0; i < nr_reported; i++)
		if (reported_ip[i] == ip)
			return true;
	if (nr_reported < REPORTED_MAX)
		reported_ip[nr_reported++] = ip;
	return false;
}

static void print_header(unsigned long addr, size_t size, bool write, unsigned long ip,
			 enum kasan_report_kind kind)
{
	unsigned int cpu = smp_processor_id();
	char sym[96];

	sprint_symbol(sym, sizeof(sym), ip);
	printk("%s\n", REPORT_LINE);
	if (kind == KASAN_REPORT_ACCESS) {
		printk("BUG: KASAN: %s in %s\n", bug_type(addr, size), sym);
		printk("%s of size %zu at addr %016lx by task swapper/%u/0\n", write ? "Write" : "Read",
		       size, addr, cpu);
	} else {
		printk("BUG: KASAN: %s in %s\n", kind == KASAN_REPORT_DOUBLE_FREE ? "double-free" :
		       "invalid-free", sym);
		printk("Free of addr %016lx by task swapper/%u/0\n", addr, cpu);
	}
	printk("\n");
	printk("CPU: %u PID: 0 Comm: swapper/%u Not tainted\n", cpu, cpu);
}

/*
 * kasan_report: one report (Linux's layout, top to bottom: the bug and the
 * access, the call trace, the object's stacks and whereabouts, the shadow
 * around it) unless this code address reported before; then the kernel goes
 * on, or panics with kasan.fault=panic. A check made while reporting (the
 * report's own code) is ignored.
 */
void kasan_report(unsigned long addr, size_t size, bool write, unsigned long ip,
		  enum kasan_report_kind kind)
{
	unsigned int cpu = smp_processor_id();
	unsigned long flags;

	if (in_report[cpu])
		return;
	spin_lock_irqsave(&report_lock, flags);
	in_report[cpu] = true;
	if (seen_before(ip))
		goto out;
	report_count++;
	print_header(addr, size, write, ip, kind);
	print_call_trace(ip);
	printk("\n");
	describe_address(addr);
	if (kasan_addr_has_shadow(addr))
		print_memory_state(addr);
	printk("%s\n", REPORT_LINE);
	if (fault_panic)
		panic("kasan.fault=panic set ...");
out:
	in_report[cpu] = false;
	spin_unlock_irqrestore(&report_lock, flags);
}
