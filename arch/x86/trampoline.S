/* trampoline.S (x86): an AP's first instructions — real mode to 32-bit protected mode to PAE paging, copied below 1 MiB. */
#include <asm/processor.h>
#include <asm/smp.h>

/*
 * smpboot.c copies [trampoline_start, trampoline_end) to TRAMPOLINE_PA and
 * writes struct trampoline_params at TR_PARAMS in the same page. A STARTUP IPI
 * starts the AP here in real mode, CS = TRAMPOLINE_PA >> 4, IP = 0, paging
 * and interrupts off. Every address below is the copy's PA (TR()), known at
 * assembly time because the page is fixed.
 *
 * An AP whose initial APIC id (CPUID 1, EBX 31:24) is not the one the boot
 * CPU is waiting for — one that answers after its deadline, once the boot CPU
 * has cleared TR_APIC_ID — halts here with interrupts off and touches nothing.
 */
#define TR(x)		(TRAMPOLINE_PA + ((x) - trampoline_start))
#define PARAM(off)	(TRAMPOLINE_PA + (off))

	.section .rodata
	.p2align 4
	.globl	trampoline_start, trampoline_end
	.code16
trampoline_start:
	cli
	cld
	movw	%cs, %ax
	movw	%ax, %ds
	lgdtl	tr_gdt_desc - trampoline_start
	movl	%cr0, %eax
	orl	$1, %eax			/* PE */
	movl	%eax, %cr0
	ljmpl	$__KERNEL_CS, $TR(tr_protected)

	.code32
tr_protected:
	movl	$__KERNEL_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs
	movl	$1, %eax
	cpuid
	shrl	$24, %ebx
	cmpl	PARAM(TR_APIC_ID), %ebx
	jne	tr_park
	movl	$1, PARAM(TR_ANSWERED)

	/* PAE (and PGE) as the boot CPU, head.S's early tables, NX if the boot CPU uses it */
	movl	PARAM(TR_CR4), %eax
	movl	%eax, %cr4
	movl	PARAM(TR_EARLY_CR3), %eax
	movl	%eax, %cr3
	cmpl	$0, PARAM(TR_NX)
	je	1f
	movl	$MSR_EFER, %ecx
	rdmsr
	orl	$EFER_NXE, %eax
	wrmsr
1:	movl	PARAM(TR_CR3), %ebx		/* read before paging: the final tables do not map this page */
	movl	PARAM(TR_STACK), %esp
	movl	PARAM(TR_CPU), %esi
	movl	%cr0, %eax
	orl	$(X86_CR0_PG | X86_CR0_WP), %eax
	movl	%eax, %cr0			/* the early tables map this page at its PA too */
	movl	$secondary_startup_32, %eax
	jmp	*%eax

tr_park:
	cli
	hlt
	jmp	tr_park

	.p2align 3
tr_gdt:
	.quad	0
	.quad	0x00cf9a000000ffff		/* __KERNEL_CS, as head.S's */
	.quad	0x00cf92000000ffff		/* __KERNEL_DS */
tr_gdt_desc:
	.word	tr_gdt_desc - tr_gdt - 1
	.long	TR(tr_gdt)
trampoline_end:
