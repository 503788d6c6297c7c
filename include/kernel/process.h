/* process.h: a user process — its kernel stack and context, its family, its end — exec and the arch's hooks. */
#ifndef PAGODA_PROCESS_H
#define PAGODA_PROCESS_H

#include <compiler.h>
#include <kernel/setjmp.h>
#include <lib/list.h>
#include <mm/mm_struct.h>
#include <asm/switch_to.h>

/* How a process ended (exec prints it; the shell's status is Linux's: code, or 128 + signal). */
#define SIGILL		4
#define SIGKILL		9
#define SIGSEGV		11
#define SIGTERM		15
#define SIGCHLD		17

/*
 * An open file of the debugfs tree: its text, rendered once at open (a
 * snapshot, as a seq_file's first read); or a binary file (bin: pagemap,
 * kpageflags, kpagecount), rendered on every read for the range asked.
 */
struct proc_bin_file;
struct open_file {
	char *text;
	size_t len;
	u64 pos;
	const struct proc_bin_file *bin;	/* NULL: a text snapshot */
	int pid;				/* bin: the process it shows (/proc/PID/pagemap); 0: the reader */
};
#define PROC_MAX_FILES	16	/* fds 0-2 are the console */

/*
 * A process (Linux's task_struct, kept under this slice's name: every
 * process here is one thread, and the code that already uses the name stays
 * as it is). Who may touch what:
 *   set at creation, then read-only:  pid, kstack, cpu, parent_is_shell, background
 *   the process itself:                comm, files, thread (the arch's, while it is off the CPU),
 *                                      oops_jmp, saved_recovery, the exit figures
 *   tasklist_lock (sched.h):           parent, children, sibling, tasks_node, mm's clearing at
 *                                      exit, state's move to EXIT_ZOMBIE
 *   its run queue's lock (sched.h):    state RUNNING <-> INTERRUPTIBLE, on_rq, run_node, sleep_node, wake_at
 *   any CPU, one word:                 pending_sig (kill sets it, WRITE_ONCE/READ_ONCE),
 *                                      on_cpu (store-release when the switch away is complete)
 */
struct process {
	int pid;
	const char *comm;		/* the program's name in the archive */
	struct mm_struct *mm;		/* NULL for the idle tasks and after exit */
	int state;			/* TASK_RUNNING, TASK_INTERRUPTIBLE, EXIT_ZOMBIE (sched.h) */
	int exit_code;			/* exit_group's status */
	int killed_by;			/* the signal that killed it, 0 if it exited */
	int pending_sig;		/* a kill not yet acted on (SIGKILL, SIGTERM), 0 if none */
	unsigned int cpu;		/* the CPU whose run queue it is on (no migration) */
	int on_cpu;			/* 1 from when a CPU switches to it until the switch away completes */
	bool on_rq;			/* queued on its run queue (not curr) */
	bool parent_is_shell;		/* started by the shell's exec: the shell reaps it and says how it ended */
	bool background;		/* exec ... &: the shell does not wait for it */
	struct process *parent;		/* NULL: the shell (pagoda's init side), also for orphans */
	struct list_head children, sibling;
	struct list_head tasks_node;	/* on the list of every process (sched.h tasks) */
	struct list_head run_node;	/* on its run queue while on_rq */
	struct list_head sleep_node;	/* on its run queue's sleepers while in nanosleep */
	u64 wake_at;			/* nanosleep's deadline (arch_counter_read) */
	void *kstack;			/* THREAD_SIZE bytes; the pt_regs frame of EL0 exceptions at the top */
	struct thread_struct thread;	/* the arch's saved registers */
	jmp_buf oops_jmp;		/* an Oops in one of its syscalls or faults comes back here and kills it */
	jmp_buf *saved_recovery;	/* this CPU's fault_recovery while it is off the CPU */
	unsigned long nr_faults, hiwater_rss;	/* the mm's figures, kept at exit for the shell's report */
	struct open_file *files[PROC_MAX_FILES];	/* by fd; only the process's syscalls touch them */
};

/* current_process() (kernel/sched.c; `current` in sched.h): the process this CPU runs, or NULL. */
struct process *current_process(void);
static inline struct mm_struct *current_mm(void)
{
	struct process *p = current_process();

	return p ? p->mm : NULL;
}

/* do_exit: the current process ends (status code, or killed by sig): memory and files freed, then a zombie. */
__noreturn void do_exit(int code, int sig);
/* process_exit: ends the current process with status (exit_group). */
__noreturn void process_exit(int status);
/*
 * force_sig_fault: the current process made an access it may not: Linux's
 * line "comm[pid]: segfault at ADDR ip IP sp SP error N in comm[base+size]",
 * then the process dies with sig. error is x86's page-fault code, which
 * users know from that line: 1 the page was present (a protection fault),
 * 2 a write, 4 from user mode, 16 an instruction fetch.
 */
#define SEGV_ERR_PROT	0x1u
#define SEGV_ERR_WRITE	0x2u
#define SEGV_ERR_USER	0x4u
#define SEGV_ERR_INSTR	0x10u
__noreturn void force_sig_fault(int sig, unsigned long addr, unsigned long ip, unsigned long sp,
				unsigned int error);
/* force_sig: the process dies with sig, after the arch printed why. */
__noreturn void force_sig(int sig);
/*
 * pagefault_out_of_memory (mm/oom_kill.c): no page for the current process's
 * fault: the largest process is killed with Linux's OOM report. Returns (the
 * fault is to be taken again) unless the current process was the one.
 */
void pagefault_out_of_memory(void);

/* syscall_dispatch: runs syscall nr (Linux's generic numbers) with its six arguments. */
long syscall_dispatch(unsigned long nr, const unsigned long args[6]);
/* The file syscalls (kernel/sys_file.c), on the debugfs tree: openat, read, lseek, pread64, close; and exit's cleanup. */
long sys_openat(long dirfd, unsigned long upath, unsigned long flags);
long sys_read(unsigned long fd, unsigned long ubuf, unsigned long n);
long sys_lseek(unsigned long fd, long offset, unsigned long whence);
long sys_pread64(unsigned long fd, unsigned long ubuf, unsigned long n, long pos);
long sys_close(unsigned long fd);
void exit_files(struct process *p);
/*
 * /proc/PID/NAME (kernel/proc_pid.c), NAME one of the /proc/self files:
 *   proc_pid_file  the /proc/self/NAME file for such a path, and *pid; NULL
 *                  if path is not of that form, no such NAME or no live PID.
 *   proc_pid_show  f's text for process pid (its mm), rendered with
 *                  tasklist_lock held; false if pid is no live process.
 *   proc_pid_path  the live PID that path (/proc/PID/NAME) names, with
 *                  "/proc/self/NAME" in self (size bytes); 0 if none.
 */
struct debugfs_file;
struct seq_buf;
int proc_pid_path(const char *path, char *self, size_t size);
const struct debugfs_file *proc_pid_file(const char *path, int *pid);
bool proc_pid_show(const struct debugfs_file *f, int pid, struct seq_buf *s);
/* dup_files: child gets copies of parent's open files (fork). 0 or -ENOMEM (child's are closed again). */
int dup_files(struct process *child, const struct process *parent);

/* The process syscalls (kernel/fork.c, kernel/exit.c, kernel/sched.c, kernel/exec.c). */
long sys_clone(unsigned long flags, unsigned long newsp);
long sys_wait4(long pid, unsigned long ustatus, unsigned long options, unsigned long rusage);
long sys_execve(unsigned long upath, unsigned long uargv, unsigned long uenvp);
long sys_kill(long pid, long sig);
long sys_nanosleep(unsigned long ureq, unsigned long urem);
long sys_getppid(void);
long sys_sched_yield(void);
/* kill_process: sends sig (SIGKILL, SIGTERM) to pid: 0, -ESRCH (no such process), -EINVAL (another signal). */
long kill_process(int pid, int sig);
/* release_task: frees what a reaped zombie still holds (its kernel stack, the struct); tasklist_lock not held. */
void release_task(struct process *p);

/*
 * The arch's side (arch/<arch>/mmu_context.c; the scheduler's hooks are in
 * include/kernel/sched.h):
 *   arch_mm_activate    gives mm an address-space id and makes its tables this
 *                       CPU's user half (arm64 TTBR0, x86 CR3). 0 (arm64 never
 *                       runs out of ids: generations), or -ENOSYS on an arch
 *                       without user mode.
 *   arch_mm_deactivate  the user half is empty again; mm's id is never used for
 *                       another mm before every TLB that may hold its entries
 *                       was flushed (arm64: a rollover).
 *   arch_sync_icache    makes [start, end) of the linear map (code just written
 *                       there) safe to execute at any VA.
 */
int arch_mm_activate(struct mm_struct *mm);
void arch_mm_deactivate(struct mm_struct *mm);
void arch_sync_icache(unsigned long start, unsigned long end);

#endif
