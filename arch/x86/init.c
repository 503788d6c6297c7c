/* init.c (x86): CPU features for paging (NX, PAT, global pages) and the final kernel page tables. */
#include <kernel/bug.h>
#include <kernel/printk.h>
#include <mm/memblock.h>
#include <mm/mm.h>
#include <mm/pgalloc.h>
#include <mm/pgtable.h>
#include <mm/ptdump.h>
#include <asm/memory.h>
#include <asm/processor.h>
#include <asm/setup.h>
#include <string.h>

bool x86_has_nx;
/* Bits an entry may carry on this CPU (Linux's name): NX only with EFER.NXE. */
u64 __supported_pte_mask = ~_PAGE_NX;
extern char _text[], _etext[], __end_rodata[], _sdata[], _end[];

/*
 * PAT entries, index = PAT*4 + PCD*2 + PWT (SDM vol. 3, 11.12.3). Linux's
 * layout: 0 WB (MT_NORMAL), 1 WC (MT_NORMAL_NC), 2 UC- (MT_DEVICE_nGnRE),
 * 3 UC (MT_DEVICE_nGnRnE); 4-7 repeat it with WP and WT where PAT=1.
 */
#define PAT_UC		0x00ull
#define PAT_WC		0x01ull
#define PAT_WT		0x04ull
#define PAT_WP		0x05ull
#define PAT_WB		0x06ull
#define PAT_UC_MINUS	0x07ull
#define PAT(i, t)	((t) << ((i) * 8))
#define PAT_VALUE	(PAT(0, PAT_WB) | PAT(1, PAT_WC) | PAT(2, PAT_UC_MINUS) | PAT(3, PAT_UC) | \
			 PAT(4, PAT_WB) | PAT(5, PAT_WP) | PAT(6, PAT_UC_MINUS) | PAT(7, PAT_WT))

/*
 * x86_cpu_init: PAE is required (panics without it). NX is switched on in
 * EFER when CPUID says the CPU has it (otherwise bit 63 of an entry would be a
 * reserved bit). Without PAT the power-on PAT (WB, WT, UC-, UC) stays, so
 * MT_NORMAL_NC degrades to write-through; it is reported.
 */
void x86_cpu_init(void)
{
	u32 a, b, c, d, ext_d = 0;

	cpuid(1, &a, &b, &c, &d);
	if (!(d & X86_FEATURE_EDX_PAE))
		panic("x86: this CPU has no PAE");
	if (d & X86_FEATURE_EDX_PGE)
		write_cr4(read_cr4() | X86_CR4_PGE);
	if (d & X86_FEATURE_EDX_PAT) {
		wrmsr(MSR_IA32_CR_PAT, PAT_VALUE);
		printk("x86/PAT: Configuration [0-7]: WB  WC  UC- UC  WB  WP  UC- WT  \n");
	} else {
		printk("x86/PAT: not supported by the CPU, MT_NORMAL_NC maps write-through\n");
	}
	cpuid(0x80000000, &a, &b, &c, &d);
	if (a >= 0x80000001)
		cpuid(0x80000001, &a, &b, &c, &ext_d);
	x86_has_nx = ext_d & X86_FEATURE_EDX_NX;
	if (x86_has_nx) {
		wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
		__supported_pte_mask |= _PAGE_NX;
	}
	printk("NX (Execute Disable) protection: %s\n", x86_has_nx ? "active" : "not available");
}

/* Maps [start, end) of lowmem at __va(start) with prot; a failure this early is fatal. */
static void map_lowmem(paddr_t start, paddr_t end, u32 prot)
{
	int err;

	if (start >= end)
		return;
	err = pt_map(&init_mm, (vaddr_t)__va(start), start, end - start, prot);
	if (err)
		panic("paging_init: pt_map(0x%llx-0x%llx) failed: %d",
		      (unsigned long long)start, (unsigned long long)end, err);
}

/* Maps the RAM in [start, end) (lowmem) except the kernel image, which gets its own sections. */
static void map_lowmem_around_kernel(paddr_t start, paddr_t end)
{
	paddr_t ks = __pa_symbol(_text), ke = __pa_symbol(_end);

	map_lowmem(start, min(end, ks), PAGE_KERNEL);
	map_lowmem(max(start, ke), end, PAGE_KERNEL);
}

/* Linux 32-bit's boot-time picture of the kernel's half of the address space. */
static void print_vm_layout(paddr_t lowmem_end)
{
	printk("virtual kernel memory layout:\n"
	       "    fixmap  : 0x%08lx - 0x%08lx   (%4lu kB)\n"
	       "    pkmap   : 0x%08lx - 0x%08lx   (%4lu kB)\n"
	       "    vmalloc : 0x%08lx - 0x%08lx   (%4lu MB)\n"
	       "    lowmem  : 0x%08lx - 0x%08lx   (%4lu MB)\n"
	       "      .data : 0x%08lx - 0x%08lx   (%4lu kB)\n"
	       "      .text : 0x%08lx - 0x%08lx   (%4lu kB)\n",
	       FIXADDR_START, FIXADDR_TOP, (FIXADDR_TOP - FIXADDR_START) >> 10,
	       PKMAP_BASE, PKMAP_END, (PKMAP_END - PKMAP_BASE) >> 10,
	       VMALLOC_START, VMALLOC_END, (VMALLOC_END - VMALLOC_START) >> 20,
	       PAGE_OFFSET, (unsigned long)__va(lowmem_end), (unsigned long)(lowmem_end >> 20),
	       (unsigned long)_sdata, (unsigned long)_end, (unsigned long)(_end - _sdata) >> 10,
	       (unsigned long)_text, (unsigned long)_etext, (unsigned long)(_etext - _text) >> 10);
}

/*
 * paging_init: builds init_mm over the whole 4 GiB (the PDPT is its root,
 * so CR3 can point at it) with the generic walker: lowmem RAM at PAGE_OFFSET
 * (2 MiB pages wherever alignment allows), the kernel image W^X with 4 KiB
 * pages (text ROX, rodata RO, data/BSS RW+NX), nothing below PAGE_OFFSET. Then
 * switches CR3: the identity map of head.S is gone and NULL faults.
 */
void paging_init(void)
{
	paddr_t lowmem_end = min(memblock_end_of_DRAM(), (paddr_t)MAXMEM), s, e;
	u64 i;

	memblock_set_current_limit(lowmem_end);
	if (mm_ctx_init(&init_mm, 0, 4 * SZ_1G, pagetable_boot_pool()))
		panic("paging_init: no memory for the PDPT");
	for_each_mem_range(i, &s, &e)
		if (s < lowmem_end)
			map_lowmem_around_kernel(s, min(e, lowmem_end));
	map_lowmem(__pa_symbol(_text), __pa_symbol(_etext), PAGE_KERNEL_ROX);
	map_lowmem(__pa_symbol(_etext), __pa_symbol(__end_rodata), PAGE_KERNEL_RO);
	map_lowmem(__pa_symbol(_sdata), __pa_symbol(_end), PAGE_KERNEL);
	write_cr3((unsigned long)init_mm.root_pa);
	flush_tlb_all();
	if (x86_has_nx)
		ptdump_check_wx(&init_mm);
	else
		printk("Checked W+X mappings: skipped, the CPU has no NX\n");
	print_vm_layout(lowmem_end);
	printk("paging_init: lowmem 0x%08llx-0x%08llx at PAGE_OFFSET 0x%08lx, %lu table pages\n",
	       0ULL, (unsigned long long)lowmem_end, (unsigned long)PAGE_OFFSET, init_mm.nr_tables);
}
