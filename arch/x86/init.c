/* init.c (x86): CPU features for paging (NX, PAT, global pages) and the final kernel page tables. */
#include <kernel/bug.h>
#include <kernel/printk.h>
#include <mm/memblock.h>
#include <asm/memory.h>
#include <asm/processor.h>
#include <asm/setup.h>

bool x86_has_nx;

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
	if (d & X86_FEATURE_EDX_PAT)
		wrmsr(MSR_IA32_CR_PAT, PAT_VALUE);
	else
		printk("x86/PAT: not supported by the CPU, MT_NORMAL_NC maps write-through\n");
	cpuid(0x80000000, &a, &b, &c, &d);
	if (a >= 0x80000001)
		cpuid(0x80000001, &a, &b, &c, &ext_d);
	x86_has_nx = ext_d & X86_FEATURE_EDX_NX;
	if (x86_has_nx)
		wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
	printk("NX (Execute Disable) protection: %s\n", x86_has_nx ? "active" : "not available");
}

/* x86_paging_init: (for now) keeps memblock allocations in the early-mapped lowmem. */
void x86_paging_init(void)
{
	memblock_set_current_limit(MAXMEM);
}
