/* sched.h: just enough of a scheduler — per-CPU run queues, schedule(), wake_up_process, current, sleeping. */
#ifndef PAGODA_SCHED_H
#define PAGODA_SCHED_H

#include <kernel/process.h>
#include <kernel/spinlock.h>
#include <lib/list.h>

/*
 * A process's states (Linux's names; ps's letters R, S, Z):
 *   TASK_RUNNING        on a CPU, or queued on its run queue
 *   TASK_INTERRUPTIBLE  asleep (wait4, nanosleep) until wake_up_process, a kill or its deadline
 *   EXIT_ZOMBIE         exited: its memory is gone, its status waits for wait4 (or the shell)
 */
#define TASK_RUNNING		0
#define TASK_INTERRUPTIBLE	1
#define EXIT_ZOMBIE		2

/*
 * One run queue per CPU (Linux's struct rq). A process is placed on one when
 * it is created (the least-loaded queue of the online CPUs other than the
 * shell's CPU 0; CPU 0 only when it is alone) and stays there: no migration.
 * Each CPU's idle task is what that CPU ran before any process: the shell on
 * CPU 0, the WFI loop on the others. It is never queued; schedule() falls
 * back to it when the queue is empty and the current task cannot go on.
 *
 * Locking: rq->lock protects queue, curr, nr_running, sleepers, need_resched,
 * and, for the processes of this queue, state between TASK_RUNNING and
 * TASK_INTERRUPTIBLE, on_rq, sleep_node and wake_at. It is held across a
 * context switch (released by the task switched to, in finish_task_switch /
 * schedule_tail), always with interrupts masked (the tick takes it).
 * Lock order: tasklist_lock -> rq->lock -> (the leaves).
 */
struct rq {
	spinlock_t lock;
	struct list_head queue;		/* runnable processes, not curr: FIFO, round-robin */
	struct list_head sleepers;	/* processes in nanosleep, by sleep_node */
	struct process *curr;		/* what this CPU runs now (the idle task, or a process) */
	struct process *idle;		/* this CPU's idle task (a struct process with no mm) */
	unsigned int nr_running;	/* processes placed here and not yet exited (placement's load) */
	bool need_resched;		/* the tick asks curr to yield at its return to EL0 */
};

/*
 * tasklist_lock protects the list of every process (tasks), each process's
 * parent, children and sibling links, the move to EXIT_ZOMBIE, p->mm's
 * clearing at exit, nr_processes and the pid counter.
 */
extern spinlock_t tasklist_lock;

/* The process limit (Linux's RLIMIT_NPROC idea): processes not yet reaped, zombies included. */
#define NPROC_MAX	64
/* A process's kernel stack: 16 KiB (order 2), its pt_regs frame at the top. */
#define THREAD_ORDER	2
#define THREAD_SIZE	(PAGE_SIZE << THREAD_ORDER)

/* current: the process running on this CPU, or NULL when it runs its idle task (the shell, WFI). */
struct process *current_process(void);
#define current		current_process()

/* sched_init: the run queues, each CPU's idle task (call once, on CPU 0, before any process). */
void sched_init(void);
/*
 * schedule: gives the CPU to the next runnable process of this CPU's queue
 * (round-robin), to the idle task if there is none and the caller cannot go
 * on (asleep, exited), or back to the caller. Called by a process at its
 * return to EL0 and when it sleeps, by the idle loops when work is queued.
 */
void schedule(void);
/* schedule_tail: a new process's first C (ret_from_fork): finishes the switch from prev. */
void schedule_tail(struct process *prev);
/* wake_up_process: an asleep process is runnable again (queued on its CPU). False if it was not asleep. */
bool wake_up_process(struct process *p);
/* wake_up_new_task: p (set up, not yet on any list) joins the task list and a run queue. */
void wake_up_new_task(struct process *p);
/*
 * sched_prepare_sleep: the current process is TASK_INTERRUPTIBLE from now
 * (schedule() then takes it off the CPU until wake_up_process), unless a kill
 * is pending: false then, and it stays running. Checked under rq->lock, which
 * kill's wake_up_process takes after setting pending_sig: no kill is lost.
 */
bool sched_prepare_sleep(void);
/* sched_need_resched: the tick asked the current process to yield. */
bool sched_need_resched(void);
/* sched_task_dead: an exiting process no longer counts in its run queue's load. */
void sched_task_dead(struct process *p);
/* sched_tick: the timer tick's part (IRQ context): wakes sleepers due, asks curr to yield if others wait. */
void sched_tick(void);
/* sched_idle_has_work: this CPU's queue holds a process (the idle loops call schedule() then). */
bool sched_idle_has_work(void);
/* sched_yield_idle: the shell's wait on CPU 0: runs what CPU 0's queue holds, then sleeps until an IRQ. */
void sched_yield_idle(void);
/*
 * sched_sleep_until: the current process sleeps until the counter reaches
 * deadline (arch_counter_read) or it is killed. 0, or -EINTR (killed).
 */
int sched_sleep_until(u64 deadline);

/* Task-list walks (ps, kill, wait4): for_each_process with tasklist_lock held. */
extern struct list_head tasks;
#define for_each_process(p)	list_for_each_entry(p, &tasks, tasks_node)
/* find_process: the process with pid, tasklist_lock held; NULL if none. */
struct process *find_process(int pid);
/* nr_processes: processes not yet reaped (read without the lock: a snapshot). */
extern unsigned int nr_processes;

/* Process creation (kernel/fork.c), the shell's reaping (kernel/exit.c). */
/* alloc_process: a zeroed process with a kernel stack and a pid; NULL and *err -EAGAIN (NPROC_MAX) or -ENOMEM. */
struct process *alloc_process(int *err);
/* free_process: undoes alloc_process for a process that never ran. */
void free_process(struct process *p);
/* mm_take_asid: mm gets its address-space id now; this CPU's user half is cur's again (NULL: none). 0 or -EAGAIN. */
int mm_take_asid(struct mm_struct *mm, struct mm_struct *cur);
/* shell_reap: hands every zombie whose parent is the shell to report (which must release_task it); how many. */
unsigned int shell_reap(void (*report)(struct process *p));
/* reap_shell_children: the shell reports and frees its ended processes (kernel/exec.c). */
void reap_shell_children(void);

/*
 * The arch's side (arch/<arch>/process.c and switch.S; every arch defines all of them):
 *   arch_switch_to            saves prev's registers (FP/SIMD too), runs next; returns the task switched from
 *   arch_thread_start_user    next's first run enters EL0 at entry with sp (exec, a new process)
 *   arch_thread_fork          child's first run returns to EL0 as parent's syscall did, with 0
 *   arch_exec_regs            the current process returns from execve into a new program
 *   arch_mm_switch_idle       the user half of this CPU is empty (the idle task has no mm); ASID kept
 *   arch_cpu_wait             sleeps until an interrupt is pending (interrupts masked: taken after)
 */
struct process *arch_switch_to(struct process *prev, struct process *next);
void arch_thread_start_user(struct process *p, unsigned long entry, unsigned long sp);
void arch_thread_fork(struct process *child, struct process *parent);
void arch_exec_regs(struct process *p, unsigned long entry, unsigned long sp);
void arch_mm_switch_idle(void);
void arch_cpu_wait(void);

#endif
