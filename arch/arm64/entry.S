/* entry.S (arm64): the exception vector table (EL1 and EL0); saves a pt_regs frame and calls C; the way to EL0. */
#include <asm/ptrace.h>

/*
 * kernel_entry el: push x0-x30, the interrupted sp (el 0: the user's SP_EL0;
 * el 1: the kernel sp before the frame), elr, spsr, esr and far.
 */
.macro kernel_entry el
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
	.if \el == 0
	mrs	x0, sp_el0
	.else
	add	x0, sp, #PT_REGS_SIZE
	.endif
	stp	x30, x0, [sp, #16 * 15]
	mrs	x0, elr_el1
	mrs	x1, spsr_el1
	stp	x0, x1, [sp, #PT_ELR]
	mrs	x0, esr_el1
	mrs	x1, far_el1
	stp	x0, x1, [sp, #PT_ESR]
.endm

/*
 * kernel_exit el: restore what the handler may have changed (elr, spsr,
 * x0-x30; el 0: the user's sp too) and eret.
 */
.macro kernel_exit el
	ldp	x0, x1, [sp, #PT_ELR]
	msr	elr_el1, x0
	msr	spsr_el1, x1
	.if \el == 0
	ldr	x0, [sp, #PT_SP]
	msr	sp_el0, x0
	.endif
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

/* One 128-byte vector slot: save the frame, call do_exception(regs, kind). Kinds 8-15 come from EL0. */
.macro vector kind
	.balign 128
	.if \kind >= 8
	kernel_entry 0
	.else
	kernel_entry 1
	.endif
	mov	x0, sp
	mov	x1, #\kind
	.if \kind >= 8
	b	el0_common
	.else
	b	exception_common
	.endif
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
	kernel_exit 1

/* From EL0: the handler returns here to resume the process (exit and kills never return). */
el0_common:
	bl	do_exception
/* Pending work before the return (a kill, a reschedule: exit_to_user_mode), then eret. */
	.global ret_to_user_work
ret_to_user_work:
	bl	exit_to_user_mode
ret_to_user_frame:
	kernel_exit 0

/*
 * ret_to_user(regs): enters EL0 with the frame regs (on this kernel stack,
 * which the process's exceptions then reuse from regs down). Never returns.
 */
	.global ret_to_user
	.type ret_to_user, %function
ret_to_user:
	mov	sp, x0
	b	ret_to_user_frame
	.size ret_to_user, . - ret_to_user
