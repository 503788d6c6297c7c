/* ptrace.h (x86): the register frame an exception entry stub builds (arch/x86/entry.S). */
#ifndef ASM_X86_PTRACE_H
#define ASM_X86_PTRACE_H

#include <types.h>

struct pt_regs {
	u32 edi, esi, ebp, esp_unused, ebx, edx, ecx, eax;	/* pushal */
	u32 vector, error_code;					/* the stub */
	u32 eip, cs, eflags;					/* the CPU (CPL 0: no esp/ss) */
};

/* The interrupted code's stack pointer: just above what the CPU pushed. */
static inline u32 regs_sp(const struct pt_regs *regs)
{
	return (u32)(uintptr_t)&regs->eflags + 4;
}

/* Linux's accessors: where the interrupted code was, and its frame pointer. */
static inline unsigned long instruction_pointer(const struct pt_regs *regs)
{
	return (unsigned long)regs->eip;
}

static inline unsigned long frame_pointer(const struct pt_regs *regs)
{
	return (unsigned long)regs->ebp;
}
#endif
