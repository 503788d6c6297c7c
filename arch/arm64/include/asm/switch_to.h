/* switch_to.h (arm64): what a task keeps of the CPU while it is off it — callee-saved registers, sp, FP/SIMD. */
#ifndef ASM_ARM64_SWITCH_TO_H
#define ASM_ARM64_SWITCH_TO_H

#include <types.h>

/*
 * cpu_context: x19-x28, fp (x29), sp and pc (the lr cpu_switch_to returns
 * to), Linux's struct cpu_context. Only cpu_switch_to (switch.S) reads and
 * writes it, with the task off every CPU or being switched out by its own.
 */
struct cpu_context {
	u64 x19, x20, x21, x22, x23, x24, x25, x26, x27, x28;
	u64 fp, sp, pc;
};

/*
 * fpsimd_state: the user's V0-V31, FPSR and FPCR. The kernel is built with
 * -mgeneral-regs-only, so the FP/SIMD registers always hold the running
 * task's user values: they are saved and loaded at each switch.
 */
struct fpsimd_state {
	u64 vregs[64];		/* q0-q31, 16 bytes each */
	u64 fpsr, fpcr;
};

struct thread_struct {
	struct cpu_context ctx;
	struct fpsimd_state fp;
};

/* __cpu_switch_to (switch.S): saves prev's context in pc, loads nc; returns (in next) the task it came from. */
struct process;
struct process *__cpu_switch_to(struct process *prev, struct process *next, struct cpu_context *pc,
				struct cpu_context *nc);
/* fpsimd_save / fpsimd_load: this CPU's FP/SIMD registers to / from st. */
void fpsimd_save(struct fpsimd_state *st);
void fpsimd_load(const struct fpsimd_state *st);

#endif
