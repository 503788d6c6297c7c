/* process.c (arm64): a process's registers — its first return to EL0, fork's copy, execve's reset, the switch, idle. */
#include <string.h>
#include <kernel/sched.h>
#include <asm/mmu_context.h>
#include <asm/ptrace.h>
#include <asm/sysreg.h>

extern char ret_from_fork[];

/* task_pt_regs: the frame EL0 exceptions save at the top of p's kernel stack (entry.S). */
static struct pt_regs *task_pt_regs(struct process *p)
{
	return (struct pt_regs *)((char *)p->kstack + THREAD_SIZE) - 1;
}

/* thread_init: p's first switch lands in ret_from_fork, sp at its frame (which then goes to EL0). */
static void thread_init(struct process *p)
{
	memset(&p->thread.ctx, 0, sizeof(p->thread.ctx));
	p->thread.ctx.sp = (u64)task_pt_regs(p);
	p->thread.ctx.pc = (u64)ret_from_fork;
}

void arch_thread_start_user(struct process *p, unsigned long entry, unsigned long sp)
{
	struct pt_regs *regs = task_pt_regs(p);

	memset(regs, 0, sizeof(*regs));
	regs->elr = entry;
	regs->sp = sp;
	regs->spsr = SPSR_EL0t;
	memset(&p->thread.fp, 0, sizeof(p->thread.fp));
	thread_init(p);
}

/* The child's frame is the parent's (the syscall's) with x0 = 0; its FP/SIMD state the parent's live one. */
void arch_thread_fork(struct process *child, struct process *parent)
{
	struct pt_regs *regs = task_pt_regs(child);

	*regs = *task_pt_regs(parent);
	regs->regs[0] = 0;
	fpsimd_save(&child->thread.fp);
	thread_init(child);
}

/* execve: the syscall returns into the new program (x0, the syscall's result, is set to 0 on the way). */
void arch_exec_regs(struct process *p, unsigned long entry, unsigned long sp)
{
	struct pt_regs *regs = task_pt_regs(p);
	static const struct fpsimd_state zero;

	memset(regs, 0, sizeof(*regs));
	regs->elr = entry;
	regs->sp = sp;
	regs->spsr = SPSR_EL0t;
	fpsimd_load(&zero);
}

struct process *arch_switch_to(struct process *prev, struct process *next)
{
	fpsimd_save(&prev->thread.fp);
	fpsimd_load(&next->thread.fp);
	return __cpu_switch_to(prev, next, &prev->thread.ctx, &next->thread.ctx);
}

/* The idle task's user half: the empty table with walks off (TCR.EPD0), as before any process; no TLBI. */
void arch_mm_switch_idle(void)
{
	write_sysreg(read_sysreg(tcr_el1) | TCR_EPD0, tcr_el1);
	isb();
	write_sysreg(__pa_symbol(empty_pg_dir), ttbr0_el1);
	isb();
}

void arch_cpu_wait(void)
{
	__asm__ volatile("dsb sy; wfi" ::: "memory");
}
