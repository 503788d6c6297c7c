/* mmu.c (arm64): paging_init's arch part — the TTBR1 switch with break-before-make through the idmap. */
#include <asm/memory.h>
#include <asm/mmu_context.h>
#include <asm/sysreg.h>
#include <asm/tlbflush.h>
#include <mm/kasan.h>
#include <mm/paging.h>

/*
 * The kernel's TTBR1 map after paging_init (mm/paging.c builds it; asm/memory.h
 * has the whole layout, the board layer the device map):
 *
 *   PAGE_OFFSET + pa      all RAM, RW NX, 2 MiB blocks (1 GiB where a whole GiB is RAM),
 *                         the contiguous hint on aligned 32 MiB runs of blocks
 *   KIMAGE_VADDR + 0x80000  the image: text ro x, rodata ro NX, data+bss RW NX (4 KiB pages)
 *   PERIPH_VADDR          the board's device map (Pi 3: the 16 MiB of peripherals Device-nGnRE,
 *                         the UARTs where head.S put them, then the ARM-local block
 *                         Device-nGnRnE: arch/arm64/boards/rpi3.c)
 *   TTBR0                 an empty table, walks disabled: NULL and user addresses fault
 */

extern char idmap_pg_dir[];

pte_t empty_pg_dir[512] __aligned(4096);	/* TTBR0 when no process runs; and TTBR1 during the switch */

/*
 * The kernel's half: TTBR1's whole 48-bit range; all RAM is linear (no HighMem).
 * Regions of its own: KASAN's shadow in a KASAN=1 build (arch/arm64/kasan_init.c), else none.
 */
void arch_paging_setup(struct paging_arch *pa)
{
	pa->va_base = PAGE_OFFSET;
	pa->va_size = 1ULL << VA_BITS;
	pa->nr_regions = arch_kasan_shadow_regions(&pa->regions);
}

/* Right after the switch: KASAN's shadow is mapped, so KASAN starts (nothing without KASAN=1). */
void arch_paging_done(void)
{
	kasan_init();
}

/*
 * arm64_idmap_replace_ttbr1(new_root_pa, empty_pa): runs at its physical
 * address through TTBR0's identity map, because the code doing the switch must
 * not be translated by the tables being switched. Break: TTBR1 := an empty
 * table, TLBI VMALLE1, DSB, ISB — no translation of the old map survives. Make:
 * TTBR1 := the new root, ISB. It touches no memory (no stack, no literals).
 * The TLBI is local (VMALLE1, DSB NSH): paging_init runs on the boot CPU
 * before smp_init releases any other core, and TTBR1 is this core's register.
 */
void arm64_idmap_replace_ttbr1(u64 root_pa, u64 empty_pa);
__asm__(
"	.pushsection .text.arm64_idmap_replace_ttbr1, \"ax\"\n"
"	.global arm64_idmap_replace_ttbr1\n"
"	.type arm64_idmap_replace_ttbr1, %function\n"
"arm64_idmap_replace_ttbr1:\n"
"	msr	ttbr1_el1, x1\n"
"	isb\n"
"	tlbi	vmalle1\n"
"	dsb	nsh\n"
"	isb\n"
"	msr	ttbr1_el1, x0\n"
"	isb\n"
"	ret\n"
"	.size arm64_idmap_replace_ttbr1, . - arm64_idmap_replace_ttbr1\n"
"	.popsection\n");

/*
 * arch_switch_root: switches TTBR1 to ctx (init_mm) with break-before-make: the
 * identity map in TTBR0 is enabled just long enough to run the switch from it,
 * then TTBR0 gets an empty table and walks through it stay disabled
 * (TCR_EL1.EPD0), so NULL and user addresses fault.
 */
void arch_switch_root(struct mm_ctx *ctx)
{
	void (*replace)(u64, u64) = (void (*)(u64, u64))__pa_symbol(arm64_idmap_replace_ttbr1);
	u64 tcr = read_sysreg(tcr_el1);

	write_sysreg(__pa_symbol(idmap_pg_dir), ttbr0_el1);
	write_sysreg(tcr & ~TCR_EPD0, tcr_el1);
	isb();
	local_flush_tlb_all();	/* boot CPU only, before SMP (see above) */
	replace(ctx->root_pa, __pa_symbol(empty_pg_dir));
	write_sysreg(__pa_symbol(empty_pg_dir), ttbr0_el1);
	write_sysreg(tcr | TCR_EPD0, tcr_el1);
	isb();
	local_flush_tlb_all();
}
