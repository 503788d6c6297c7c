/* unistd.h (aarch64): Linux's syscall numbers (asm-generic/unistd.h), the addresses the tests aim at, a function's code, two bad instructions. */
#ifndef UAPI_AARCH64_UNISTD_H
#define UAPI_AARCH64_UNISTD_H

#define __NR_openat		56
#define __NR_close		57
#define __NR_lseek		62
#define __NR_read		63
#define __NR_write		64
#define __NR_pread64		67
#define __NR_exit_group		94
#define __NR_getpid		172
#define __NR_brk		214
#define __NR_munmap		215
#define __NR_mmap		222
#define __NR_mprotect		226
#define __NR_nanosleep		101	/* processes */
#define __NR_sched_yield	124
#define __NR_kill		129
#define __NR_getppid		173
#define __NR_clone		220
#define __NR_execve		221
#define __NR_wait4		260
#define MMAP_OFF_SHIFT		0	/* mmap takes its offset in bytes */

#define KERNEL_ADDR		0xffff000000000000UL	/* the kernel half (TTBR1) */
#define UNMAPPED_USER_ADDR	0x7fff00000000UL	/* user range, nothing mapped there */
#define KERNEL_TEXT_ADDR	0xffff800008080000UL	/* inside the kernel image (KIMAGE_VADDR + TEXT_OFFSET) */
#define USER_TOP		0x1000000000000UL	/* TASK_SIZE: the end of the user range */
#define __NR_exit		93	/* not called by the fuzzer: listed so that it is never picked */
#define RET42_CODE		{ 0x40, 0x05, 0x80, 0x52, 0xc0, 0x03, 0x5f, 0xd6 }	/* mov w0, #42; ret */
#define ILLEGAL_INSN		".inst 0x00000000"	/* udf #0 */
#define PRIVILEGED_INSN		"mrs x0, ttbr1_el1" ::: "x0"	/* an EL1 register */
#endif
