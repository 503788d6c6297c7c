/* mmu_context.c (arm64): ASIDs, the TTBR0 switch for a process, the way into EL0, I-cache sync. */
#include <errno.h>
#include <string.h>
#include <kernel/bug.h>
#include <kernel/process.h>
#include <kernel/spinlock.h>
#include <asm/cacheflush.h>
#include <asm/mmu_context.h>
#include <asm/ptrace.h>
#include <asm/sysreg.h>
#include <asm/tlbflush.h>

/*
 * ASIDs. Width: ID_AA64MMFR0_EL1.ASIDBits, 16 only if head.S also set
 * TCR_EL1.AS (it does when the CPU has 16), else 8. ASID 0 is never given out
 * (it is what TTBR0 holds while no process runs). A plain bitmap: an mm holds
 * its ASID for its whole life and frees it at exit after a TLBI ASIDE1IS, so
 * no stale translation of an old owner can survive into a new one. When all
 * are taken, exec fails: Linux's generation rollover (reuse with a full flush)
 * comes with the scheduler, when many processes live at once.
 */
#define ASID_MAX	(1u << 16)
#define BITS_PER_LONG	(8 * sizeof(unsigned long))
static unsigned long asid_map[ASID_MAX / BITS_PER_LONG];	/* protected by asid_lock */
static unsigned int asid_bits;					/* protected by asid_lock */
static DEFINE_SPINLOCK(asid_lock);

static unsigned int read_asid_bits(void)
{
	u64 mmfr0 = read_sysreg(id_aa64mmfr0_el1);
	bool hw16 = ((mmfr0 >> ID_AA64MMFR0_ASIDBITS_SHIFT) & 0xf) == ID_AA64MMFR0_ASIDBITS_16;

	return hw16 && (read_sysreg(tcr_el1) & TCR_AS) ? 16 : 8;
}

/* asid_alloc: the lowest free ASID above 0, or 0 if none is free. */
static unsigned int asid_alloc(void)
{
	unsigned int a, found = 0;

	spin_lock(&asid_lock);
	if (!asid_bits)
		asid_bits = read_asid_bits();
	for (a = 1; a < (1u << asid_bits) && !found; a++)
		if (!(asid_map[a / BITS_PER_LONG] & (1UL << (a % BITS_PER_LONG)))) {
			asid_map[a / BITS_PER_LONG] |= 1UL << (a % BITS_PER_LONG);
			found = a;
		}
	spin_unlock(&asid_lock);
	return found;
}

static void asid_free(unsigned int a)
{
	spin_lock(&asid_lock);
	asid_map[a / BITS_PER_LONG] &= ~(1UL << (a % BITS_PER_LONG));
	spin_unlock(&asid_lock);
}

/* arch_mm_activate: TTBR0 := mm's root with its ASID, walks through TTBR0 enabled (EPD0 clear). */
int arch_mm_activate(struct mm_struct *mm)
{
	if (!mm->asid)
		mm->asid = asid_alloc();
	if (!mm->asid)
		return -EBUSY;
	write_sysreg(mm->ctx.root_pa | (u64)mm->asid << TTBR_ASID_SHIFT, ttbr0_el1);
	isb();
	write_sysreg(read_sysreg(tcr_el1) & ~TCR_EPD0, tcr_el1);
	isb();
	return 0;
}

/*
 * arch_mm_deactivate: TTBR0 := the empty table (ASID 0), walks off again,
 * then every TLB entry tagged with mm's ASID goes on every CPU (TLBI
 * ASIDE1IS: a CPU that speculatively walked the tables may hold some) before
 * the ASID is free for another mm.
 */
void arch_mm_deactivate(struct mm_struct *mm)
{
	write_sysreg(read_sysreg(tcr_el1) | TCR_EPD0, tcr_el1);
	isb();
	write_sysreg(__pa_symbol(empty_pg_dir), ttbr0_el1);
	isb();
	if (!mm->asid)
		return;
	dsb(ishst);
	__asm__ volatile("tlbi aside1is, %0" : : "r"((u64)mm->asid << TTBR_ASID_SHIFT) : "memory");
	dsb(ish);
	isb();
	asid_free(mm->asid);
	mm->asid = 0;
}

/* arch_enter_user: a frame with pc = entry, sp = the user stack, EL0t, IRQs on; then eret. */
void arch_enter_user(unsigned long entry, unsigned long sp)
{
	struct pt_regs regs;

	memset(&regs, 0, sizeof(regs));
	regs.elr = entry;
	regs.sp = sp;
	regs.spsr = SPSR_EL0t;
	ret_to_user(&regs);
}

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
