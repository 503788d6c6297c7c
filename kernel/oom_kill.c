/* oom_kill.c: the OOM killer — a user fault with no page left kills the largest process (here, not in mm/: it walks the task list). */
#include <kernel/printk.h>
#include <kernel/process.h>
#include <kernel/sched.h>
#include <mm/mm_struct.h>

/* oom_badness: Linux's score without swap: the pages a process's death would give back (RSS and page tables). */
static unsigned long oom_badness(struct mm_struct *mm)
{
	return READ_ONCE(mm->rss) + READ_ONCE(mm->ctx.nr_tables);
}

/* Linux's report for the victim (tasklist_lock held: its mm stays). */
static void oom_report(struct process *p)
{
	unsigned long kb = PAGE_SIZE >> 10, shmem = READ_ONCE(p->mm->rss_shmem);

	printk("Out of memory: Killed process %d (%s) total-vm:%lukB, anon-rss:%lukB, file-rss:0kB, "
	       "shmem-rss:%lukB, UID:0 pgtables:%lukB oom_score_adj:0\n", p->pid, p->comm,
	       mm_total_vm(p->mm) * kb, (READ_ONCE(p->mm->rss) - shmem) * kb, shmem * kb,
	       READ_ONCE(p->mm->ctx.nr_tables) * kb);
}

/*
 * select_bad_process: the live process with the highest oom_badness, or NULL
 * while a victim chosen before is still dying (SIGKILL pending, memory not yet
 * back): Linux waits for that one rather than kill a second. tasklist_lock held.
 */
static struct process *select_bad_process(void)
{
	struct process *p, *victim = NULL;
	unsigned long best = 0, points;

	for_each_process(p) {
		if (!p->mm || p->state == EXIT_ZOMBIE)
			continue;
		if (READ_ONCE(p->pending_sig) == SIGKILL)
			return NULL;
		points = oom_badness(p->mm);
		if (!victim || points > best) {
			victim = p;
			best = points;
		}
	}
	return victim;
}

/*
 * pagefault_out_of_memory: no page for the current process's fault. The
 * victim is the process with the most memory (Linux's oom_badness): it gets
 * Linux's report and SIGKILL, and dies at its next return to user (a sleeper
 * is woken for it); all its memory comes back at exit. If that is the current
 * process it dies now. Otherwise the current process gives up its CPU and
 * returns: its fault is taken again, and finds the victim's pages back, or
 * the victim still dying (no second victim then: it waits again).
 */
void pagefault_out_of_memory(void)
{
	struct process *me = current, *victim;
	unsigned long flags;

	spin_lock_irqsave(&tasklist_lock, flags);
	victim = select_bad_process();
	if (victim) {
		oom_report(victim);
		WRITE_ONCE(victim->pending_sig, SIGKILL);
		if (victim != me)
			wake_up_process(victim);
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	if (READ_ONCE(me->pending_sig) == SIGKILL)
		force_sig(SIGKILL);
	schedule();		/* the victim (or whatever runs here) goes first */
}
