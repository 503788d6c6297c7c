/* uaccess.S (x86): copy_{from,to}_user's copy, with its fixup (Nehalem has no SMAP: ring 0 reaches user pages directly). */

/* _ASM_EXTABLE insn, fixup: a fault at insn resumes at fixup (arch/x86/entry-common.c searches them). */
.macro _ASM_EXTABLE insn, fixup
	.pushsection __ex_table, "a"
	.balign 4
	.long	\insn, \fixup
	.popsection
.endm

	.text
/*
 * unsigned long __arch_copy_from_user(void *to, const void *from, unsigned long n)
 * unsigned long __arch_copy_to_user(void *to, const void *from, unsigned long n)
 * One body: REP MOVSB, whose ECX counts the bytes still to copy, so after a
 * fault the fixup returns exactly the bytes not copied. A page supplied by
 * the fault handler resumes the REP where it stopped. The user range was
 * checked by access_ok (include/kernel/uaccess.h) against TASK_SIZE.
 */
	.globl	__arch_copy_from_user, __arch_copy_to_user
	.type	__arch_copy_from_user, @function
	.type	__arch_copy_to_user, @function
__arch_copy_from_user:
__arch_copy_to_user:
	pushl	%edi
	pushl	%esi
	movl	12(%esp), %edi
	movl	16(%esp), %esi
	movl	20(%esp), %ecx
1:	rep movsb
2:	movl	%ecx, %eax
	popl	%esi
	popl	%edi
	ret
	_ASM_EXTABLE 1b, 2b
	.size	__arch_copy_from_user, . - __arch_copy_from_user
	.size	__arch_copy_to_user, . - __arch_copy_to_user
