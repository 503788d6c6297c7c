/* unistd.h (i386): Linux's syscall numbers (arch/x86/entry/syscalls/syscall_32.tbl), the addresses the tests aim at, a function's code, two bad instructions. */
#ifndef UAPI_I386_UNISTD_H
#define UAPI_I386_UNISTD_H

#define __NR_exit_group		252
#define __NR_read		3
#define __NR_write		4
#define __NR_close		6
#define __NR_lseek		19
#define __NR_getpid		20
#define __NR_brk		45
#define __NR_munmap		91
#define __NR_mprotect		125
#define __NR_pread64		180	/* the offset in two registers: low word, high word */
#define __NR_mmap		192	/* mmap2 */
#define MMAP_OFF_SHIFT		12	/* mmap2 takes its offset in pages */
#define __NR_openat		295
#define __NR_execve		11	/* processes */
#define __NR_kill		37
#define __NR_getppid		64
#define __NR_wait4		114
#define __NR_clone		120
#define __NR_sched_yield	158
#define __NR_nanosleep		162

#define KERNEL_ADDR		0xc0000000UL	/* the kernel's 1 GiB (PAGE_OFFSET) */
#define UNMAPPED_USER_ADDR	0x70000000UL	/* user range, nothing mapped there */
#define KERNEL_TEXT_ADDR	0xc0100000UL	/* inside the kernel image */
#define USER_TOP		0xc0000000UL	/* TASK_SIZE: the end of the user range */
#define __NR_exit		1	/* not called by the fuzzer: listed so that it is never picked */
#define __NR_fork		2	/* i386's own entries, fuzzed as well (user/fuzz.c) */
#define __NR_open		5
#define RET42_CODE		{ 0xb8, 0x2a, 0x00, 0x00, 0x00, 0xc3 }	/* mov $42, %eax; ret */
#define ILLEGAL_INSN		"ud2"
#define PRIVILEGED_INSN		"hlt"		/* ring 0 only: #GP */
#endif
