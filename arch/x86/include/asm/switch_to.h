/* switch_to.h (x86): what a task keeps of the CPU while it is off it — the callee-saved registers, esp and eip. */
#ifndef ASM_X86_SWITCH_TO_H
#define ASM_X86_SWITCH_TO_H

#include <types.h>

/*
 * thread_struct: ebx, esi, edi, ebp (the i386 ABI's callee-saved
 * registers), esp and eip (where __cpu_switch_to resumes). Only
 * __cpu_switch_to (switch.S) reads and writes them, with the task off every
 * CPU or being switched out by its own. The offsets are switch.S's.
 *
 * No FP/SSE state: the kernel is built with -mgeneral-regs-only and the
 * i686 user programs built here use no x87, MMX or SSE instruction (an
 * objdump of every one shows none), so there is nothing to save; a program
 * that used them would see another process's x87 registers.
 */
struct thread_struct {
	u32 ebx, esi, edi, ebp;
	u32 esp, eip;
};

/* __cpu_switch_to (switch.S): saves prev's registers in pt, loads nt's; returns (in next) the task it came from. */
struct process;
struct process *__cpu_switch_to(struct process *prev, struct process *next, struct thread_struct *pt,
				struct thread_struct *nt);
/* x86_set_esp0 (mmu_context.c): this CPU's TSS.esp0, where a trap from ring 3 lands (a kernel stack's top). */
void x86_set_esp0(unsigned long top);

#endif
