/* entry.S (x86): the 256 entry stubs (32 exceptions, then interrupts); each builds a struct pt_regs and calls do_trap(). */

/*
 * Stack on entry to do_trap (struct pt_regs in asm/ptrace.h, low to high):
 * pushal's edi esi ebp esp ebx edx ecx eax, then vector, error code (0 when
 * the CPU pushes none), then what the CPU pushed: eip, cs, eflags. The kernel
 * runs at CPL 0 only, so no stack switch happens and no esp/ss are pushed.
 */
#define TRAP_STUB_SIZE	16	/* traps.c: stub n is at trap_stubs + 16 * n */
#define TRAP_NOERR(n)	\
	.p2align 4;	\
	pushl $0;	\
	pushl $n;	\
	jmp trap_common
#define TRAP_ERR(n)	\
	.p2align 4;	\
	pushl $n;	\
	jmp trap_common

	.text
	.globl	trap_stubs
	.p2align 4
trap_stubs:
	TRAP_NOERR(0);  TRAP_NOERR(1);  TRAP_NOERR(2);  TRAP_NOERR(3)
	TRAP_NOERR(4);  TRAP_NOERR(5);  TRAP_NOERR(6);  TRAP_NOERR(7)
	TRAP_ERR(8);    TRAP_NOERR(9);  TRAP_ERR(10);   TRAP_ERR(11)
	TRAP_ERR(12);   TRAP_ERR(13);   TRAP_ERR(14);   TRAP_NOERR(15)
	TRAP_NOERR(16); TRAP_ERR(17);   TRAP_NOERR(18); TRAP_NOERR(19)
	TRAP_NOERR(20); TRAP_ERR(21);   TRAP_NOERR(22); TRAP_NOERR(23)
	TRAP_NOERR(24); TRAP_NOERR(25); TRAP_NOERR(26); TRAP_NOERR(27)
	TRAP_NOERR(28); TRAP_ERR(29);   TRAP_ERR(30);   TRAP_NOERR(31)
	/* Vectors 32-255: external interrupts and IPIs (no error code); at most 12 bytes each. */
	.set	vector, 32
	.rept	256 - 32
	TRAP_NOERR(vector)
	.set	vector, vector + 1
	.endr

trap_common:
	pushal
	cld
	pushl	%esp
	call	do_trap
	addl	$4, %esp
	popal
	addl	$8, %esp
	iret
