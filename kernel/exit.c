/* exit.c: a process's end — do_exit, zombies, wait4 with Linux's status encoding, orphans to the shell, kill. */
#include <errno.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/uaccess.h>
#include <mm/gfp.h>
#include <mm/slab.h>

/* wait4's options and status (Linux's, include/uapi/linux/wait.h and the W* macros of libc). */
#define WNOHANG		0x1

/* exit_status: the wait4 status word: code << 8 for an exit, the signal number for a kill. */
static int exit_status(const struct process *p)
{
	return p->killed_by ? p->killed_by : (p->exit_code & 0xff) << 8;
}

/*
 * exit_notify: with tasklist_lock held: p's children go to the shell (their
 * parent becomes NULL; the shell reaps them), p becomes a zombie, its parent
 * (if a process) is woken for wait4.
 */
static void exit_notify(struct process *p)
{
	struct process *c, *n;

	list_for_each_entry_safe(c, n, &p->children, sibling) {
		list_del_init(&c->sibling);
		c->parent = NULL;
	}
	p->state = EXIT_ZOMBIE;
	if (p->parent)
		wake_up_process(p->parent);
}

__noreturn void do_exit(int code, int sig)
{
	struct process *p = current;
	struct mm_struct *mm = p->mm;
	unsigned long flags;

	p->exit_code = code;
	p->killed_by = sig;
	fault_recovery = NULL;		/* nothing of this process can be recovered into any more */
	exit_files(p);
	spin_lock(&mm->lock);
	p->nr_faults = mm->nr_faults;
	p->hiwater_rss = mm->hiwater_rss;
	spin_unlock(&mm->lock);
	arch_mm_deactivate(mm);		/* this CPU's user half is empty, the ASID free */
	spin_lock_irqsave(&tasklist_lock, flags);
	p->mm = NULL;			/* ps no longer looks at it */
	spin_unlock_irqrestore(&tasklist_lock, flags);
	mmput(mm);			/* frees what it alone held: shared COW pages stay with the others */
	sched_task_dead(p);
	spin_lock_irqsave(&tasklist_lock, flags);
	exit_notify(p);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	schedule();			/* a zombie is never picked again */
	panic("do_exit: zombie %s[%d] ran again", p->comm, p->pid);
}

__noreturn void process_exit(int status)
{
	do_exit(status, 0);
}

__noreturn void force_sig(int sig)
{
	do_exit(0, sig);
}

/*
 * release_task: p, a zombie already off every list, is freed once its CPU
 * has switched away from it for good (on_cpu: the switch runs on p's stack).
 */
void release_task(struct process *p)
{
	while (smp_load_acquire(&p->on_cpu))
		cpu_relax();
	free_pages((unsigned long)p->kstack, THREAD_ORDER);
	kfree(p);
}

/* unhash: p leaves the task list and its parent's children (tasklist_lock held). */
static void unhash_process(struct process *p)
{
	list_del(&p->tasks_node);
	if (p->parent)
		list_del_init(&p->sibling);
	nr_processes--;
}

/* reap_child: the first zombie among the caller's children that pid selects (-1: any); unhashed. */
static struct process *reap_child(struct process *me, long pid, bool *any)
{
	struct process *c;

	list_for_each_entry(c, &me->children, sibling) {
		if (pid != -1 && c->pid != pid)
			continue;
		*any = true;
		if (c->state == EXIT_ZOMBIE) {
			unhash_process(c);
			return c;
		}
	}
	return NULL;
}

/*
 * wait4(pid, status, options, rusage): pid > 0 or -1 (any child); WNOHANG.
 * The child's pid and its status (Linux's encoding), 0 (WNOHANG, none yet),
 * -ECHILD (no such child), -EINVAL (other options or pid forms, rusage),
 * -EFAULT (status unwritable: the child is reaped all the same, as Linux),
 * -EINTR (killed while waiting).
 */
long sys_wait4(long pid, unsigned long ustatus, unsigned long options, unsigned long rusage)
{
	struct process *me = current, *c;
	unsigned long flags;
	bool any;

	if ((options & ~(unsigned long)WNOHANG) || rusage || (pid <= 0 && pid != -1))
		return -EINVAL;
	for (;;) {
		any = false;
		spin_lock_irqsave(&tasklist_lock, flags);
		c = reap_child(me, pid, &any);
		if (!c && any && !(options & WNOHANG) && !sched_prepare_sleep()) {
			spin_unlock_irqrestore(&tasklist_lock, flags);
			return -EINTR;
		}
		spin_unlock_irqrestore(&tasklist_lock, flags);
		if (c) {
			int status = exit_status(c);
			long r = c->pid;

			release_task(c);
			if (ustatus && copy_to_user((void *)ustatus, &status, sizeof(status)))
				return -EFAULT;
			return r;
		}
		if (!any)
			return -ECHILD;
		if (options & WNOHANG)
			return 0;
		schedule();
		if (READ_ONCE(me->pending_sig))
			return -EINTR;
	}
}

long kill_process(int pid, int sig)
{
	struct process *p;
	unsigned long flags;
	long r = 0;

	if (sig != SIGKILL && sig != SIGTERM && sig != 0)
		return -EINVAL;
	spin_lock_irqsave(&tasklist_lock, flags);
	p = pid > 0 ? find_process(pid) : NULL;
	if (!p || p->state == EXIT_ZOMBIE)
		r = -ESRCH;
	else if (sig && !READ_ONCE(p->pending_sig))
		WRITE_ONCE(p->pending_sig, sig);
	if (!r && sig)
		wake_up_process(p);	/* a sleeper returns -EINTR and dies on its way to EL0 */
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return r;
}

/* kill(pid, sig): SIGKILL, SIGTERM (both end the process: no handlers yet) or 0 (does pid exist?). */
long sys_kill(long pid, long sig)
{
	if (pid <= 0)
		return -EINVAL;		/* process groups and "every process": not in this slice */
	return kill_process((int)pid, (int)sig);
}

long sys_getppid(void)
{
	struct process *p = current;
	unsigned long flags;
	long r;

	spin_lock_irqsave(&tasklist_lock, flags);
	r = p->parent ? p->parent->pid : 0;	/* 0: the shell (pagoda's init side) */
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return r;
}

/*
 * shell_reap: the shell's side of init: every zombie whose parent is the
 * shell is unhashed and handed to report (which frees it with release_task).
 * Returns how many.
 */
unsigned int shell_reap(void (*report)(struct process *p))
{
	struct process *p, *n, *found[NPROC_MAX];
	unsigned int nr = 0, i;
	unsigned long flags;

	spin_lock_irqsave(&tasklist_lock, flags);
	list_for_each_entry_safe(p, n, &tasks, tasks_node)
		if (!p->parent && p->state == EXIT_ZOMBIE && nr < NPROC_MAX) {
			unhash_process(p);
			found[nr++] = p;
		}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	for (i = 0; i < nr; i++)
		report(found[i]);
	return nr;
}
