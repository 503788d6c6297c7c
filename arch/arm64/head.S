/* head.S (arm64): Image header, entry from EL3/EL2/EL1, early tables, MMU on, jump to start_kernel. */
#include <asm/memory.h>
#include <asm/sysreg.h>

/* adr_l: PC-relative address of sym (the PA before the MMU is on, the VA after). */
.macro adr_l reg, sym
	adrp	\reg, \sym
	add	\reg, \reg, :lo12:\sym
.endm

/* Early block attributes (lower and upper bits of a level-2 block descriptor, ARM ARM D8.3). */
#define BLK_NORMAL_LO	((MT_NORMAL_IDX << 2) | (3 << 8) | (1 << 10) | 1)	/* AttrIndx, SH inner, AF, block */
#define BLK_DEVICE_LO	((MT_DEVICE_nGnRE_IDX << 2) | (1 << 10) | 1)		/* AttrIndx, AF, block */
#define BLK_UXN_HI	0x40		/* bit 54 in the top halfword */
#define BLK_PXN_UXN_HI	0x60		/* bits 53 and 54 */
#define FDT_MAGIC_LE	0xedfe0dd0	/* 0xd00dfeed, big-endian, read little-endian */

	.section ".head.text", "ax"
	.global _head
_head:
	/* The arm64 Image header (Linux Documentation/arch/arm64/booting.rst), 64 bytes. */
	b	primary_entry			/* code0 */
	.long	0				/* code1 */
	.quad	TEXT_OFFSET			/* text_offset: load this far past a 2 MiB boundary */
	.quad	_image_size			/* image_size: bytes from _head to _end, BSS included */
	.quad	0x2				/* flags: little-endian, 4 KiB pages, 2 MiB-aligned base */
	.quad	0, 0, 0
	.ascii	"ARM\x64"			/* magic */
	.long	0

primary_entry:
	mov	x19, x0				/* the DTB, if the loader gave one */
	mrs	x20, CurrentEL
	lsr	x20, x20, #2			/* the EL we were entered at, for the banner */
	mrs	x1, mpidr_el1
	tst	x1, #0xff			/* Aff0: only core 0 runs; others park (no SMP yet) */
	b.ne	secondary_park
	cmp	x20, #3
	b.ne	1f
	/* EL3 -> EL2: non-secure, EL2 AArch64, HVC on, SMC off */
	mov	x1, #0x5b1
	msr	scr_el3, x1
	mov	x1, #0x3c9			/* EL2h, DAIF masked */
	msr	spsr_el3, x1
	adr	x1, 1f
	msr	elr_el3, x1
	eret
1:	mrs	x1, CurrentEL
	cmp	x1, #(2 << 2)
	b.ne	el1_entry
	/* EL2 -> EL1: EL1 is AArch64, may use the physical timer, FP/SIMD not trapped */
	mov	x1, #HCR_RW
	msr	hcr_el2, x1
	mov	x1, #CNTHCTL_EL1PCEN_EL1PCTEN
	msr	cnthctl_el2, x1
	msr	cntvoff_el2, xzr
	mov	x1, #0x33ff
	msr	cptr_el2, x1
	mrs	x1, midr_el1
	msr	vpidr_el2, x1
	mrs	x1, mpidr_el1
	msr	vmpidr_el2, x1
	ldr	x1, =SCTLR_EL1_RES1
	msr	sctlr_el1, x1			/* MMU and caches off until our tables are ready */
	mov	x1, #SPSR_EL1h_DAIF
	msr	spsr_el2, x1
	adr	x1, el1_entry
	msr	elr_el2, x1
	eret

el1_entry:
	ldr	x1, =SCTLR_EL1_RES1
	msr	sctlr_el1, x1
	mov	x1, #CPACR_FPEN			/* libfdt.a may use SIMD registers */
	msr	cpacr_el1, x1
	isb
	/* Clear BSS (both ends 8-byte aligned by the linker script). */
	adr_l	x1, __bss_start
	adr_l	x2, __bss_end
2:	cmp	x1, x2
	b.hs	3f
	str	xzr, [x1], #8
	b	2b
3:	adr_l	x1, boot_cpu_el
	str	x20, [x1]
	adr_l	x1, boot_dtb_pa
	str	x19, [x1]
	bl	copy_dtb
	bl	create_early_tables
	b	enable_mmu

/*
 * secondary_park: where the secondary cores wait until pagoda has SMP. They
 * come here either at entry (MPIDR says not core 0) or when setup_arch releases
 * them from the firmware's spin table (arch/arm64/smp.c), and run with the MMU
 * off, touching no memory. WFI really halts a core (the firmware's WFE loop
 * keeps polling, which under QEMU keeps a host thread busy).
 */
	.global secondary_park
secondary_park:
	wfi
	b	secondary_park

/*
 * copy_dtb: if x19 points at a DTB (magic checked; the address must lie in the
 * first GiB and be 8-byte aligned) no larger than the buffer, copy it into
 * boot_dtb_copy so that C can read it through the kernel image mapping before
 * the linear map exists. The original stays where it is (memblock reserves it).
 */
copy_dtb:
	tst	x19, #7
	b.ne	9f
	lsr	x1, x19, #30
	cbnz	x1, 9f
	ldr	w1, [x19]
	ldr	w2, =FDT_MAGIC_LE
	cmp	w1, w2
	b.ne	9f
	ldr	w3, [x19, #4]			/* totalsize, big-endian */
	rev	w3, w3
	ldr	x4, =BOOT_DTB_MAX
	cmp	x3, x4
	b.hi	9f
	adr_l	x5, boot_dtb_copy
	adr_l	x1, boot_dtb_size
	str	x3, [x1]
	mov	x6, x19
4:	cbz	x3, 9f
	ldrb	w7, [x6], #1
	strb	w7, [x5], #1
	sub	x3, x3, #1
	b	4b
9:	ret

/* map_blocks l2, va, pa, end, lo, hi: 2 MiB blocks for [va, end) -> pa in the level-2 table l2. */
.macro map_blocks l2, va, pa, end, lo, hi, t1, t2
	mov	\t2, #\lo
	movk	\t2, #\hi, lsl #48
	orr	\pa, \pa, \t2
5:	lsr	\t1, \va, #21
	and	\t1, \t1, #511
	str	\pa, [\l2, \t1, lsl #3]
	add	\va, \va, #0x200000
	add	\pa, \pa, #0x200000
	cmp	\va, \end
	b.lo	5b
.endm

/* link_table tbl, va, shift, next: tbl[(va >> shift) & 511] = table descriptor of next. */
.macro link_table tbl, va, shift, next, t1, t2
	lsr	\t1, \va, #\shift
	and	\t1, \t1, #511
	orr	\t2, \next, #3
	str	\t2, [\tbl, \t1, lsl #3]
.endm

/*
 * create_early_tables: the tables that carry us from "MMU off" to start_kernel.
 *   TTBR0: identity map of the image (2 MiB blocks), only for the instructions
 *          that turn the MMU on; paging_init empties TTBR0 later.
 *   TTBR1: the image at its link address (2 MiB blocks, RWX until paging_init
 *          applies W^X) and one 2 MiB Device block with the UARTs at
 *          PERIPH_VADDR + 0x200000 -> PA 0x3f200000, the address the final map
 *          keeps for the console.
 * The image must be loaded TEXT_OFFSET past a 2 MiB boundary (booti, the Pi
 * firmware and QEMU all do so).
 */
create_early_tables:
	adr_l	x0, idmap_pg_dir		/* L0, L1, L2 of the identity map */
	add	x1, x0, #4096
	add	x2, x0, #8192
	adr_l	x10, _head
	and	x10, x10, #~0x1fffff		/* PA of the first 2 MiB block */
	adr_l	x11, _end
	link_table x0, x10, 39, x1, x3, x4
	link_table x1, x10, 30, x2, x3, x4
	mov	x12, x10
	map_blocks x2, x12, x10, x11, BLK_NORMAL_LO, BLK_UXN_HI, x3, x4

	adr_l	x0, init_pg_dir			/* L0, then L1/L2 for the image, L1/L2 for devices */
	add	x1, x0, #4096
	add	x2, x0, #8192
	ldr	x12, =KIMAGE_VADDR
	ldr	x13, =_end
	link_table x0, x12, 39, x1, x3, x4
	link_table x1, x12, 30, x2, x3, x4
	adr_l	x10, _head
	and	x10, x10, #~0x1fffff
	map_blocks x2, x12, x10, x13, BLK_NORMAL_LO, BLK_UXN_HI, x3, x4

	add	x1, x0, #12288
	add	x2, x0, #16384
	ldr	x12, =PERIPH_VADDR + 0x200000
	link_table x0, x12, 39, x1, x3, x4
	link_table x1, x12, 30, x2, x3, x4
	add	x13, x12, #0x200000
	ldr	x10, =0x3f200000
	map_blocks x2, x12, x10, x13, BLK_DEVICE_LO, BLK_PXN_UXN_HI, x3, x4
	dsb	sy
	ret

enable_mmu:
	ldr	x1, =MAIR_EL1_VALUE
	msr	mair_el1, x1
	ldr	x1, =TCR_EL1_VALUE
	mrs	x2, id_aa64mmfr0_el1
	and	x2, x2, #7			/* PARange -> TCR.IPS */
	orr	x1, x1, x2, lsl #TCR_IPS_SHIFT
	msr	tcr_el1, x1
	adr_l	x1, idmap_pg_dir
	msr	ttbr0_el1, x1
	adr_l	x1, init_pg_dir
	msr	ttbr1_el1, x1
	isb
	tlbi	vmalle1
	dsb	nsh
	isb
	mrs	x1, sctlr_el1
	ldr	x3, =(SCTLR_M | SCTLR_C | SCTLR_SA | SCTLR_I)
	orr	x1, x1, x3
	msr	sctlr_el1, x1
	isb
	adr_l	x1, _head			/* PA of the image, for kimage_voffset */
	ldr	x2, =_head
	sub	x2, x2, x1
	ldr	x0, =virt_entry
	br	x0

	.text
virt_entry:
	adr_l	x1, kimage_voffset
	str	x2, [x1]
	adr_l	x1, boot_stack_top
	mov	sp, x1
	adr_l	x1, vectors
	msr	vbar_el1, x1
	isb
	mov	x29, xzr
	mov	x30, xzr
	bl	start_kernel
6:	wfe
	b	6b
	.ltorg

	.bss
	.balign 4096
	.global idmap_pg_dir, init_pg_dir
idmap_pg_dir:	.space 3 * 4096
init_pg_dir:	.space 5 * 4096
	.balign 16
	.global boot_stack
boot_stack:	.space 16384
	.global boot_stack_top
boot_stack_top:
	.balign 8
	.global boot_cpu_el, boot_dtb_pa, boot_dtb_size, boot_dtb_copy
boot_cpu_el:	.quad 0
boot_dtb_pa:	.quad 0
boot_dtb_size:	.quad 0
	.balign 8
boot_dtb_copy:	.space BOOT_DTB_MAX
