/* entry-common.c (x86): traps from ring 3 (int $0x80, user page faults, the rest kills), the work before ring 3, the uaccess fixups. */
#include <kernel/printk.h>
#include <kernel/process.h>
#include <kernel/sched.h>
#include <kernel/setjmp.h>
#include <kernel/uaccess.h>
#include <mm/mm_struct.h>
#include <asm/processor.h>
#include <asm/ptrace.h>
#include <asm/syscall.h>

/* #PF error code bits (Intel SDM vol. 3, 4.7): also the "error N" of Linux's segfault line. */
#define X86_PF_PROT	(1u << 0)
#define X86_PF_WRITE	(1u << 1)
#define X86_PF_USER	(1u << 2)
#define X86_PF_RSVD	(1u << 3)
#define X86_PF_INSTR	(1u << 4)
#define X86_TRAP_UD	6
#define X86_TRAP_GP	13
#define X86_TRAP_PF	14

/* fault_flags: handle_mm_fault's flags for a #PF error code. */
static unsigned int fault_flags(u32 error)
{
	return (error & X86_PF_INSTR ? FAULT_FLAG_INSTRUCTION : 0) | (error & X86_PF_WRITE ? FAULT_FLAG_WRITE : 0);
}

/* try_user_fault: handle_mm_fault for a fault at addr in the current process; 0 if the page is there now. */
static unsigned int try_user_fault(unsigned long addr, u32 error)
{
	struct mm_struct *mm = current_mm();
	unsigned int ret;

	if (!mm || addr >= TASK_SIZE || (error & X86_PF_RSVD))
		return VM_FAULT_SIGSEGV;
	ret = handle_mm_fault(mm, addr, fault_flags(error));
	if (!ret)
		x86_user_fault_done(addr);
	return ret;
}

/* user_page_fault: the page is supplied, or the process dies with Linux's segfault line (x86's own error bits). */
static void user_page_fault(struct pt_regs *regs)
{
	unsigned long addr = read_cr2();
	unsigned int ret = try_user_fault(addr, regs->error_code);

	if (!ret)
		return;
	if (ret & VM_FAULT_OOM) {
		pagefault_out_of_memory();	/* back here: another process was killed; the fault is taken again */
		return;
	}
	force_sig_fault(SIGSEGV, addr, regs->eip, regs->esp,
			regs->error_code & (X86_PF_PROT | X86_PF_WRITE | X86_PF_USER | X86_PF_INSTR));
}

/*
 * user_trap_kill: any other exception from ring 3 (#UD, #GP, #DE, int3...):
 * Linux's line ("traps: comm[pid] trap invalid opcode ip:... sp:... error:0",
 * "... general protection fault ip:..."), then the process dies — SIGILL for an invalid
 * opcode, SIGSEGV for the rest (a divide error is SIGFPE on Linux; the
 * generic code names only SIGILL, SIGKILL and SIGSEGV so far).
 */
static void user_trap_kill(struct pt_regs *regs, const char *name)
{
	struct process *p = current_process();

	printk("traps: %s[%d] %s%s ip:%x sp:%x error:%x\n", p->comm, p->pid,
	       regs->vector == X86_TRAP_GP ? "" : "trap ", name, regs->eip, regs->esp, regs->error_code);
	force_sig(regs->vector == X86_TRAP_UD ? SIGILL : SIGSEGV);
}

void x86_user_trap(struct pt_regs *regs)
{
	static const char *const names[] = {
		[0] = "divide error", [1] = "debug", [3] = "int3", [4] = "overflow", [5] = "bounds",
		[6] = "invalid opcode", [7] = "device not available", [10] = "invalid TSS",
		[11] = "segment not present", [12] = "stack segment", [13] = "general protection fault",
		[16] = "coprocessor error", [17] = "alignment check", [19] = "simd exception",
	};
	u32 vec = regs->vector;
	struct process *p = current_process();

	if (setjmp(p->oops_jmp))
		do_exit(0, SIGKILL);
	fault_recovery = &p->oops_jmp;
	if (vec == IA32_SYSCALL_VECTOR)
		x86_syscall(regs);
	else if (vec == X86_TRAP_PF)
		user_page_fault(regs);
	else
		user_trap_kill(regs, vec < sizeof(names) / sizeof(names[0]) && names[vec] ? names[vec] : "trap");
	fault_recovery = NULL;
}

/*
 * x86_exit_to_user_mode: the last C before every return to ring 3
 * (entry.S), interrupts masked: a pending kill ends the process here; a
 * tick's request to yield (or a queue that grew meanwhile) first gives the
 * CPU to the next process of this CPU's queue, and the loop looks again
 * when this one runs on.
 */
void x86_exit_to_user_mode(void)
{
	struct process *p = current_process();
	int sig;

	while ((sig = READ_ONCE(p->pending_sig)) || sched_need_resched()) {
		if (sig)
			do_exit(0, sig);
		schedule();
	}
}

/*
 * x86_fixup_user_access: a #PF in the kernel at a uaccess helper's
 * instruction (uaccess.S). A user page not touched yet is supplied and the
 * access retried; anything else resumes at the helper's fixup, which returns
 * the bytes not copied (-EFAULT for the system call), never an Oops.
 */
bool x86_fixup_user_access(struct pt_regs *regs, unsigned long addr)
{
	unsigned long fixup = search_exception_tables(regs->eip);

	if (!fixup)
		return false;
	if (!try_user_fault(addr, regs->error_code))
		return true;
	regs->eip = fixup;
	return true;
}
