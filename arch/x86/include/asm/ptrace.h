/* ptrace.h (x86): the register frame an exception entry stub builds (arch/x86/entry.S), from ring 0 or ring 3. */
#ifndef ASM_X86_PTRACE_H
#define ASM_X86_PTRACE_H

/* Offsets entry.S uses. */
#define PT_CS		60

#ifndef __ASSEMBLER__
#include <types.h>

struct pt_regs {
	u32 edi, esi, ebp, esp_unused, ebx, edx, ecx, eax;	/* pushal */
	u32 ds, es, fs, gs;					/* trap_common */
	u32 vector, error_code;					/* the stub */
	u32 eip, cs, eflags;					/* the CPU */
	u32 esp, ss;			/* the CPU, only from ring 3 (a stack switch to TSS.esp0) */
};

/* user_mode: the trap came from ring 3 (the saved CS's RPL). */
static inline bool user_mode(const struct pt_regs *regs)
{
	return (regs->cs & 3) == 3;
}

/* The interrupted code's stack pointer: the one the CPU saved, or (ring 0) just above what it pushed. */
static inline u32 regs_sp(const struct pt_regs *regs)
{
	return user_mode(regs) ? regs->esp : (u32)(uintptr_t)&regs->eflags + 4;
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
#endif
