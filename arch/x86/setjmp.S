/* setjmp.S (x86): setjmp/longjmp over the callee-saved registers (asm/setjmp.h layout). */
#include <asm/setjmp.h>

	.text
/* int setjmp(jmp_buf env): saves the caller's context; returns 0 now, val from longjmp. */
	.globl	setjmp
	.type	setjmp, @function
setjmp:
	movl	4(%esp), %eax
	movl	%ebx, JB_EBX(%eax)
	movl	%esi, JB_ESI(%eax)
	movl	%edi, JB_EDI(%eax)
	movl	%ebp, JB_EBP(%eax)
	leal	4(%esp), %ecx			/* the caller's ESP after our return */
	movl	%ecx, JB_ESP(%eax)
	movl	(%esp), %ecx
	movl	%ecx, JB_EIP(%eax)
	xorl	%eax, %eax
	ret
	.size	setjmp, . - setjmp

/* void longjmp(jmp_buf env, int val): returns from that setjmp with val (1 if val is 0). */
	.globl	longjmp
	.type	longjmp, @function
longjmp:
	movl	4(%esp), %edx
	movl	8(%esp), %eax
	testl	%eax, %eax
	jnz	1f
	incl	%eax
1:	movl	JB_EBX(%edx), %ebx
	movl	JB_ESI(%edx), %esi
	movl	JB_EDI(%edx), %edi
	movl	JB_EBP(%edx), %ebp
	movl	JB_ESP(%edx), %esp
	jmp	*JB_EIP(%edx)
	.size	longjmp, . - longjmp
