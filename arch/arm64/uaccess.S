/* uaccess.S (arm64): copy_{from,to}_user's loops with LDTR/STTR (EL0's permissions: no PAN on the A53), with fixups. */

/* _asm_extable insn, fixup: a fault at insn resumes at fixup (arch/arm64/entry-common.c searches them). */
.macro _asm_extable insn, fixup
	.pushsection __ex_table, "a"
	.balign 8
	.quad	\insn, \fixup
	.popsection
.endm

	.text
/*
 * unsigned long __arch_copy_from_user(void *to, const void *from, unsigned long n):
 * x0 kernel destination, x1 user source, x2 bytes; returns the bytes not copied.
 * A byte at a time: system calls in this slice move a few hundred bytes.
 */
	.global __arch_copy_from_user
	.type __arch_copy_from_user, %function
__arch_copy_from_user:
	cbz	x2, 2f
1:	ldtrb	w3, [x1]
	_asm_extable 1b, 9f
	strb	w3, [x0], #1
	add	x1, x1, #1
	subs	x2, x2, #1
	b.ne	1b
2:
uaccess_done:			/* both loops end here: everything copied */
	mov	x0, #0
	ret
9:
uaccess_fault:			/* or here, from a fixup: x2 bytes were not copied */
	mov	x0, x2
	ret
	.size __arch_copy_from_user, . - __arch_copy_from_user

/* unsigned long __arch_copy_to_user(void *to, const void *from, unsigned long n): x0 user, x1 kernel. */
	.global __arch_copy_to_user
	.type __arch_copy_to_user, %function
__arch_copy_to_user:
	cbz	x2, 2f
1:	ldrb	w3, [x1], #1
3:	sttrb	w3, [x0]
	_asm_extable 3b, 9f
	add	x0, x0, #1
	subs	x2, x2, #1
	b.ne	1b
2:	b	uaccess_done
9:	b	uaccess_fault
	.size __arch_copy_to_user, . - __arch_copy_to_user
