/* process.h: a user process (one at a time in this slice: no scheduler yet), exec and the arch's hooks. */
#ifndef PAGODA_PROCESS_H
#define PAGODA_PROCESS_H

#include <compiler.h>
#include <kernel/setjmp.h>
#include <mm/mm_struct.h>

/* How a process ended (exec prints it; the shell's status is Linux's: code, or 128 + signal). */
#define SIGILL		4
#define SIGKILL		9
#define SIGSEGV		11

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
};
#define PROC_MAX_FILES	16	/* fds 0-2 are the console */

struct process {
	int pid;
	const char *comm;		/* the program's name in the archive */
	struct mm_struct *mm;
	jmp_buf exit_jmp;		/* exec's frame: exit_group and kills come back here */
	int exit_code;			/* exit_group's status */
	int killed_by;			/* the signal that killed it, 0 if it exited */
	struct open_file *files[PROC_MAX_FILES];	/* by fd; only the process's syscalls touch them */
};

/*
 * The process running on this machine, or NULL. One process at a time, run by
 * the shell's `exec` on the CPU that runs the command: it is set and cleared
 * there with the process's whole life in between (no scheduler, no other CPU
 * ever enters user mode), so it needs no lock.
 */
struct process *current_process(void);
static inline struct mm_struct *current_mm(void)
{
	struct process *p = current_process();

	return p ? p->mm : NULL;
}

/* process_exit: ends the current process with status (exit_group); back to exec. */
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
/* pagefault_out_of_memory: no page for a fault: Linux's OOM report for the process, which is killed. */
__noreturn void pagefault_out_of_memory(void);

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
 * The arch's side (arch/<arch>/: arm64 mmu_context.c and entry.S):
 *   arch_mm_activate    gives mm an address-space id and makes its tables this
 *                       CPU's user half (TTBR0). 0 (arm64 never runs out of
 *                       ids: generations), or -ENOSYS (no user mode on this arch yet).
 *   arch_mm_deactivate  the user half is empty again (TTBR0: no tables); mm's
 *                       id is never used for another mm before every TLB that
 *                       may hold its entries was flushed (arm64: a rollover).
 *   arch_enter_user     starts the program at entry with its stack at sp, in
 *                       user mode, on this kernel stack (never returns: the
 *                       process comes back through exit_jmp).
 *   arch_sync_icache    makes [start, end) of the linear map (code just written
 *                       there) safe to execute at any VA.
 */
int arch_mm_activate(struct mm_struct *mm);
void arch_mm_deactivate(struct mm_struct *mm);
__noreturn void arch_enter_user(unsigned long entry, unsigned long sp);
void arch_sync_icache(unsigned long start, unsigned long end);

#endif
