/* fork.c: a new process as a copy of the caller — dup_mmap (copy-on-write), the files, the registers; clone's fork form. */
#include <errno.h>
#include <string.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <mm/gfp.h>
#include <mm/slab.h>

static int last_pid;			/* protected by tasklist_lock */

/*
 * alloc_process: a zeroed process with its kernel stack and a pid, counted
 * against NPROC_MAX. NULL and *err = -EAGAIN (the limit) or -ENOMEM. Not yet
 * on any list: wake_up_new_task puts it there; free_process undoes this.
 */
struct process *alloc_process(int *err)
{
	struct process *p = kzalloc(sizeof(*p), GFP_KERNEL);
	unsigned long flags;

	*err = -ENOMEM;
	if (!p)
		return NULL;
	p->kstack = (void *)__get_free_pages(GFP_KERNEL, THREAD_ORDER);
	if (!p->kstack) {
		kfree(p);
		return NULL;
	}
	INIT_LIST_HEAD(&p->children);
	INIT_LIST_HEAD(&p->sibling);
	INIT_LIST_HEAD(&p->sleep_node);
	spin_lock_irqsave(&tasklist_lock, flags);
	*err = nr_processes < NPROC_MAX ? 0 : -EAGAIN;
	if (!*err) {
		nr_processes++;
		p->pid = ++last_pid;
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	if (*err) {
		free_pages((unsigned long)p->kstack, THREAD_ORDER);
		kfree(p);
		return NULL;
	}
	return p;
}

/* free_process: undoes alloc_process for a process that never ran (its mm and files are the caller's). */
void free_process(struct process *p)
{
	unsigned long flags;

	spin_lock_irqsave(&tasklist_lock, flags);
	nr_processes--;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	free_pages((unsigned long)p->kstack, THREAD_ORDER);
	kfree(p);
}

int dup_files(struct process *child, const struct process *parent)
{
	unsigned int fd;

	for (fd = 0; fd < PROC_MAX_FILES; fd++) {
		const struct open_file *of = parent->files[fd];
		struct open_file *nf;

		if (!of)
			continue;
		nf = kmalloc(sizeof(*nf), GFP_KERNEL);
		if (nf) {
			*nf = *of;
			nf->text = kmalloc(of->len ? of->len : 1, GFP_KERNEL);
		}
		if (!nf || !nf->text) {
			kfree(nf);
			exit_files(child);
			return -ENOMEM;
		}
		memcpy(nf->text, of->text, of->len);
		child->files[fd] = nf;
	}
	return 0;
}

/*
 * mm_take_asid: mm gets its address-space id now (so that no switch to it can
 * fail later): activated for an instant on this CPU, then this CPU's own
 * user half again (cur, or none). IRQs masked throughout. 0 or -EAGAIN.
 */
int mm_take_asid(struct mm_struct *mm, struct mm_struct *cur)
{
	unsigned long flags;
	int err;

	local_irq_save(flags);
	err = arch_mm_activate(mm);
	if (cur)
		arch_mm_activate(cur);
	else
		arch_mm_switch_idle();
	local_irq_restore(flags);
	return err ? -EAGAIN : 0;
}

/* do_fork: the child of the current process; its pid, or -EAGAIN (process limit, no ASID), -ENOMEM. */
static long do_fork(void)
{
	struct process *parent = current, *child;
	int err;

	child = alloc_process(&err);
	if (!child)
		return err;
	child->comm = parent->comm;
	child->parent = parent;
	child->mm = dup_mm(parent->mm);
	err = child->mm ? mm_take_asid(child->mm, parent->mm) : -ENOMEM;
	if (!err)
		err = dup_files(child, parent);
	if (err) {
		if (child->mm) {
			arch_mm_deactivate(child->mm);
			arch_mm_activate(parent->mm);
			mmput(child->mm);
		}
		free_process(child);
		return err;
	}
	arch_thread_fork(child, parent);
	wake_up_new_task(child);
	return child->pid;
}

/*
 * clone(flags, newsp, ...): the fork form only — flags exactly SIGCHLD (the
 * exit signal), no new stack: glibc's fork() is clone(SIGCHLD, 0, ...).
 * Threads, vfork and namespaces are -EINVAL.
 */
long sys_clone(unsigned long flags, unsigned long newsp)
{
	if (flags != SIGCHLD || newsp)
		return -EINVAL;
	return do_fork();
}
