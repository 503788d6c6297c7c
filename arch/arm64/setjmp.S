/* setjmp.S (arm64): setjmp/longjmp over the callee-saved registers, for fault recovery. */
	.text
	.global setjmp
	.type setjmp, %function
setjmp:
	stp	x19, x20, [x0, #0]
	stp	x21, x22, [x0, #16]
	stp	x23, x24, [x0, #32]
	stp	x25, x26, [x0, #48]
	stp	x27, x28, [x0, #64]
	stp	x29, x30, [x0, #80]
	mov	x1, sp
	str	x1, [x0, #96]
	mov	x0, #0
	ret
	.size setjmp, . - setjmp

	.global longjmp
	.type longjmp, %function
longjmp:
	ldp	x19, x20, [x0, #0]
	ldp	x21, x22, [x0, #16]
	ldp	x23, x24, [x0, #32]
	ldp	x25, x26, [x0, #48]
	ldp	x27, x28, [x0, #64]
	ldp	x29, x30, [x0, #80]
	ldr	x2, [x0, #96]
	mov	sp, x2
	cmp	x1, #0
	csinc	x0, x1, xzr, ne		/* longjmp(env, 0) returns 1, as C requires */
	ret
	.size longjmp, . - longjmp
