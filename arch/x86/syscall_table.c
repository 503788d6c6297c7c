/* syscall_table.c (x86): int $0x80's i386 numbers (arch/x86/entry/syscalls/syscall_32.tbl) as the generic ones syscall_dispatch takes. */
#include <errno.h>
#include <kernel/process.h>
#include <asm/memory.h>
#include <asm/ptrace.h>
#include <asm/syscall.h>

/*
 * How the i386 call's arguments become the generic call's. Most are the same
 * (the kernel is i386 too: long and pointers are 32 bits on both sides);
 * these differ:
 *   ARGS_OPEN    open(path, flags, mode) is openat(AT_FDCWD, path, flags, mode)
 *   ARGS_FORK    fork() is clone(SIGCHLD, 0, 0, 0, 0)
 *   ARGS_MMAP2   mmap2's offset (6th) is in pages, mmap's in bytes
 *   ARGS_PREAD64 pread64's offset comes in two registers, low word first
 */
enum { ARGS_SAME, ARGS_OPEN, ARGS_FORK, ARGS_MMAP2, ARGS_PREAD64 };

struct i386_syscall {
	u16 nr;		/* the generic number (asm-generic/unistd.h); 0: not implemented */
	u8 args;	/* ARGS_* */
};

#define AT_FDCWD	(-100)
#define SIGCHLD		17

static const struct i386_syscall i386_syscalls[] = {
	[1]   = { 93, ARGS_SAME },		/* exit */
	[2]   = { 220, ARGS_FORK },		/* fork -> clone */
	[3]   = { 63, ARGS_SAME },		/* read */
	[4]   = { 64, ARGS_SAME },		/* write */
	[5]   = { 56, ARGS_OPEN },		/* open -> openat */
	[6]   = { 57, ARGS_SAME },		/* close */
	[11]  = { 221, ARGS_SAME },		/* execve */
	[19]  = { 62, ARGS_SAME },		/* lseek */
	[20]  = { 172, ARGS_SAME },		/* getpid */
	[37]  = { 129, ARGS_SAME },		/* kill */
	[45]  = { 214, ARGS_SAME },		/* brk */
	[64]  = { 173, ARGS_SAME },		/* getppid */
	[91]  = { 215, ARGS_SAME },		/* munmap */
	[114] = { 260, ARGS_SAME },		/* wait4 */
	[120] = { 220, ARGS_SAME },		/* clone: flags, newsp, parent_tid, tls, child_tid on both */
	[125] = { 226, ARGS_SAME },		/* mprotect */
	[158] = { 124, ARGS_SAME },		/* sched_yield */
	[162] = { 101, ARGS_SAME },		/* nanosleep */
	[180] = { 67, ARGS_PREAD64 },		/* pread64 */
	[192] = { 222, ARGS_MMAP2 },		/* mmap2 -> mmap */
	[252] = { 94, ARGS_SAME },		/* exit_group */
	[295] = { 56, ARGS_SAME },		/* openat */
};
#define NR_I386_SYSCALLS	(sizeof(i386_syscalls) / sizeof(i386_syscalls[0]))

/* convert: a[] (ebx ecx edx esi edi ebp) rewritten as the generic call's; 0 or -errno. */
static long convert(unsigned int how, unsigned long a[6])
{
	u64 pos;

	switch (how) {
	case ARGS_OPEN:
		a[3] = a[2], a[2] = a[1], a[1] = a[0], a[0] = (unsigned long)AT_FDCWD;
		break;
	case ARGS_FORK:
		a[0] = SIGCHLD, a[1] = a[2] = a[3] = a[4] = 0;
		break;
	case ARGS_MMAP2:
		if (a[5] >= 1UL << (32 - PAGE_SHIFT))
			return -EINVAL;		/* an offset past 4 GiB: no file here is that long */
		a[5] <<= PAGE_SHIFT;
		break;
	case ARGS_PREAD64:
		pos = (u64)a[4] << 32 | a[3];
		if (pos > 0x7fffffffULL)
			return -EINVAL;		/* negative, or past what the kernel's long holds */
		a[4] = 0;
		break;
	}
	return 0;
}

/* x86_syscall: the i386 call in regs (eax = number, ebx ecx edx esi edi ebp); its result goes to eax. */
void x86_syscall(struct pt_regs *regs)
{
	unsigned long nr = regs->eax;
	unsigned long a[6] = { regs->ebx, regs->ecx, regs->edx, regs->esi, regs->edi, regs->ebp };
	long ret = -ENOSYS;

	if (nr < NR_I386_SYSCALLS && i386_syscalls[nr].nr) {
		ret = convert(i386_syscalls[nr].args, a);
		if (!ret)
			ret = syscall_dispatch(i386_syscalls[nr].nr, a);
	}
	regs->eax = (u32)ret;
}
