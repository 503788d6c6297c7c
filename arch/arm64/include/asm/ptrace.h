/* ptrace.h (arm64): the register frame the exception vectors save (layout shared with entry.S). */
#ifndef ASM_ARM64_PTRACE_H
#define ASM_ARM64_PTRACE_H

#define PT_REGS_SIZE	(36 * 8)
#define PT_SP		(31 * 8)
#define PT_ELR		(32 * 8)
#define PT_SPSR		(33 * 8)
#define PT_ESR		(34 * 8)
#define PT_FAR		(35 * 8)

#ifndef __ASSEMBLER__
#include <types.h>
#include <compiler.h>

struct pt_regs {
	u64 regs[31];	/* x0..x30 */
	u64 sp;
	u64 elr;	/* pc at the exception */
	u64 spsr;
	u64 esr;
	u64 far;
};

BUILD_BUG_ON(sizeof(struct pt_regs) != PT_REGS_SIZE);
BUILD_BUG_ON(offsetof(struct pt_regs, far) != PT_FAR);

/* Linux's accessors: where the interrupted code was, and its frame pointer. */
static inline unsigned long instruction_pointer(const struct pt_regs *regs)
{
	return (unsigned long)regs->elr;
}

static inline unsigned long frame_pointer(const struct pt_regs *regs)
{
	return (unsigned long)regs->regs[29];
}

#endif

#endif
