/* mmu_context.h (arm64): the user half's register bits — TTBR0's ASID field, ID_AA64MMFR0_EL1.ASIDBits. */
#ifndef ASM_ARM64_MMU_CONTEXT_H
#define ASM_ARM64_MMU_CONTEXT_H

#include <const.h>

/* TTBR0_EL1.ASID: bits [63:48] (ARM ARM D13.2.131); 8 bits of it unless TCR_EL1.AS. */
#define TTBR_ASID_SHIFT		48
/* ID_AA64MMFR0_EL1.ASIDBits, bits [7:4] (D13.2.64): 0 = 8 bits, 2 = 16 bits. */
#define ID_AA64MMFR0_ASIDBITS_SHIFT	4
#define ID_AA64MMFR0_ASIDBITS_16	2
/* SPSR for a return to EL0t (AArch64, SP_EL0) with DAIF clear: IRQs keep running in user mode. */
#define SPSR_EL0t		_UL(0x0)

#ifndef __ASSEMBLER__
#include <types.h>
#include <asm/pgtable.h>
/* The empty TTBR0 table (mmu.c): the user half when no process runs (walks disabled: TCR.EPD0). */
extern pte_t empty_pg_dir[512];
struct pt_regs;
/* ret_to_user (entry.S): eret to EL0 with the frame regs on this kernel stack. */
__noreturn void ret_to_user(struct pt_regs *regs);
#endif

#endif
