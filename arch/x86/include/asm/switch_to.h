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
 * fx: the user's x87/MMX/SSE registers in FXSAVE's 512-byte layout, saved
 * and loaded at every switch of a task with an mm (arch/x86/fpu.c; the
 * kernel itself is built with -mgeneral-regs-only and never touches them).
 * FXSAVE needs 16-byte alignment, which a kmalloc'd process does not
 * promise: fx_area() finds the aligned 512 bytes inside fx_buf.
 */
struct thread_struct {
	u32 ebx, esi, edi, ebp;
	u32 esp, eip;
	u8 fx_buf[512 + 15];
};

static inline void *fx_area(struct thread_struct *t)
{
	return (void *)(((uintptr_t)t->fx_buf + 15) & ~(uintptr_t)15);
}

/*
 * fpu_init_cpu (fpu.c): this CPU's CR0/CR4 for user FP state (FXSAVE when
 * the CPU has it; otherwise CR0.EM, so a program's x87 instruction ends it
 * with #NM). The boot CPU's call (boot) says which on the console.
 */
void fpu_init_cpu(bool boot);
/* fpu_switch (fpu.c): prev's live FP registers to its area, next's loaded (tasks with an mm only). */
struct process;
void fpu_switch(struct process *prev, struct process *next);
/* fpu_fork: the running task's live FP registers into child's area (fork copies them, as the rest). */
void fpu_fork(struct thread_struct *child);
/* fpu_init_state: a new program's state (x87 FCW 0x37f, MXCSR 0x1f80, empty stack) into t's area. */
void fpu_init_state(struct thread_struct *t);
/* fpu_exec: the running task's live registers reset to a new program's state. */
void fpu_exec(void);

/* __cpu_switch_to (switch.S): saves prev's registers in pt, loads nt's; returns (in next) the task it came from. */
struct process *__cpu_switch_to(struct process *prev, struct process *next, struct thread_struct *pt,
				struct thread_struct *nt);
/* x86_set_esp0 (mmu_context.c): this CPU's TSS.esp0, where a trap from ring 3 lands (a kernel stack's top). */
void x86_set_esp0(unsigned long top);

#endif
