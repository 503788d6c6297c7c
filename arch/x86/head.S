/* head.S (x86): Multiboot v1 header and entry, early PAE tables, the jump to PAGE_OFFSET. */
#include <asm/memory.h>
#include <asm/processor.h>
#include <asm/smp.h>

#define MULTIBOOT_HEADER_MAGIC	0x1badb002
#define MULTIBOOT_BOOTLOADER_MAGIC 0x2badb002
#define MB_FLAGS		0x00000003	/* bit 0: page-align modules, bit 1: memory map */

#define PA(x)			((x) - PAGE_OFFSET)
#define EARLY_PMD_ENTRIES	(MAXMEM >> 21)	/* 448 x 2 MiB = all possible lowmem */
#define PDE_LARGE		0x83		/* Present | RW | PS (2 MiB page, PAE) */

	.section .multiboot, "a"
	.p2align 2
	.long	MULTIBOOT_HEADER_MAGIC
	.long	MB_FLAGS
	.long	-(MULTIBOOT_HEADER_MAGIC + MB_FLAGS)

/*
 * _start: entered by the Multiboot loader in 32-bit protected mode, paging off,
 * at its physical address (1 MiB + a little), EAX = 0x2BADB002, EBX = PA of the
 * Multiboot information. The image is linked at PAGE_OFFSET + 1 MiB, so until
 * paging is on every address is used through PA().
 *
 * Early tables: one PMD of 2 MiB pages mapping PA 0 .. 896 MiB, hung under
 * both PDPT[0] (identity, for the instruction that turns paging on) and
 * PDPT[3] (PAGE_OFFSET). paging_init() replaces them with the final tables.
 */
	.section .head.text, "ax"
	.globl	_start
	.code32
_start:
	cli
	cld
	lgdt	PA(early_gdt_desc)
	ljmp	$__KERNEL_CS, $PA(1f)
1:	movl	$__KERNEL_DS, %ecx
	movl	%ecx, %ds
	movl	%ecx, %es
	movl	%ecx, %ss
	movl	%ecx, %fs
	movl	%ecx, %gs
	movl	%eax, %esi			/* keep magic and info across the BSS clear */
	movl	%ebx, %ebp
	movl	$PA(init_stack_top), %esp	/* Multiboot leaves ESP undefined */
	call	verify_cpu			/* returns only if the CPU can run this kernel */

	movl	$PA(__bss_start), %edi
	movl	$PA(__bss_end), %ecx
	subl	%edi, %ecx
	shrl	$2, %ecx
	xorl	%eax, %eax
	rep stosl
	movl	%esi, PA(multiboot_magic)
	movl	%ebp, PA(multiboot_info_pa)

	/* early_pmd[i] = i * 2 MiB | PDE_LARGE (high words are already 0) */
	movl	$PA(early_pmd), %edi
	movl	$PDE_LARGE, %eax
	movl	$EARLY_PMD_ENTRIES, %ecx
2:	movl	%eax, (%edi)
	addl	$0x200000, %eax
	addl	$8, %edi
	loop	2b
	/* PDPT entries: Present and the address only (reserved bits fault on CR3 load) */
	movl	$PA(early_pmd) + 1, %eax
	movl	%eax, PA(early_pdpt)
	movl	%eax, PA(early_pdpt) + 24

	movl	%cr4, %eax
	orl	$X86_CR4_PAE, %eax
	movl	%eax, %cr4
	movl	$PA(early_pdpt), %eax
	movl	%eax, %cr3
	movl	%cr0, %eax
	orl	$(X86_CR0_PG | X86_CR0_WP), %eax
	movl	%eax, %cr0
	movl	$3f, %eax
	jmp	*%eax
3:	/* now running at PAGE_OFFSET + PA */
	lgdt	gdt_desc
	movl	$init_stack_top, %esp
	xorl	%ebp, %ebp
	pushl	$0
	popfl
	call	x86_start_kernel
4:	cli
	hlt
	jmp	4b

/*
 * verify_cpu: plain 386 code, run before anything the build needs (CR4.PAE,
 * CMOVcc from -march=i686, RDTSC in the clock) is touched. CPUID exists if
 * EFLAGS.ID can be flipped; then leaf 1's EDX must have every REQUIRED bit.
 * If not, COM1 gets Linux's line naming what is missing, isa-debug-exit gets
 * status 1 (QEMU exits 3), and the CPU halts. Clobbers EAX-EDX, EDI.
 */
#define REQUIRED	(X86_FEATURE_EDX_TSC | X86_FEATURE_EDX_PAE | X86_FEATURE_EDX_CMOV)
#define EARLY_COM1	0x3f8		/* as drivers/serial/8250.c: THR at +0, LSR at +5 */
#define EARLY_LSR_THRE	0x20
#define EARLY_EXIT_PORT	0xf4		/* QEMU isa-debug-exit, as arch/x86/time.c */

verify_cpu:
	pushfl
	popl	%eax
	movl	%eax, %ecx
	xorl	$X86_EFLAGS_ID, %eax
	pushl	%eax
	popfl
	pushfl
	popl	%eax
	pushl	%ecx
	popfl
	xorl	%ecx, %eax
	xorl	%edx, %edx			/* no CPUID: no features known... */
	movl	$1, %ecx			/* ...and ECX = 1 says so */
	testl	$X86_EFLAGS_ID, %eax
	jz	1f
	xorl	%eax, %eax
	cpuid
	xorl	%edx, %edx
	xorl	%ecx, %ecx
	cmpl	$1, %eax			/* leaf 1 missing: nothing known either */
	jb	1f
	movl	$1, %eax
	cpuid
	xorl	%ecx, %ecx
1:	movl	%edx, %ebx
	notl	%ebx
	andl	$REQUIRED, %ebx			/* EBX: the required bits missing */
	orl	%ebx, %ecx
	jnz	2f
	ret
2:	movl	$PA(msg_requires), %edi		/* early_puts keeps EBX and ECX */
	call	early_puts
	testl	$1, %ecx
	jz	3f
	movl	$PA(msg_cpuid), %edi
	call	early_puts
3:	testl	$X86_FEATURE_EDX_TSC, %ebx
	jz	4f
	movl	$PA(msg_tsc), %edi
	call	early_puts
4:	testl	$X86_FEATURE_EDX_PAE, %ebx
	jz	5f
	movl	$PA(msg_pae), %edi
	call	early_puts
5:	testl	$X86_FEATURE_EDX_CMOV, %ebx
	jz	6f
	movl	$PA(msg_cmov), %edi
	call	early_puts
6:	movl	$PA(msg_end), %edi
	call	early_puts
	movl	$1, %eax
	movw	$EARLY_EXIT_PORT, %dx
	outl	%eax, %dx
7:	cli
	hlt
	jmp	7b

/* early_puts: writes the NUL-terminated string at EDI to COM1, polling. Clobbers EAX, EDX, EDI. */
early_puts:
1:	movb	(%edi), %al
	testb	%al, %al
	jz	3f
	movw	$EARLY_COM1 + 5, %dx
	movb	%al, %ah
2:	inb	%dx, %al
	testb	$EARLY_LSR_THRE, %al
	jz	2b
	movb	%ah, %al
	movw	$EARLY_COM1, %dx
	outb	%al, %dx
	incl	%edi
	jmp	1b
3:	ret

	.section .rodata
msg_requires:	.asciz	"\r\nThis kernel requires the following features not present on the CPU:"
msg_cpuid:	.asciz	" cpuid"
msg_tsc:	.asciz	" tsc"
msg_pae:	.asciz	" pae"
msg_cmov:	.asciz	" cmov"
msg_end:	.asciz	"\r\n"

/*
 * secondary_startup_32: an AP, from trampoline.S, with head.S's early tables
 * (so this code runs at its linked VA), EBX = init_mm's PDPT, ESP = its stack,
 * ESI = its CPU number. It takes the kernel's GDT, switches to the final
 * tables and enters C.
 */
	.section .head.text, "ax"
	.globl	secondary_startup_32
secondary_startup_32:
	lgdt	gdt_desc
	ljmp	$__KERNEL_CS, $1f
1:	movl	$__KERNEL_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %gs
	movl	%ebx, %cr3
	xorl	%ebp, %ebp
	pushl	$0
	popfl
	pushl	%esi
	call	x86_secondary_start
2:	cli
	hlt
	jmp	2b

/*
 * The GDT: null, flat 4 GiB __KERNEL_CS (0x08) and __KERNEL_DS (0x10), then
 * one per-CPU data segment per CPU for %fs (asm/smp.h), filled by smpboot.c,
 * the user code and data segments, and a TSS per CPU.
 * In .data: loading a segment sets its descriptor's accessed bit.
 */
	.data
	.p2align 3
	.globl	gdt_table
gdt_table:
	.quad	0
	.quad	0x00cf9a000000ffff	/* code: base 0, limit 4 GiB, DPL 0, execute/read */
	.quad	0x00cf92000000ffff	/* data: base 0, limit 4 GiB, DPL 0, read/write */
	.fill	CONFIG_NR_CPUS, 8, 0	/* __PERCPU_SEG(cpu) */
	.quad	0x00cffa000000ffff	/* __USER_CS: base 0, limit 4 GiB, DPL 3, execute/read */
	.quad	0x00cff2000000ffff	/* __USER_DS: base 0, limit 4 GiB, DPL 3, read/write */
	.fill	CONFIG_NR_CPUS, 8, 0	/* __TSS_SEG(cpu), filled by mmu_context.c */
gdt_end:
	.section .rodata
	.p2align 2
	.word	0
early_gdt_desc:
	.word	gdt_end - gdt_table - 1
	.long	PA(gdt_table)
	.word	0
gdt_desc:
	.word	gdt_end - gdt_table - 1
	.long	gdt_table

	.data
	.p2align 2
	.globl	multiboot_magic, multiboot_info_pa
multiboot_magic:	.long 0
multiboot_info_pa:	.long 0

	.bss
	.p2align 12
	.globl	early_pdpt, early_pmd
early_pmd:	.skip 4096
early_pdpt:	.skip 4096	/* 32 bytes used; a page keeps it off the PMD's cache lines */
init_stack:	.skip 16384
	.globl	init_stack_top
init_stack_top:
