/* crt0.S (aarch64): the process entry (argc, argv, envp from the stack Linux lays out) and the syscall stub. */
	.text
	.global _start
	.type _start, %function
_start:
	mov	x29, #0			/* the outermost frame: backtraces stop here */
	mov	x30, #0
	mov	x0, sp			/* [sp] = argc, argv[], NULL, envp[], NULL, auxv */
	and	sp, x0, #~15
	bl	__libc_start_main	/* never returns */
	brk	#0
	.size _start, . - _start

/* long syscall6(nr, a..f): Linux's convention — svc #0, number in x8, arguments x0-x5, result in x0. */
	.global syscall6
	.type syscall6, %function
syscall6:
	mov	x8, x0
	mov	x0, x1
	mov	x1, x2
	mov	x2, x3
	mov	x3, x4
	mov	x4, x5
	mov	x5, x6
	svc	#0
	ret
	.size syscall6, . - syscall6
