/* mmu_context.c (arm64): ASIDs (generations and rollover), the TTBR0 switch for a process, the way into EL0, I-cache sync. */
#include <errno.h>
#include <string.h>
#include <stdlib.h>
#include <kernel/bug.h>
#include <kernel/debugfs.h>
#include <kernel/param.h>
#include <kernel/percpu.h>
#include <kernel/printk.h>
#include <kernel/process.h>
#include <kernel/spinlock.h>
#include <asm/cacheflush.h>
#include <asm/mmu_context.h>
#include <asm/ptrace.h>
#include <asm/sysreg.h>
#include <asm/tlbflush.h>

/*
 * ASIDs: Linux's generation-based allocator (arch/arm64/mm/context.c). An
 * mm's context id (mm->asid) is generation << 16 | ASID; the hardware sees
 * the low 16 bits. Within a generation each ASID goes to one mm and is never
 * freed (an exited mm's TLB entries stay tagged with an ASID nobody gets);
 * when the bitmap is full a new generation starts (a rollover): the bitmap is
 * cleared except for each CPU's active ASID (kept, "reserved", with the mm
 * that holds it: that CPU runs it and its TLB entries stay good), and every
 * CPU must flush its whole TLB (local TLBI VMALLE1) before it next switches
 * to an ASID, since any ASID may now be reused. An mm whose id is from an
 * older generation gets a new ASID at its next activation (its old one if
 * still free or reserved). So exec never fails for lack of an ASID.
 *
 * Width: ID_AA64MMFR0_EL1.ASIDBits, 16 only if head.S also set TCR_EL1.AS
 * (it does when the CPU has 16), else 8; asid_bits=N makes it smaller (a test
 * of rollovers). At most CONFIG_NR_CPUS ASIDs are reserved at a rollover and
 * ASID 0 is never given out (TTBR0 holds it while no process runs), so at
 * least CONFIG_NR_CPUS + 2 ASIDs are needed for one to be free afterwards.
 *
 * SMP: asid_lock (a leaf) protects everything below, the per-CPU slots
 * included: a CPU writes its own active_asids slot under the lock, and the
 * CPU that rolls over reads and clears every slot under it. It is always
 * taken with interrupts masked (activation and deactivation are called so;
 * the debugfs reader masks them), so a switch from an interrupt can take it. Every activation
 * takes the lock (Linux's lock-free fast path is left out: activations are
 * per exec and per context switch, not per system call).
 */
#define ASID_MAX	(1u << 16)
#define ASID_GEN_SHIFT	16
#define ASID_IDX(id)	((unsigned int)((id) & (ASID_MAX - 1)))
#define BITS_PER_LONG	(8 * sizeof(unsigned long))
static unsigned long asid_map[ASID_MAX / BITS_PER_LONG];
static unsigned int asid_bits;			/* 0 until the first activation */
static unsigned int asid_bits_param;		/* asid_bits=, 0: the hardware's */
static u64 asid_generation = 1ULL << ASID_GEN_SHIFT;
static unsigned int asid_cur_idx = 1;		/* where the next search starts */
static unsigned long asid_rollovers;
static unsigned long tlb_flush_pending;		/* a bit per CPU */
static DEFINE_PER_CPU(u64, active_asids);	/* the id TTBR0 holds; 0: no process */
static DEFINE_PER_CPU(u64, reserved_asids);	/* the active id at the last rollover */
static DEFINE_SPINLOCK(asid_lock);

static unsigned int read_asid_bits(void)
{
	u64 mmfr0 = read_sysreg(id_aa64mmfr0_el1);
	bool hw16 = ((mmfr0 >> ID_AA64MMFR0_ASIDBITS_SHIFT) & 0xf) == ID_AA64MMFR0_ASIDBITS_16;

	return hw16 && (read_sysreg(tcr_el1) & TCR_AS) ? 16 : 8;
}

/* The fewest ASID bits that leave one ASID free after a rollover (see above). */
static unsigned int asid_bits_min(void)
{
	unsigned int b = 1;

	while ((1u << b) < CONFIG_NR_CPUS + 2)
		b++;
	return b;
}

/* asid_bits=N: N from asid_bits_min() to the hardware's width; else one line and the default. */
static int setup_asid_bits(const char *val)
{
	unsigned int hw = read_asid_bits(), min = asid_bits_min();
	char *end;
	unsigned long n = strtoul(val, &end, 10);

	if (!*val || *end || n < min || n > hw) {
		printk("asid_bits=%s: expected a number of ASID bits from %u to %u (each of up to %u CPUs "
		       "may hold one across a rollover); keeping %u\n", val, min, hw, CONFIG_NR_CPUS, hw);
		return 0;
	}
	asid_bits_param = (unsigned int)n;
	return 0;
}
early_param("asid_bits", setup_asid_bits);

static void asid_set(unsigned int idx)
{
	asid_map[idx / BITS_PER_LONG] |= 1UL << (idx % BITS_PER_LONG);
}

/* asid_test_and_set: whether idx was taken; taken afterwards. */
static bool asid_test_and_set(unsigned int idx)
{
	bool was = asid_map[idx / BITS_PER_LONG] & (1UL << (idx % BITS_PER_LONG));

	asid_set(idx);
	return was;
}

/* asid_find_free: the first free ASID from idx on, or 0 if none is. */
static unsigned int asid_find_free(unsigned int idx)
{
	for (; idx < (1u << asid_bits); idx++)
		if (!(asid_map[idx / BITS_PER_LONG] & (1UL << (idx % BITS_PER_LONG))))
			return idx;
	return 0;
}

/* flush_context: a new generation — every CPU's active id reserved, every TLB owed a flush. */
static void flush_context(void)
{
	unsigned int cpu;
	u64 id;

	memset(asid_map, 0, sizeof(asid_map));
	asid_set(0);
	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++) {
		id = per_cpu(active_asids, cpu);
		per_cpu(active_asids, cpu) = 0;
		if (!id)
			id = per_cpu(reserved_asids, cpu);
		asid_set(ASID_IDX(id));
		per_cpu(reserved_asids, cpu) = id;
	}
	tlb_flush_pending = ~0UL;
	asid_rollovers++;
}

/* check_update_reserved_asid: if a CPU reserved id, it becomes newid there; whether one did. */
static bool check_update_reserved_asid(u64 id, u64 newid)
{
	unsigned int cpu;
	bool hit = false;

	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
		if (per_cpu(reserved_asids, cpu) == id) {
			per_cpu(reserved_asids, cpu) = newid;
			hit = true;
		}
	return hit;
}

/* new_context: an id of the current generation for mm (its old ASID if it may keep it). */
static u64 new_context(struct mm_struct *mm)
{
	u64 id = mm->asid, newid;
	unsigned int idx;

	if (id) {
		newid = asid_generation | ASID_IDX(id);
		if (check_update_reserved_asid(id, newid) || !asid_test_and_set(ASID_IDX(id)))
			return newid;
	}
	idx = asid_find_free(asid_cur_idx);
	if (!idx) {
		asid_generation += 1ULL << ASID_GEN_SHIFT;
		flush_context();
		idx = asid_find_free(1);
		BUG_ON(!idx);	/* asid_bits_min() leaves one */
	}
	asid_set(idx);
	asid_cur_idx = idx;
	return asid_generation | idx;
}

/*
 * arch_mm_activate: mm gets an id of the current generation if its own is
 * older, this CPU flushes its TLB if a rollover asked it to, then TTBR0 :=
 * mm's root with the ASID, walks through TTBR0 enabled (EPD0 clear). Called
 * with interrupts masked (exec): the CPU cannot change under it. Always 0.
 */
int arch_mm_activate(struct mm_struct *mm)
{
	unsigned int cpu = smp_processor_id();
	u64 id;

	spin_lock(&asid_lock);
	if (!asid_bits) {
		asid_bits = asid_bits_param ? asid_bits_param : read_asid_bits();
		asid_set(0);
	}
	id = mm->asid;
	if (!id || (id >> ASID_GEN_SHIFT) != (asid_generation >> ASID_GEN_SHIFT)) {
		id = new_context(mm);
		mm->asid = id;
	}
	if (tlb_flush_pending & (1UL << cpu)) {
		tlb_flush_pending &= ~(1UL << cpu);
		local_flush_tlb_all();
	}
	per_cpu(active_asids, cpu) = id;
	spin_unlock(&asid_lock);
	write_sysreg(mm->ctx.root_pa | (u64)ASID_IDX(id) << TTBR_ASID_SHIFT, ttbr0_el1);
	isb();
	write_sysreg(read_sysreg(tcr_el1) & ~TCR_EPD0, tcr_el1);
	isb();
	return 0;
}

/*
 * arch_mm_deactivate: TTBR0 := the empty table (ASID 0), walks off again; this
 * CPU holds no ASID. No TLBI: mm's entries keep a tag no other mm gets before
 * a rollover, and a rollover flushes every CPU before it reuses any ASID.
 */
void arch_mm_deactivate(struct mm_struct *mm)
{
	unsigned int cpu = smp_processor_id();

	write_sysreg(read_sysreg(tcr_el1) | TCR_EPD0, tcr_el1);
	isb();
	write_sysreg(__pa_symbol(empty_pg_dir), ttbr0_el1);
	isb();
	spin_lock(&asid_lock);
	per_cpu(active_asids, cpu) = 0;
	spin_unlock(&asid_lock);
}

static DEFINE_PER_CPU(unsigned long, asid_flushes);	/* per-CPU: flush_tlb_user_ctx_range calls on this CPU */

/*
 * /sys/kernel/debug/asid: the allocator's width, generation and rollovers,
 * and the flushes of process tables that named their ASID ("name value"
 * lines, as vmstat; the flushes summed over CPUs without a lock).
 */
static void asid_show(struct seq_buf *s)
{
	unsigned long flags, flushes = 0;
	unsigned int cpu;

	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
		flushes += READ_ONCE(per_cpu(asid_flushes, cpu));
	spin_lock_irqsave(&asid_lock, flags);
	seq_buf_printf(s, "asid_bits %u\ngeneration %llu\nrollovers %lu\nflushes_by_asid %lu\n",
		       asid_bits ? asid_bits : asid_bits_param ? asid_bits_param : read_asid_bits(),
		       (unsigned long long)(asid_generation >> ASID_GEN_SHIFT), asid_rollovers, flushes);
	spin_unlock_irqrestore(&asid_lock, flags);
}
DEBUGFS_FILE(asid, "/sys/kernel/debug/asid", asid_show);

/*
 * arch_sync_icache: code written through the linear map becomes visible to
 * instruction fetches at any VA: clean the data cache to the point of
 * unification, then invalidate the whole I-cache (the A53's I-cache is VIPT and
 * may alias, so invalidating by the linear VA is not enough: Linux's choice too).
 */
void arch_sync_icache(unsigned long start, unsigned long end)
{
	unsigned long line = dcache_line_size(), a;

	for (a = start & ~(line - 1); a < end; a += line)
		__asm__ volatile("dc cvau, %0" : : "r"(a) : "memory");
	dsb(ish);
	__asm__ volatile("ic ialluis" : : : "memory");
	dsb(ish);
	isb();
}

/*
 * The ASID is read once, without asid_lock: a rollover keeps a running mm's
 * ASID (reserved) and makes every CPU flush before its next switch, so an mm
 * whose generation is old has no entry left that its old ASID could miss.
 */
void flush_tlb_user_ctx_range(struct mm_ctx *ctx, vaddr_t start, vaddr_t end, bool tables)
{
	struct mm_struct *mm = container_of(ctx, struct mm_struct, ctx);

	unsigned long flags;

	(void)tables;
	flush_tlb_user_range(READ_ONCE(mm->asid), start, end);
	local_irq_save(flags);
	(*this_cpu_ptr(asid_flushes))++;
	local_irq_restore(flags);
}
