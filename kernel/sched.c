/* sched.c: just enough of a scheduler — per-CPU run queues, round-robin on the tick, sleeping and waking, the idle tasks. */
#include <errno.h>
#include <kernel/arch.h>
#include <kernel/irq.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <kernel/uaccess.h>
#include <mm/gfp.h>

DEFINE_SPINLOCK(tasklist_lock);
LIST_HEAD(tasks);
unsigned int nr_processes;		/* protected by tasklist_lock */

static DEFINE_PER_CPU(struct rq, runqueues);
static DEFINE_PER_CPU(struct process, idle_tasks);
static bool sched_ready;		/* set once by sched_init, before any process */

static struct rq *this_rq(void)
{
	return this_cpu_ptr(runqueues);
}

struct process *current_process(void)
{
	struct rq *rq;

	if (!smp_load_acquire(&sched_ready))
		return NULL;
	rq = this_rq();		/* no migration: a process always reads its own CPU's slot */
	return rq->curr == rq->idle ? NULL : rq->curr;
}

void sched_init(void)
{
	unsigned int cpu;

	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++) {
		struct rq *rq = per_cpu_ptr(runqueues, cpu);
		struct process *idle = per_cpu_ptr(idle_tasks, cpu);

		spin_lock_init(&rq->lock);
		INIT_LIST_HEAD(&rq->queue);
		INIT_LIST_HEAD(&rq->sleepers);
		idle->comm = cpu ? "swapper" : "shell";
		idle->cpu = cpu;
		idle->on_cpu = 1;
		INIT_LIST_HEAD(&idle->children);
		rq->curr = rq->idle = idle;
	}
	smp_store_release(&sched_ready, true);
}

/* enqueue: p (runnable, not curr) joins the tail of its queue; rq->lock held. */
static void enqueue(struct rq *rq, struct process *p)
{
	if (!p->on_rq) {
		list_add_tail(&p->run_node, &rq->queue);
		p->on_rq = true;
	}
}

/*
 * enqueue_woken: a process woken or new joins the queue, and one running
 * there is asked to yield at its next return to EL0 (the newcomer runs
 * without waiting for the tick). Not for schedule()'s own requeue of prev.
 */
static void enqueue_woken(struct rq *rq, struct process *p)
{
	enqueue(rq, p);
	if (rq->curr != rq->idle)
		rq->need_resched = true;
}

/*
 * kick_cpu: cpu, which may sleep in WFI or run a process at EL0, takes an
 * interrupt soon (the cross-call doorbell, with nothing queued: its handler
 * finds no call) and so looks at its queue. No lock held: the doorbell is a
 * mailbox write and waits for nothing.
 */
static void kick_cpu(unsigned int cpu)
{
	if (cpu != smp_processor_id())
		arch_send_call_function_ipi(cpu);
}

/* pick_next: the queue's head (dequeued), or NULL; rq->lock held. */
static struct process *pick_next(struct rq *rq)
{
	struct process *p;

	if (list_empty(&rq->queue))
		return NULL;
	p = list_first_entry(&rq->queue, struct process, run_node);
	list_del(&p->run_node);
	p->on_rq = false;
	return p;
}

/* finish_task_switch: in the task switched to: prev is off its CPU for good, the queue is free again. */
static void finish_task_switch(struct process *prev)
{
	smp_store_release(&prev->on_cpu, 0);
	spin_unlock(&this_rq()->lock);
}

/*
 * context_switch: the user half, this CPU's fault recovery and the
 * registers go from prev to next. rq->lock held, interrupts masked; returns
 * in prev when it runs again, with the task it came from.
 */
static struct process *context_switch(struct process *prev, struct process *next)
{
	prev->saved_recovery = fault_recovery;
	fault_recovery = next->saved_recovery;
	next->on_cpu = 1;
	if (next->mm) {
		if (arch_mm_activate(next->mm))	/* the ASID was taken at creation: cannot fail */
			panic("schedule: %s[%d] has no address-space id", next->comm, next->pid);
	} else {
		arch_mm_switch_idle();
	}
	return arch_switch_to(prev, next);
}

void schedule(void)
{
	struct rq *rq;
	struct process *prev, *next;
	unsigned long flags;

	local_irq_save(flags);
	rq = this_rq();
	spin_lock(&rq->lock);
	prev = rq->curr;
	rq->need_resched = false;
	next = pick_next(rq);
	if (!next)
		next = prev->state == TASK_RUNNING ? prev : rq->idle;
	else if (prev->state == TASK_RUNNING && prev != rq->idle)
		enqueue(rq, prev);
	if (next == prev) {
		spin_unlock(&rq->lock);
		local_irq_restore(flags);
		return;
	}
	rq->curr = next;
	finish_task_switch(context_switch(prev, next));
	local_irq_restore(flags);
}

void schedule_tail(struct process *prev)
{
	finish_task_switch(prev);
}

bool wake_up_process(struct process *p)
{
	struct rq *rq = per_cpu_ptr(runqueues, p->cpu);
	unsigned long flags;
	bool woke = false;

	spin_lock_irqsave(&rq->lock, flags);
	if (p->state == TASK_INTERRUPTIBLE) {
		p->state = TASK_RUNNING;
		if (!list_empty(&p->sleep_node))
			list_del_init(&p->sleep_node);
		if (p != rq->curr)
			enqueue_woken(rq, p);
		woke = true;
	}
	spin_unlock_irqrestore(&rq->lock, flags);
	if (woke)
		kick_cpu(p->cpu);
	return woke;
}

bool sched_prepare_sleep(void)
{
	struct rq *rq = this_rq();
	unsigned long flags;
	bool ok;

	spin_lock_irqsave(&rq->lock, flags);
	ok = !READ_ONCE(rq->curr->pending_sig);
	if (ok)
		rq->curr->state = TASK_INTERRUPTIBLE;
	spin_unlock_irqrestore(&rq->lock, flags);
	return ok;
}

/*
 * select_cpu: the least-loaded run queue (fewest live processes placed
 * there) among the online CPUs; CPU 0, which runs the shell, only when it is
 * the only one online. Reads nr_running without the locks: a hint.
 */
static unsigned int select_cpu(void)
{
	unsigned int cpu, best = 0, best_load = ~0u;

	for (cpu = 1; cpu < CONFIG_NR_CPUS; cpu++) {
		unsigned int load;

		if (!cpu_online(cpu))
			continue;
		load = READ_ONCE(per_cpu(runqueues, cpu).nr_running);
		if (load < best_load)
			best = cpu, best_load = load;
	}
	return best;
}

void wake_up_new_task(struct process *p)
{
	struct rq *rq;
	unsigned long flags;

	p->cpu = select_cpu();
	p->state = TASK_RUNNING;
	INIT_LIST_HEAD(&p->sleep_node);
	spin_lock_irqsave(&tasklist_lock, flags);
	list_add_tail(&p->tasks_node, &tasks);
	if (p->parent)
		list_add_tail(&p->sibling, &p->parent->children);
	rq = per_cpu_ptr(runqueues, p->cpu);
	spin_lock(&rq->lock);
	rq->nr_running++;
	enqueue_woken(rq, p);
	spin_unlock(&rq->lock);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	kick_cpu(p->cpu);
}

/* sched_task_dead: p (the current process, now a zombie) leaves its queue's load; rq->lock taken here. */
void sched_task_dead(struct process *p)
{
	struct rq *rq = per_cpu_ptr(runqueues, p->cpu);
	unsigned long flags;

	spin_lock_irqsave(&rq->lock, flags);
	rq->nr_running--;
	spin_unlock_irqrestore(&rq->lock, flags);
}

void sched_tick(void)
{
	struct rq *rq;
	struct process *p, *n;
	u64 now = arch_counter_read();

	if (!smp_load_acquire(&sched_ready))
		return;
	rq = this_rq();
	spin_lock(&rq->lock);		/* the tick runs with interrupts masked */
	list_for_each_entry_safe(p, n, &rq->sleepers, sleep_node)
		if (now >= p->wake_at) {
			list_del_init(&p->sleep_node);
			p->state = TASK_RUNNING;
			enqueue_woken(rq, p);
		}
	if (rq->curr != rq->idle && !list_empty(&rq->queue))
		rq->need_resched = true;	/* round-robin: one tick each */
	spin_unlock(&rq->lock);
}

bool sched_need_resched(void)
{
	return READ_ONCE(this_rq()->need_resched);
}

bool sched_idle_has_work(void)
{
	return smp_load_acquire(&sched_ready) && !list_empty(&this_rq()->queue);
}

void sched_yield_idle(void)
{
	unsigned long flags;

	BUG_ON(smp_processor_id() != 0);	/* the shell's idle path: CPU 0, never from an IPI */
	local_irq_save(flags);
	if (sched_idle_has_work())
		schedule();
	else
		arch_cpu_wait();
	local_irq_restore(flags);
	arch_irq_window();
}

int sched_sleep_until(u64 deadline)
{
	struct process *p = current;
	struct rq *rq = this_rq();
	unsigned long flags;

	spin_lock_irqsave(&rq->lock, flags);
	if (!READ_ONCE(p->pending_sig)) {
		p->wake_at = deadline;
		p->state = TASK_INTERRUPTIBLE;
		list_add_tail(&p->sleep_node, &rq->sleepers);
	}
	spin_unlock_irqrestore(&rq->lock, flags);
	schedule();
	return READ_ONCE(p->pending_sig) ? -EINTR : 0;
}

struct process *find_process(int pid)
{
	struct process *p;

	for_each_process(p)
		if (p->pid == pid)
			return p;
	return NULL;
}

/* sched_yield: the caller goes to the back of its queue (it runs on if it is alone there). */
long sys_sched_yield(void)
{
	schedule();
	return 0;
}

/*
 * The struct timespec of Linux's nanosleep (__kernel_old_timespec): tv_sec
 * and tv_nsec are both a long — 8 bytes each on arm64, 4 on i386 (whose
 * nanosleep, number 162, takes the 32-bit form; the time64 calls are others).
 */
struct kernel_timespec {
	long tv_sec;
	long tv_nsec;
};

/*
 * nanosleep(req, rem): the process leaves the CPU until the tick after the
 * time is up (the tick's resolution: 1/HZ). 0; -EINVAL (a negative time or
 * tv_nsec out of [0, 1e9)); -EFAULT; -EINTR if killed (rem then holds the rest).
 */
/*
 * timespec_deadline: the counter value ts after start, saturated: a sleep
 * that would pass the counter's range (tv_sec beyond about 2^64 / freq) ends
 * never, as Linux clamps it to KTIME_MAX (292 years), rather than at a
 * wrapped-around, early deadline. ts is valid (0 <= tv_nsec < 1e9).
 */
static u64 timespec_deadline(u64 start, const struct kernel_timespec *ts, u64 freq)
{
	if ((u64)ts->tv_sec >= (~0ULL - start) / freq - 1)
		return ~0ULL;
	return start + (u64)ts->tv_sec * freq + (u64)ts->tv_nsec * freq / 1000000000ULL;
}

long sys_nanosleep(unsigned long ureq, unsigned long urem)
{
	struct kernel_timespec ts;
	u64 freq = arch_counter_freq(), start = arch_counter_read(), deadline, now;

	if (copy_from_user(&ts, (const void *)ureq, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000L)
		return -EINVAL;
	deadline = timespec_deadline(start, &ts, freq);
	if (!sched_sleep_until(deadline))
		return 0;
	now = arch_counter_read();
	if (urem && now < deadline) {
		u64 left = deadline - now;

		ts.tv_sec = left / freq > (u64)(~0UL >> 1) ? (long)(~0UL >> 1) : (long)(left / freq);
		ts.tv_nsec = (long)((left % freq) * 1000000000ULL / freq);
		if (copy_to_user((void *)urem, &ts, sizeof(ts)))
			return -EFAULT;
	}
	return -EINTR;
}
