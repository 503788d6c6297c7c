/* syscall.h (x86): ring 3's ways into the kernel — int $0x80 (syscall_table.c) and its traps (entry-common.c). */
#ifndef ASM_X86_SYSCALL_H
#define ASM_X86_SYSCALL_H

#include <types.h>

#define IA32_SYSCALL_VECTOR	0x80	/* int $0x80: the only gate ring 3 may call (DPL 3) */

struct pt_regs;
/* x86_syscall: runs the i386 system call in regs (eax, ebx...ebp) and puts its result in eax. */
void x86_syscall(struct pt_regs *regs);
/* x86_user_trap: an exception or int $0x80 from ring 3 (do_trap hands every one here). */
void x86_user_trap(struct pt_regs *regs);
/* x86_exit_to_user_mode: entry.S's last call before iret to ring 3 (a pending kill, a reschedule). */
void x86_exit_to_user_mode(void);
/* x86_fixup_user_access: a kernel #PF at addr in a uaccess helper: the page supplied, or the fixup. false: no fixup. */
bool x86_fixup_user_access(struct pt_regs *regs, unsigned long addr);
/* mmu_context.c: a fault at addr was supplied; CR3 reloaded if its PDPT entry is new. */
void x86_user_fault_done(unsigned long addr);

#endif
