/* mmu.c (x86): paging_init's arch part — CPU paging features (NX, PAT, PGE), lowmem limits, CR3. */
#include <kernel/bug.h>
#include <kernel/printk.h>
#include <mm/memblock.h>
#include <mm/paging.h>
#include <asm/memory.h>
#include <asm/processor.h>
#include <asm/setup.h>
#include <asm/tlbflush.h>
#include <string.h>

bool x86_has_nx;
/* Bits an entry may carry on this CPU (Linux's name): NX only with EFER.NXE. */
u64 __supported_pte_mask = ~_PAGE_NX;
extern char _text[], _etext[], _sdata[], _end[];

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

/*
 * x86_cpu_init_ap: an AP's share of x86_cpu_init — the boot CPU's PAT (every
 * CPU must agree on what the PAT bits of a shared entry mean); PAE, PGE and
 * EFER.NXE were set by trampoline.S before it used the final tables.
 */
void x86_cpu_init_ap(void)
{
	u32 a, b, c, d;

	cpuid(1, &a, &b, &c, &d);
	if (d & X86_FEATURE_EDX_PAT)
		wrmsr(MSR_IA32_CR_PAT, PAT_VALUE);
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

static paddr_t lowmem_end;

/*
 * arch_paging_setup: init_mm spans the whole 4 GiB (the PDPT is its root, so
 * CR3 can point at it; nothing below PAGE_OFFSET gets mapped, so NULL faults).
 * Only lowmem is linearly mapped: RAM up to 896 MiB (MAXMEM); the rest is
 * HighMem, reached through kmap. The image lives inside the linear map and
 * gets its W^X sections there. W^X cannot be checked without NX.
 */
void arch_paging_setup(struct paging_arch *pa)
{
	lowmem_end = min(memblock_end_of_DRAM(), (paddr_t)MAXMEM);
	pa->va_base = 0;
	pa->va_size = 4 * SZ_1G;
	pa->linear_end = lowmem_end;
	pa->no_nx = !x86_has_nx;
}

/* arch_switch_root: CR3 := the PDPT; head.S's identity map is gone from here on. */
void arch_switch_root(struct mm_ctx *ctx)
{
	write_cr3((unsigned long)ctx->root_pa);
	flush_tlb_all();
}

void arch_paging_done(void)
{
	print_vm_layout(lowmem_end);
	printk("paging_init: lowmem 0x%08llx-0x%08llx at PAGE_OFFSET 0x%08lx, %lu table pages\n",
	       0ULL, (unsigned long long)lowmem_end, (unsigned long)PAGE_OFFSET, init_mm.nr_tables);
}
