/* mmu.c (arm64): paging_init — the final kernel map (linear map, W^X image, devices), switched in with BBM. */
#include <asm/board.h>
#include <asm/memory.h>
#include <asm/pgtable.h>
#include <asm/sysreg.h>
#include <asm/tlbflush.h>
#include <mm/gfp.h>
#include <mm/memblock.h>
#include <mm/mm.h>
#include <mm/pgalloc.h>
#include <mm/pgtable.h>
#include <mm/ptdump.h>
#include <mm/slab.h>
#include <kernel/arch.h>
#include <kernel/time.h>
#include <kernel/bug.h>
#include <kernel/printk.h>
#include <kernel/seq_buf.h>
#include <string.h>

/*
 * The kernel's TTBR1 map after paging_init (asm/memory.h has the whole layout):
 *
 *   PAGE_OFFSET + pa      all RAM, RW NX, 2 MiB blocks (1 GiB where a whole GiB is RAM),
 *                         the contiguous hint on aligned 32 MiB runs of blocks
 *   KIMAGE_VADDR + 0x80000  the image: text ro x, rodata ro NX, data+bss RW NX (4 KiB pages)
 *   PERIPH_VADDR          0x3f000000-0x3fffffff Device-nGnRE (the UARTs stay where head.S
 *                         put them: PERIPH_VADDR + 0x200000), then the ARM-local block
 *                         0x40000000 (256 KiB) Device-nGnRnE
 *   TTBR0                 an empty table, walks disabled: NULL and user addresses fault
 */

extern char _text[], _etext[], __start_rodata[], __end_rodata[], __start_data[], _end[];
extern char idmap_pg_dir[];

/* The board's fixed device map (Pi 3, BCM2837): a const table, consumed by paging_init. */
struct board_region {
	const char *name;
	unsigned long va;
	paddr_t pa;
	u64 size;
	u32 prot;
};

static const struct board_region pi3_fixed_map[] = {
	{ "peripherals", PERIPH_VADDR, PERIPH_PHYS, PERIPH_SIZE, PAGE_KERNEL_DEVICE },
	{ "ARM-local", LOCAL_VADDR, LOCAL_PHYS, LOCAL_SIZE, PAGE_KERNEL_DEVICE_nGnRnE },
};

static pte_t empty_pg_dir[512] __aligned(4096);	/* TTBR0 from now on; and TTBR1 during the switch */

static void map_or_panic(unsigned long va, paddr_t pa, u64 size, u32 prot, const char *what)
{
	int err = pt_map(&init_mm, va, pa, size, prot);

	if (err)
		panic("paging_init: cannot map %s (0x%016lx -> 0x%016llx, 0x%llx bytes): %d",
		      what, va, (unsigned long long)pa, (unsigned long long)size, err);
}

/* Until memory discovery fills memblock: the ARM's RAM on a Pi 3 (1 GiB minus the GPU's 64 MiB). */
static void pi3_assumed_ram(paddr_t *start, paddr_t *end)
{
	*start = 0;
	*end = 0x3c000000;
}

/* Maps all RAM at PAGE_OFFSET; returns false if memblock knew none and the Pi 3 default was used. */
static bool map_linear(void)
{
	paddr_t s, e;
	u64 i;
	int n = 0;

	for_each_mem_range(i, &s, &e) {
		map_or_panic((unsigned long)__va(s), s, e - s, PAGE_KERNEL, "RAM");
		n++;
	}
	if (n)
		return true;
	pi3_assumed_ram(&s, &e);
	map_or_panic((unsigned long)__va(s), s, e - s, PAGE_KERNEL, "RAM");
	return false;
}

static void map_kernel_segment(char *start, char *end, u32 prot, const char *what)
{
	BUG_ON(!IS_ALIGNED((unsigned long)start, PAGE_SIZE) || !IS_ALIGNED((unsigned long)end, PAGE_SIZE));
	map_or_panic((unsigned long)start, __pa_symbol(start), end - start, prot, what);
}

/*
 * arm64_idmap_replace_ttbr1(new_root_pa, empty_pa): runs at its physical
 * address through TTBR0's identity map, because the code doing the switch must
 * not be translated by the tables being switched. Break: TTBR1 := an empty
 * table, TLBI VMALLE1, DSB, ISB — no translation of the old map survives. Make:
 * TTBR1 := the new root, ISB. It touches no memory (no stack, no literals).
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
 * Switches TTBR1 to init_mm with break-before-make: the identity map in TTBR0
 * is enabled just long enough to run the switch from it, then TTBR0 gets an
 * empty table and walks through it stay disabled (TCR_EL1.EPD0).
 */
static void switch_to_init_mm(void)
{
	void (*replace)(u64, u64) = (void (*)(u64, u64))__pa_symbol(arm64_idmap_replace_ttbr1);
	u64 tcr = read_sysreg(tcr_el1);

	write_sysreg(__pa_symbol(idmap_pg_dir), ttbr0_el1);
	write_sysreg(tcr & ~TCR_EPD0, tcr_el1);
	isb();
	local_flush_tlb_all();
	replace(init_mm.root_pa, __pa_symbol(empty_pg_dir));
	write_sysreg(__pa_symbol(empty_pg_dir), ttbr0_el1);
	write_sysreg(tcr | TCR_EPD0, tcr_el1);
	isb();
	local_flush_tlb_all();
}

/*
 * paging_init: builds the final kernel map in init_mm (tables from the BSS
 * pool), switches TTBR1 to it, and checks W^X with the ptdump walk.
 */
void paging_init(void)
{
	u64 t0 = arch_counter_read(), t1, t2;
	unsigned int i;
	bool ram_known;
	paddr_t rs, re;

	if (mm_ctx_init(&init_mm, PAGE_OFFSET, 1ULL << VA_BITS, pagetable_boot_pool()))
		panic("paging_init: no table page for the root");
	ram_known = map_linear();
	map_kernel_segment(_text, _etext, PAGE_KERNEL_ROX, "kernel text");
	map_kernel_segment(__start_rodata, __end_rodata, PAGE_KERNEL_RO, "kernel rodata");
	map_kernel_segment(__start_data, _end, PAGE_KERNEL, "kernel data/bss");
	for (i = 0; i < ARRAY_SIZE(pi3_fixed_map); i++)
		map_or_panic(pi3_fixed_map[i].va, pi3_fixed_map[i].pa, pi3_fixed_map[i].size,
			     pi3_fixed_map[i].prot, pi3_fixed_map[i].name);
	t1 = arch_counter_read();
	switch_to_init_mm();
	pagetable_linear_map_ready();
	t2 = arch_counter_read();
	if (!ram_known) {
		pi3_assumed_ram(&rs, &re);
		printk("paging_init: memblock has no RAM; assumed 0x%016llx-0x%016llx\n",
		       (unsigned long long)rs, (unsigned long long)re - 1);
	}
	printk("paging_init: kernel map in %lu table pages, built in %llu ticks (%lu us), switched in %llu ticks\n",
	       init_mm.nr_tables, (unsigned long long)(t1 - t0), ticks_to_us(t1 - t0),
	       (unsigned long long)(t2 - t1));
	ptdump_check_wx(&init_mm);
}

