/* process.c (x86): a process's registers — its first entry to ring 3, fork's copy, execve's reset, the switch, idle. */
#include <string.h>
#include <kernel/sched.h>
#include <asm/irqflags.h>
#include <asm/ptrace.h>
#include <asm/smp.h>

extern char ret_from_fork[];

/* task_pt_regs: the frame traps from ring 3 build at the top of p's kernel stack (its TSS.esp0, entry.S). */
static struct pt_regs *task_pt_regs(struct process *p)
{
	return (struct pt_regs *)((char *)p->kstack + THREAD_SIZE) - 1;
}

/* thread_init: p's first switch lands in ret_from_fork, esp at its frame (which then goes to ring 3). */
static void thread_init(struct process *p)
{
	memset(&p->thread, 0, sizeof(p->thread));
	p->thread.esp = (u32)(uintptr_t)task_pt_regs(p);
	p->thread.eip = (u32)(uintptr_t)ret_from_fork;
}

/*
 * user_frame: regs enters ring 3 at entry with the stack sp: user segments
 * (%fs and %gs null), IF set, every general register 0 (the i386 ABI: edx 0
 * means no function for atexit).
 */
static void user_frame(struct pt_regs *regs, unsigned long entry, unsigned long sp)
{
	memset(regs, 0, sizeof(*regs));
	regs->eip = (u32)entry;
	regs->cs = __USER_CS;
	regs->eflags = X86_EFLAGS_IF | 0x2;	/* bit 1 is always one */
	regs->esp = (u32)sp;
	regs->ss = regs->ds = regs->es = __USER_DS;
}

void arch_thread_start_user(struct process *p, unsigned long entry, unsigned long sp)
{
	user_frame(task_pt_regs(p), entry, sp);
	thread_init(p);
	fpu_init_state(&p->thread);
}

/* The child's frame is the parent's (its int $0x80's) with eax = 0: fork returns 0 in the child; its FP state the parent's live one. */
void arch_thread_fork(struct process *child, struct process *parent)
{
	struct pt_regs *regs = task_pt_regs(child);

	*regs = *task_pt_regs(parent);
	regs->eax = 0;
	thread_init(child);
	fpu_fork(&child->thread);
}

/* execve: the syscall returns into the new program (eax, the syscall's result, is set to 0 on the way), FP state clean. */
void arch_exec_regs(struct process *p, unsigned long entry, unsigned long sp)
{
	user_frame(task_pt_regs(p), entry, sp);
	fpu_exec();
}

/*
 * The switch: this CPU's TSS.esp0 becomes next's kernel stack top, where
 * its traps from ring 3 build their frame (an idle task never enters ring 3:
 * it has no kernel stack of its own and leaves esp0 alone).
 */
struct process *arch_switch_to(struct process *prev, struct process *next)
{
	if (next->kstack)
		x86_set_esp0((unsigned long)next->kstack + THREAD_SIZE);
	fpu_switch(prev, next);
	return __cpu_switch_to(prev, next, &prev->thread, &next->thread);
}

/* Sleeps until an interrupt comes: STI's shadow makes "sti; hlt" atomic; the interrupt is taken here, masked after. */
void arch_cpu_wait(void)
{
	__asm__ volatile("sti; hlt; cli" ::: "memory");
}
