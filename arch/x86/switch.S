/* switch.S (x86): __cpu_switch_to (callee-saved registers, esp, eip) and a new task's first return to ring 3. */

/* struct thread_struct (asm/switch_to.h) */
#define TS_EBX	0
#define TS_ESI	4
#define TS_EDI	8
#define TS_EBP	12
#define TS_ESP	16
#define TS_EIP	20

/*
 * __cpu_switch_to(prev, next, prev_ts, next_ts), cdecl: saves ebx, esi,
 * edi, ebp, the return address (eip) and the stack pointer as it will be
 * after the return (esp) in prev_ts, loads next_ts's and jumps to its eip.
 * eax (prev) is left alone, so next resumes with the task it came from as
 * the return value (or, a new task, finds it in eax at ret_from_fork).
 * Interrupts are masked by the caller (schedule).
 */
	.text
	.globl	__cpu_switch_to
	.type	__cpu_switch_to, @function
__cpu_switch_to:
	movl	4(%esp), %eax
	movl	12(%esp), %edx
	movl	16(%esp), %ecx
	movl	%ebx, TS_EBX(%edx)
	movl	%esi, TS_ESI(%edx)
	movl	%edi, TS_EDI(%edx)
	movl	%ebp, TS_EBP(%edx)
	popl	TS_EIP(%edx)
	movl	%esp, TS_ESP(%edx)
	movl	TS_EBX(%ecx), %ebx
	movl	TS_ESI(%ecx), %esi
	movl	TS_EDI(%ecx), %edi
	movl	TS_EBP(%ecx), %ebp
	movl	TS_ESP(%ecx), %esp
	jmp	*TS_EIP(%ecx)
	.size	__cpu_switch_to, . - __cpu_switch_to

/*
 * ret_from_fork: where a new task first runs (its thread's eip), with esp at
 * its pt_regs frame on top of its kernel stack and prev in eax: finish the
 * switch (schedule_tail(prev)), then the way back to ring 3 every trap takes
 * (entry.S: pending work, then the frame and iret).
 */
	.globl	ret_from_fork
	.type	ret_from_fork, @function
ret_from_fork:
	pushl	%eax
	call	schedule_tail
	addl	$4, %esp
	jmp	ret_to_user
	.size	ret_from_fork, . - ret_from_fork
