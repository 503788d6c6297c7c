/* switch.S (arm64): cpu_switch_to (callee-saved registers and sp), a new task's first return to EL0, FP/SIMD save/load. */

/*
 * __cpu_switch_to(prev, next, prev_ctx, next_ctx): saves x19-x29, sp and lr
 * in prev_ctx, loads next_ctx's and returns there. x0 (prev) is left alone,
 * so next resumes with the task it came from as the return value (Linux's
 * cpu_switch_to). Interrupts are masked by the caller (schedule).
 */
	.text
	.global __cpu_switch_to
	.type __cpu_switch_to, %function
__cpu_switch_to:
	stp	x19, x20, [x2, #0]
	stp	x21, x22, [x2, #16]
	stp	x23, x24, [x2, #32]
	stp	x25, x26, [x2, #48]
	stp	x27, x28, [x2, #64]
	mov	x9, sp
	stp	x29, x9, [x2, #80]
	str	x30, [x2, #96]
	ldp	x19, x20, [x3, #0]
	ldp	x21, x22, [x3, #16]
	ldp	x23, x24, [x3, #32]
	ldp	x25, x26, [x3, #48]
	ldp	x27, x28, [x3, #64]
	ldp	x29, x9, [x3, #80]
	ldr	x30, [x3, #96]
	mov	sp, x9
	ret
	.size __cpu_switch_to, . - __cpu_switch_to

/*
 * ret_from_fork: where a new task first runs (its context's pc), with sp at
 * its pt_regs frame on top of its kernel stack: finish the switch
 * (schedule_tail(prev)), then the way back to EL0 every exception takes.
 */
	.global ret_from_fork
	.type ret_from_fork, %function
ret_from_fork:
	bl	schedule_tail
	b	ret_to_user_work
	.size ret_from_fork, . - ret_from_fork

/* fpsimd_save(st) / fpsimd_load(st): q0-q31, then FPSR and FPCR (struct fpsimd_state). */
	.global fpsimd_save
	.type fpsimd_save, %function
fpsimd_save:
	.arch_extension fp
	.arch_extension simd
	stp	q0, q1, [x0, #32 * 0]
	stp	q2, q3, [x0, #32 * 1]
	stp	q4, q5, [x0, #32 * 2]
	stp	q6, q7, [x0, #32 * 3]
	stp	q8, q9, [x0, #32 * 4]
	stp	q10, q11, [x0, #32 * 5]
	stp	q12, q13, [x0, #32 * 6]
	stp	q14, q15, [x0, #32 * 7]
	stp	q16, q17, [x0, #32 * 8]
	stp	q18, q19, [x0, #32 * 9]
	stp	q20, q21, [x0, #32 * 10]
	stp	q22, q23, [x0, #32 * 11]
	stp	q24, q25, [x0, #32 * 12]
	stp	q26, q27, [x0, #32 * 13]
	stp	q28, q29, [x0, #32 * 14]
	stp	q30, q31, [x0, #32 * 15]
	mrs	x1, fpsr
	mrs	x2, fpcr
	add	x3, x0, #512
	stp	x1, x2, [x3]
	ret
	.size fpsimd_save, . - fpsimd_save

	.global fpsimd_load
	.type fpsimd_load, %function
fpsimd_load:
	ldp	q0, q1, [x0, #32 * 0]
	ldp	q2, q3, [x0, #32 * 1]
	ldp	q4, q5, [x0, #32 * 2]
	ldp	q6, q7, [x0, #32 * 3]
	ldp	q8, q9, [x0, #32 * 4]
	ldp	q10, q11, [x0, #32 * 5]
	ldp	q12, q13, [x0, #32 * 6]
	ldp	q14, q15, [x0, #32 * 7]
	ldp	q16, q17, [x0, #32 * 8]
	ldp	q18, q19, [x0, #32 * 9]
	ldp	q20, q21, [x0, #32 * 10]
	ldp	q22, q23, [x0, #32 * 11]
	ldp	q24, q25, [x0, #32 * 12]
	ldp	q26, q27, [x0, #32 * 13]
	ldp	q28, q29, [x0, #32 * 14]
	ldp	q30, q31, [x0, #32 * 15]
	add	x3, x0, #512
	ldp	x1, x2, [x3]
	msr	fpsr, x1
	msr	fpcr, x2
	ret
	.size fpsimd_load, . - fpsimd_load
