/* exception.h (arm64): the vector kinds entry.S passes, and the handlers of exceptions from EL0. */
#ifndef ASM_ARM64_EXCEPTION_H
#define ASM_ARM64_EXCEPTION_H

#include <types.h>

/* do_exception's kind: the vector's index (entry.S), 0-7 from EL1, 8-15 from EL0. */
#define VECTOR_EL1h_SYNC	4
#define VECTOR_EL1h_IRQ		5
#define VECTOR_EL0_SYNC		8
#define VECTOR_EL0_IRQ		9

struct pt_regs;
/* do_el0_exception: a synchronous exception, FIQ or SError from EL0 (entry-common.c). */
void do_el0_exception(struct pt_regs *regs, unsigned long kind);
/* exit_to_user_mode: the last C before every return to EL0: a pending kill, a reschedule (entry-common.c). */
void exit_to_user_mode(void);
/*
 * fixup_user_access: an abort at EL1 in a uaccess instruction: the page is
 * supplied (true: retry) or the copy resumes at its fixup (true); false if
 * the faulting instruction is not a uaccess one (a kernel bug: Oops).
 */
bool fixup_user_access(struct pt_regs *regs);

#endif
