/* fork.c: a new process as a copy of the caller — dup_mmap (copy-on-write), the files, the registers; clone's fork form. */
#include <errno.h>
#include <string.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <mm/gfp.h>
#include <mm/mm.h>
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
 * cow_protect: the parent's run [*start, end) of writable private pages
 * becomes read-only (one pt_protect, one flush); no run if *start is 0. The
 * run is closed (*start = 0).
 */
static void cow_protect(struct mm_struct *mm, unsigned long *start, unsigned long end, u32 prot)
{
	if (*start && pt_protect(&mm->ctx, *start, end - *start, prot & ~PROT_WRITE))
		panic("dup_mmap: pt_protect of %lx-%lx failed", *start, end);
	*start = 0;
}

/*
 * dup_vma_pages: every page old maps in v is mapped in new at the same VA,
 * read-only where v is writable (both sides: copy-on-write), its refcount
 * and mapcount raised. Runs of the parent's writable pages are protected
 * with one pt_protect each. 0 or -ENOMEM (new's tables); mm->lock held on old.
 */
static int dup_vma_pages(struct mm_struct *old, struct mm_struct *new, const struct vm_area_struct *v)
{
	unsigned long va, run = 0;
	u32 run_prot = 0;
	struct pt_query q;
	int err = 0;

	for (va = v->vm_start; va < v->vm_end && !err; va += PAGE_SIZE) {
		bool cow;

		if (pt_query(&old->ctx, va, &q)) {
			cow_protect(old, &run, va, run_prot);
			continue;
		}
		cow = q.prot & PROT_WRITE;
		if (!cow || q.prot != run_prot)
			cow_protect(old, &run, va, run_prot);
		if (cow && !run)
			run = va, run_prot = q.prot;
		err = pt_map(&new->ctx, va, q.pa, PAGE_SIZE, q.prot & ~PROT_WRITE);
		if (!err) {
			page_dup_rmap(phys_to_page(q.pa));
			new->rss++;
		}
	}
	cow_protect(old, &run, va, run_prot);
	return err;
}

/*
 * dup_mmap: new (empty) gets old's VMAs, break and layout, and shares every
 * mapped page copy-on-write. 0 or -ENOMEM (new then holds what was copied:
 * mmput frees it, and the parent's pages only lose the extra references).
 */
static int dup_mmap(struct mm_struct *old, struct mm_struct *new)
{
	unsigned int i;
	int err = 0;

	spin_lock(&old->lock);
	memcpy(new->vmas, old->vmas, old->nr_vmas * sizeof(old->vmas[0]));
	new->nr_vmas = old->nr_vmas;
	new->start_brk = old->start_brk;
	new->brk = old->brk;
	new->mmap_base = old->mmap_base;
	new->start_stack = old->start_stack;
	new->comm = old->comm;
	for (i = 0; i < old->nr_vmas && !err; i++)
		err = dup_vma_pages(old, new, &old->vmas[i]);
	new->hiwater_rss = new->rss;
	spin_unlock(&old->lock);
	return err;
}

struct mm_struct *dup_mm(struct mm_struct *mm)
{
	struct mm_struct *new = mm_alloc();

	if (!new)
		return NULL;
	if (dup_mmap(mm, new)) {
		mmput(new);
		return NULL;
	}
	return new;
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
