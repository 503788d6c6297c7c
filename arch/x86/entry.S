/* entry.S (x86): the 256 entry stubs (32 exceptions, then interrupts and int $0x80); each builds a struct pt_regs and calls do_trap(). */
#include <asm/processor.h>
#include <asm/ptrace.h>
#include <asm/smp.h>

/*
 * Stack on entry to do_trap (struct pt_regs in asm/ptrace.h, low to high):
 * pushal's edi esi ebp esp ebx edx ecx eax, the data segments ds es fs gs,
 * then vector, error code (0 when the CPU pushes none), then what the CPU
 * pushed: eip, cs, eflags, and from ring 3 also esp and ss (the CPU switched
 * to this CPU's TSS.esp0 stack). From ring 3 the kernel's segments are loaded
 * before any C: __KERNEL_DS, and in %fs the per-CPU segment, found from the
 * task register (each CPU's TSS selector is TSS_TO_PERCPU_SEG above its %fs,
 * asm/smp.h). The way out to ring 3 first does the pending work (a kill, a
 * reschedule); then it restores what was saved and irets.
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
	pushl	%gs
	pushl	%fs
	pushl	%es
	pushl	%ds
	pushal
	cld
	testl	$3, PT_CS(%esp)
	jz	1f
	movl	$__KERNEL_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %gs
	xorl	%eax, %eax
	str	%ax
	subl	$TSS_TO_PERCPU_SEG, %eax
	movl	%eax, %fs
1:	pushl	%esp
	call	do_trap
	addl	$4, %esp
	testl	$3, PT_CS(%esp)
	jz	restore_regs
/*
 * ret_to_user: with esp at a ring-3 frame: the pending work (a kill, a
 * reschedule: x86_exit_to_user_mode, which may switch to another process
 * and come back here later), then the frame and iret. ret_from_fork
 * (switch.S) comes here for a new process's first entry to ring 3.
 */
	.globl	ret_to_user
ret_to_user:
	call	x86_exit_to_user_mode
restore_regs:
	popal
	popl	%ds
	popl	%es
	popl	%fs
	popl	%gs
	addl	$8, %esp
	iret
