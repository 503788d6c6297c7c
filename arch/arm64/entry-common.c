/* entry-common.c (arm64): exceptions from EL0 (system calls, user faults, the rest kills) and uaccess fixups. */
#include <kernel/printk.h>
#include <kernel/process.h>
#include <kernel/sched.h>
#include <kernel/uaccess.h>
#include <asm/esr.h>
#include <asm/exception.h>
#include <asm/ptrace.h>

/* el0_svc: Linux's convention — number in x8, arguments x0-x5, result in x0. */
static void el0_svc(struct pt_regs *regs)
{
	const unsigned long a[6] = { regs->regs[0], regs->regs[1], regs->regs[2],
				     regs->regs[3], regs->regs[4], regs->regs[5] };

	regs->regs[0] = (u64)syscall_dispatch(regs->regs[8], a);
}

/* abort_flags: handle_mm_fault's flags for a data or instruction abort with syndrome esr. */
static unsigned int abort_flags(u64 esr)
{
	if (ESR_EC(esr) == ESR_EC_IABT_LOW)
		return FAULT_FLAG_INSTRUCTION;
	/* a cache maintenance op (CM) reports WnR = 1 but only needs to read */
	return ESR_ISS_WnR(esr) && !ESR_ISS_CM(esr) ? FAULT_FLAG_WRITE : 0;
}

static bool fault_fixable(u64 esr, unsigned long far)
{
	u64 type = ESR_FSC_TYPE(esr);

	return far < TASK_SIZE && (type == ESR_FSC_TRANSLATION || type == ESR_FSC_PERMISSION);
}

/* el0_mem_abort: the page is supplied, or the process dies with Linux's segfault line. */
static void el0_mem_abort(struct pt_regs *regs)
{
	unsigned int flags = abort_flags(regs->esr), ret = VM_FAULT_SIGSEGV, error = SEGV_ERR_USER;
	struct process *p = current_process();

	if (fault_fixable(regs->esr, regs->far))
		ret = handle_mm_fault(p->mm, regs->far, flags);
	if (!ret)
		return;
	if (ret & VM_FAULT_OOM) {
		pagefault_out_of_memory();	/* back here: another process was killed; the fault is taken again */
		return;
	}
	if (ESR_FSC_TYPE(regs->esr) == ESR_FSC_PERMISSION)
		error |= SEGV_ERR_PROT;
	if (flags & FAULT_FLAG_WRITE)
		error |= SEGV_ERR_WRITE;
	if (flags & FAULT_FLAG_INSTRUCTION)
		error |= SEGV_ERR_INSTR;
	force_sig_fault(SIGSEGV, regs->far, regs->elr, regs->sp, error);
}

/* el0_inv: anything else from EL0 (undefined instruction, BRK, misaligned pc, SError...): SIGILL. */
static void el0_inv(struct pt_regs *regs, unsigned long kind)
{
	struct process *p = current_process();

	printk("%s[%d]: unhandled exception (vector %lu): ESR 0x%08llx, EC 0x%02x at ip %016llx sp %016llx\n",
	       p->comm, p->pid, kind, (unsigned long long)regs->esr, (unsigned int)ESR_EC(regs->esr),
	       (unsigned long long)regs->elr, (unsigned long long)regs->sp);
	force_sig(SIGILL);
}

/* do_el0_sync: what came from EL0: a syscall, a memory abort, or anything else (SIGILL). */
static void do_el0_sync(struct pt_regs *regs, unsigned long kind, unsigned int ec)
{
	if (kind == VECTOR_EL0_SYNC && ec == ESR_EC_SVC64)
		el0_svc(regs);
	else if (kind == VECTOR_EL0_SYNC && (ec == ESR_EC_DABT_LOW || ec == ESR_EC_IABT_LOW))
		el0_mem_abort(regs);
	else
		el0_inv(regs, kind);
}

/*
 * do_el0_exception: while the kernel works for the process (a syscall, a
 * fault), this CPU's fault recovery is the process's oops_jmp: an Oops on its
 * behalf (reported) kills it with SIGKILL, not the shell. The scheduler keeps
 * fault_recovery per task across a sleep.
 */
void do_el0_exception(struct pt_regs *regs, unsigned long kind)
{
	unsigned int ec = ESR_EC(regs->esr);
	struct process *p = current_process();

	if (setjmp(p->oops_jmp))
		do_exit(0, SIGKILL);
	fault_recovery = &p->oops_jmp;
	do_el0_sync(regs, kind, ec);
	fault_recovery = NULL;
}


/*
 * exit_to_user_mode: the last C before every return to EL0 (entry.S): a
 * pending kill ends the process here; a tick's request to yield (or a queue
 * that grew meanwhile) gives the CPU to the next process first.
 */
void exit_to_user_mode(void)
{
	struct process *p = current_process();
	int sig;

	for (;;) {
		sig = READ_ONCE(p->pending_sig);
		if (sig)
			do_exit(0, sig);
		if (!sched_need_resched())
			return;
		schedule();
	}
}

bool fixup_user_access(struct pt_regs *regs)
{
	unsigned long fixup = search_exception_tables(regs->elr);
	struct mm_struct *mm = current_mm();

	if (!fixup)
		return false;
	if (mm && fault_fixable(regs->esr, regs->far) && !handle_mm_fault(mm, regs->far, abort_flags(regs->esr)))
		return true;
	regs->elr = fixup;
	return true;
}
