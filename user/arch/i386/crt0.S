/* crt0.S (i386): the process entry (argc, argv, envp from the stack Linux lays out) and the int $0x80 syscall stub. */
	.text
	.global _start
	.type _start, @function
_start:
	xorl	%ebp, %ebp		/* the outermost frame: backtraces stop here */
	movl	%esp, %eax		/* (%esp) = argc, argv[], NULL, envp[], NULL, auxv */
	andl	$-16, %esp
	subl	$12, %esp		/* %esp 16-byte aligned at the call, as the i386 psABI asks */
	pushl	%eax
	call	__libc_start_main	/* never returns */
	hlt
	.size _start, . - _start

/*
 * long syscall6(nr, a..f): Linux's i386 convention — int $0x80, number in
 * eax, arguments in ebx ecx edx esi edi ebp, result in eax. ebx esi edi ebp
 * are the caller's (callee-saved in the psABI), so they are kept.
 */
	.global syscall6
	.type syscall6, @function
syscall6:
	pushl	%ebp
	pushl	%edi
	pushl	%esi
	pushl	%ebx
	movl	20(%esp), %eax
	movl	24(%esp), %ebx
	movl	28(%esp), %ecx
	movl	32(%esp), %edx
	movl	36(%esp), %esi
	movl	40(%esp), %edi
	movl	44(%esp), %ebp
	int	$0x80
	popl	%ebx
	popl	%esi
	popl	%edi
	popl	%ebp
	ret
	.size syscall6, . - syscall6
