/* entry.S (arm64): the EL1 exception vector table; saves a pt_regs frame and calls C. */
#include <asm/ptrace.h>

/* kernel_entry: push x0-x30, the interrupted sp, elr, spsr, esr and far. */
.macro kernel_entry
	sub	sp, sp, #PT_REGS_SIZE
	stp	x0, x1, [sp, #16 * 0]
	stp	x2, x3, [sp, #16 * 1]
	stp	x4, x5, [sp, #16 * 2]
	stp	x6, x7, [sp, #16 * 3]
	stp	x8, x9, [sp, #16 * 4]
	stp	x10, x11, [sp, #16 * 5]
	stp	x12, x13, [sp, #16 * 6]
	stp	x14, x15, [sp, #16 * 7]
	stp	x16, x17, [sp, #16 * 8]
	stp	x18, x19, [sp, #16 * 9]
	stp	x20, x21, [sp, #16 * 10]
	stp	x22, x23, [sp, #16 * 11]
	stp	x24, x25, [sp, #16 * 12]
	stp	x26, x27, [sp, #16 * 13]
	stp	x28, x29, [sp, #16 * 14]
	add	x0, sp, #PT_REGS_SIZE
	stp	x30, x0, [sp, #16 * 15]
	mrs	x0, elr_el1
	mrs	x1, spsr_el1
	stp	x0, x1, [sp, #PT_ELR]
	mrs	x0, esr_el1
	mrs	x1, far_el1
	stp	x0, x1, [sp, #PT_ESR]
.endm

/* kernel_exit: restore what the handler may have changed (elr, spsr, x0-x30) and eret. */
.macro kernel_exit
	ldp	x0, x1, [sp, #PT_ELR]
	msr	elr_el1, x0
	msr	spsr_el1, x1
	ldp	x0, x1, [sp, #16 * 0]
	ldp	x2, x3, [sp, #16 * 1]
	ldp	x4, x5, [sp, #16 * 2]
	ldp	x6, x7, [sp, #16 * 3]
	ldp	x8, x9, [sp, #16 * 4]
	ldp	x10, x11, [sp, #16 * 5]
	ldp	x12, x13, [sp, #16 * 6]
	ldp	x14, x15, [sp, #16 * 7]
	ldp	x16, x17, [sp, #16 * 8]
	ldp	x18, x19, [sp, #16 * 9]
	ldp	x20, x21, [sp, #16 * 10]
	ldp	x22, x23, [sp, #16 * 11]
	ldp	x24, x25, [sp, #16 * 12]
	ldp	x26, x27, [sp, #16 * 13]
	ldp	x28, x29, [sp, #16 * 14]
	ldr	x30, [sp, #16 * 15]
	add	sp, sp, #PT_REGS_SIZE
	eret
.endm

/* One 128-byte vector slot: save the frame, call handler(regs, kind). */
.macro vector kind
	.balign 128
	kernel_entry
	mov	x0, sp
	mov	x1, #\kind
	b	exception_common
.endm

	.text
	.balign 2048
	.global vectors
vectors:
	vector 0	/* current EL, SP0: sync */
	vector 1	/* IRQ */
	vector 2	/* FIQ */
	vector 3	/* SError */
	vector 4	/* current EL, SPx: sync */
	vector 5	/* IRQ */
	vector 6	/* FIQ */
	vector 7	/* SError */
	vector 8	/* lower EL, AArch64: sync */
	vector 9	/* IRQ */
	vector 10	/* FIQ */
	vector 11	/* SError */
	vector 12	/* lower EL, AArch32: sync */
	vector 13	/* IRQ */
	vector 14	/* FIQ */
	vector 15	/* SError */

exception_common:
	bl	do_exception
	kernel_exit
