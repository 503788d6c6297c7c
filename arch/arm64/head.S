/* head.S (arm64): Image header, entry from EL3/EL2/EL1, early tables, MMU on, jump to start_kernel. */
#include <asm/board.h>
#include <asm/memory.h>
#include <asm/sysreg.h>
#include <asm/boot.h>
#include <asm/smp.h>
#include <drivers/bcm283x_console.h>

/* adr_l: PC-relative address of sym (the PA before the MMU is on, the VA after). */
.macro adr_l reg, sym
	adrp	\reg, \sym
	add	\reg, \reg, :lo12:\sym
.endm

/* drop_el3_to_el2 target: non-secure, EL2 AArch64, HVC on, SMC off; EL2h with DAIF masked at target. */
.macro drop_el3_to_el2 target
	mov	x1, #0x5b1
	msr	scr_el3, x1
	mov	x1, #0x3c9
	msr	spsr_el3, x1
	adr	x1, \target
	msr	elr_el3, x1
	eret
.endm

/*
 * drop_el2_to_el1 target: EL1 is AArch64, may use the physical timer, FP/SIMD
 * not trapped; EL1h with DAIF masked at target, MMU and caches off until our
 * tables are ready.
 */
.macro drop_el2_to_el1 target
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
	msr	sctlr_el1, x1
	mov	x1, #SPSR_EL1h_DAIF
	msr	spsr_el2, x1
	adr	x1, \target
	msr	elr_el2, x1
	eret
.endm

/*
 * drop_to_el1 target (x20 = the EL we run at): from EL3, el3_setup and down to
 * EL2; from EL2 (now), the early vectors there and down to EL1 at target; at
 * EL1 already, straight to target. The boot CPU and the secondaries share it.
 */
.macro drop_to_el1 target
	cmp	x20, #3
	b.ne	1f
	bl	el3_setup
	drop_el3_to_el2 1f
1:	mrs	x1, CurrentEL
	cmp	x1, #(2 << 2)
	b.ne	\target
	bl	early_vectors_install		/* at EL2 now, if we came from EL3 */
	drop_el2_to_el1 \target
.endm

/* Early block attributes (lower and upper bits of a level-2 block descriptor, ARM ARM D8.3). */
#define BLK_NORMAL_LO	((MT_NORMAL_IDX << 2) | (3 << 8) | (1 << 10) | 1)	/* AttrIndx, SH inner, AF, block */
#define BLK_DEVICE_LO	((MT_DEVICE_nGnRE_IDX << 2) | (1 << 10) | 1)		/* AttrIndx, AF, block */
#define BLK_UXN_HI	0x40		/* bit 54 in the top halfword */
#define BLK_PXN_UXN_HI	0x60		/* bits 53 and 54 */
#define FDT_MAGIC_LE	0xedfe0dd0	/* 0xd00dfeed, big-endian, read little-endian */

/* Cortex-A53 TRM §4.3: implementation-defined registers the Pi firmware's armstub sets at EL3. */
#define CPUECTLR_EL1		S3_1_C15_C2_1
#define CPUECTLR_SMPEN		(1 << 6)	/* take part in coherency: before caches/MMU */
#define L2CTLR_EL1		S3_1_C11_C0_2
#define L2CTLR_DATA_LATENCY	0x22		/* what the firmware ORs in */
#define MIDR_PARTNUM_MASK	0xff00fff0	/* implementer and part number */
#define MIDR_CORTEX_A53		0x4100d030
#define EARLY_SPIN		0x100000	/* transmit polls before the early putc gives up */

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

	/*
	 * early_debug (offset 64, zero in every build): a test patches it in a copy of
	 * the image to fault on purpose before C runs — 1: at the EL we were entered
	 * at, 2: at EL1 with the MMU still off — and checks the early vectors' report.
	 */
	.global early_debug
early_debug:
	.long	0
	.long	0

primary_entry:
	mov	x19, x0				/* the DTB, if the loader gave one */
	mrs	x20, CurrentEL
	lsr	x20, x20, #2			/* the EL we were entered at, for the banner */
	mrs	x1, mpidr_el1
	tst	x1, #0xff			/* Aff0: only core 0 runs; others park (no SMP yet) */
	b.ne	secondary_park
	bl	early_uart_setup
	bl	early_vectors_install
	adr_l	x0, msg_entered
	bl	early_puts
	add	x0, x20, #'0'
	bl	early_putc
	bl	early_newline
	bl	check_load_address
	ldr	w1, early_debug
	cmp	w1, #EARLY_DEBUG_FAULT_ENTRY
	b.eq	early_fault
	drop_to_el1 el1_entry

el1_entry:
	ldr	x1, =SCTLR_EL1_RES1
	msr	sctlr_el1, x1
	mov	x1, #CPACR_FPEN			/* libfdt.a may use SIMD registers */
	msr	cpacr_el1, x1
	isb
	bl	early_vectors_install		/* VBAR_EL1 until virt_entry installs the real table */
	ldr	w1, early_debug
	cmp	w1, #EARLY_DEBUG_FAULT_EL1
	b.eq	early_fault
	/*
	 * Everything below is written with the MMU and caches off, then read through
	 * cacheable mappings: the boot protocol only promises that the loaded image
	 * was cleaned to the PoC, so a line of BSS may still sit in the cache, clean
	 * (it would hide what we write) or dirty (its eviction would overwrite it).
	 * Invalidate BSS before writing it and again afterwards, as Linux does for its
	 * early tables (the second pass drops lines fetched speculatively meanwhile).
	 */
	adr_l	x0, __bss_start
	adr_l	x1, __bss_end
	bl	dcache_inval_poc
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
	adr_l	x0, __bss_start			/* tables, DTB copy, boot_* words: all in BSS */
	adr_l	x1, __bss_end
	bl	dcache_inval_poc
	b	enable_mmu

/*
 * dcache_inval_poc(x0 = start, x1 = end): invalidate the data cache lines of
 * [start, end) to the PoC after the writes before it (dmb sy). Uses x0-x3.
 */
dcache_inval_poc:
	dmb	sy
	mrs	x3, ctr_el0
	ubfx	x3, x3, #16, #4			/* DminLine: log2 of the line in words */
	mov	x2, #4
	lsl	x2, x2, x3			/* the smallest line, in bytes */
	sub	x3, x2, #1
	bic	x0, x0, x3
1:	dc	ivac, x0
	add	x0, x0, x2
	cmp	x0, x1
	b.lo	1b
	dsb	sy
	ret

/*
 * check_load_address: the early tables map the image at its link address from
 * the 2 MiB block below it, so _head must lie TEXT_OFFSET past a 2 MiB boundary.
 * The Pi firmware's kernel_old=1 loads the image at PA 0 (and enters every core
 * there at EL3): refuse that with a line on the console rather than run with
 * every address off by TEXT_OFFSET.
 */
check_load_address:
	adr	x1, _head
	and	x1, x1, #0x1fffff
	cmp	x1, #TEXT_OFFSET
	b.ne	1f
	ret
1:	adr_l	x0, msg_load_address
	bl	early_puts
	adr	x0, _head
	bl	early_puthex
	adr_l	x0, msg_load_address2
	bl	early_puts
	b	early_halt

/*
 * el3_setup: what the Pi firmware's armstub does at EL3 before it enters a
 * kernel at EL2, for a kernel entered at EL3 (a custom armstub): the ARM-local
 * timer counts the 19.2 MHz crystal undivided (BCM2836 ARM-local peripherals,
 * control at +0x0, prescaler at +0x8), CNTFRQ_EL0 says so (writable only here:
 * left 0, every counter deadline would expire at once), FP/SIMD is not trapped,
 * and on a Cortex-A53 CPUECTLR_EL1.SMPEN is set (required before the caches
 * and MMU are on) and the L2 data RAM latency raised as the firmware does.
 */
el3_setup:
	ldr	x1, =LOCAL_PHYS
	str	wzr, [x1, #LOCAL_CONTROL]	/* crystal source, increment by 1 */
	mov	w2, #LOCAL_PRESCALER_DIV1
	str	w2, [x1, #LOCAL_PRESCALER]
	ldr	x1, =PI3_CRYSTAL_HZ
	msr	cntfrq_el0, x1
	msr	cptr_el3, xzr
	msr	cntvoff_el2, xzr
	mrs	x1, midr_el1
	ldr	x2, =MIDR_PARTNUM_MASK
	and	x1, x1, x2
	ldr	x2, =MIDR_CORTEX_A53
	cmp	x1, x2
	b.ne	1f
	mrs	x1, CPUECTLR_EL1
	orr	x1, x1, #CPUECTLR_SMPEN
	msr	CPUECTLR_EL1, x1
	mrs	x1, L2CTLR_EL1
	mov	x2, #L2CTLR_DATA_LATENCY
	orr	x1, x1, x2
	msr	L2CTLR_EL1, x1
1:	isb
	ret

/*
 * secondary_park: where a secondary core waits when it is not brought into
 * the kernel: at entry (MPIDR says not core 0: a loader that starts every core
 * at the image), or when smp_init leaves it out (nosmp, maxcpus=) and releases
 * it here from the firmware's spin table (arch/arm64/smp.c). It runs with the
 * MMU off, touching no memory. WFI really halts a core (the firmware's WFE loop
 * keeps polling, which under QEMU keeps a host thread busy).
 */
	.global secondary_park
secondary_park:
	wfi
	b	secondary_park

/*
 * secondary_entry: where arch_cpu_up releases a secondary core from the spin
 * table (MMU and caches off, at EL3, EL2 or EL1). It drops to EL1 as the boot
 * CPU does (at EL3, el3_setup also sets CPUECTLR_EL1.SMPEN; at EL2 and EL1 the
 * firmware's armstub has set it and the register may not be writable here),
 * then loads what the boot CPU left in secondary_data (cleaned to the PoC):
 * MAIR/TCR/SCTLR as the boot CPU runs them, TTBR1 = init_mm's root, TTBR0 =
 * the identity map for the MMU switch only.
 */
	.global secondary_entry
secondary_entry:
	bl	early_uart_setup		/* only read: an early exception can report */
	bl	early_vectors_install
	mrs	x20, CurrentEL
	lsr	x20, x20, #2
	drop_to_el1 secondary_el1

/*
 * secondary_find_slot: the secondary_data slot whose SD_MPIDR is this core's
 * MPIDR affinity with SD_MPIDR_VALID: x0 = its PA, x19 = its offset from
 * secondary_data. No such slot (released by no one, or given up on after the
 * deadline): the core parks. Uses x0-x4, x19.
 */
secondary_find_slot:
	mrs	x2, mpidr_el1
	ldr	x3, =MPIDR_HWID_MASK
	and	x2, x2, x3
	orr	x2, x2, #SD_MPIDR_VALID
	adr_l	x0, secondary_data
	mov	x19, #0
	mov	x4, #CONFIG_NR_CPUS
1:	add	x1, x0, x19
	ldr	x1, [x1, #SD_MPIDR]
	cmp	x1, x2
	b.eq	2f
	add	x19, x19, #SD_SIZE
	subs	x4, x4, #1
	b.ne	1b
	b	secondary_park
2:	add	x0, x0, x19
	ret

secondary_el1:
	ldr	x1, =SCTLR_EL1_RES1
	msr	sctlr_el1, x1
	mov	x1, #CPACR_FPEN
	msr	cpacr_el1, x1
	isb
	bl	early_vectors_install
	bl	secondary_find_slot		/* x0 = its slot (PA), x19 = its offset in the array */
	ldr	x1, [x0, #SD_MAIR]
	msr	mair_el1, x1
	ldr	x1, [x0, #SD_TCR]
	msr	tcr_el1, x1
	ldr	x1, [x0, #SD_IDMAP]
	msr	ttbr0_el1, x1
	ldr	x1, [x0, #SD_TTBR1]
	msr	ttbr1_el1, x1
	isb
	tlbi	vmalle1				/* nothing the firmware left in this core's TLB: */
						/* local (no IS): only this core's TLB is stale, */
						/* and the others must not lose their entries */
	dsb	nsh
	isb
	ldr	x1, [x0, #SD_SCTLR]
	bic	x1, x1, #SCTLR_WXN		/* the idmap is writable: WXN would make it XN */
	msr	sctlr_el1, x1
	isb
	ldr	x1, =secondary_virt
	br	x1

/*
 * copy_dtb: if x19 points at a DTB (8-byte aligned, in the first GiB, magic
 * checked), copy its content into boot_dtb_copy so that C can read it through
 * the kernel image mapping before the linear map exists. The content is the
 * header up to the end of the structure or strings block, whichever is last:
 * a loader's free space after it is not copied (QEMU pads a -dtb blob to about
 * twice its size, dtc -p adds free space), and the copy's totalsize is set to
 * the content, so the copy is a whole DTB of its own. Records boot_dtb_size
 * (the copy), boot_dtb_totalsize (the loader's), or boot_dtb_err (DTB_ERR_*).
 * The original stays where it is.
 */
copy_dtb:
	adr_l	x8, boot_dtb_err
	mov	x1, #DTB_ERR_NONE
	cbz	x19, 8f
	mov	x1, #DTB_ERR_ADDR
	tst	x19, #7
	b.ne	8f
	lsr	x2, x19, #30
	cbnz	x2, 8f
	mov	x1, #DTB_ERR_MAGIC
	ldr	w2, [x19]
	ldr	w3, =FDT_MAGIC_LE
	cmp	w2, w3
	b.ne	8f
	ldr	w3, [x19, #4]			/* totalsize, big-endian */
	rev	w3, w3
	adr_l	x2, boot_dtb_totalsize
	str	x3, [x2]
	mov	x4, x3				/* content end: totalsize for versions < 17 */
	ldr	w5, [x19, #20]			/* version */
	rev	w5, w5
	cmp	w5, #17
	b.lo	1f
	ldp	w5, w6, [x19, #8]		/* off_dt_struct, off_dt_strings */
	ldr	w7, [x19, #32]			/* size_dt_strings */
	ldr	w9, [x19, #36]			/* size_dt_struct */
	rev	w5, w5
	rev	w6, w6
	rev	w7, w7
	rev	w9, w9
	add	x5, x5, x9
	add	x6, x6, x7
	cmp	x5, x6
	csel	x4, x5, x6, hi
	cmp	x4, x3
	csel	x4, x4, x3, ls			/* never past totalsize */
1:	adr_l	x2, boot_dtb_size
	str	x4, [x2]
	mov	x1, #DTB_ERR_TOO_BIG
	ldr	x5, =BOOT_DTB_MAX
	cmp	x4, x5
	b.hi	8f
	adr_l	x5, boot_dtb_copy
	mov	x6, x19
	add	x7, x4, #7
	lsr	x7, x7, #3			/* 8-byte words (the buffer is a multiple of 8) */
2:	cbz	x7, 3f
	ldr	x2, [x6], #8
	str	x2, [x5], #8
	sub	x7, x7, #1
	b	2b
3:	adr_l	x5, boot_dtb_copy
	rev	w2, w4
	str	w2, [x5, #4]			/* the copy's totalsize: its content */
	mov	x1, #DTB_ERR_NONE
8:	str	x1, [x8]
	ret

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
	ldr	x10, =GPIO_PHYS			/* GPIO, PL011, AUX: the 2 MiB at 0x3f200000 */
	map_blocks x2, x12, x10, x13, BLK_DEVICE_LO, BLK_PXN_UXN_HI, x3, x4
#ifdef CONFIG_KASAN
	/*
	 * KASAN: the image's shadow (asm/kasan.h), one 2 MiB block backed by
	 * kasan_early_shadow (zeroed with the BSS: all accessible). Instrumented
	 * prologues write the shadow of their stack red zones directly, so it
	 * must exist before start_kernel; paging_init keeps the same block.
	 */
	add	x1, x0, #20480
	add	x2, x0, #24576
	ldr	x12, =KASAN_SHADOW_OFFSET + (KIMAGE_VADDR >> 3)
	link_table x0, x12, 39, x1, x3, x4
	link_table x1, x12, 30, x2, x3, x4
	add	x13, x12, #KASAN_EARLY_SHADOW_SIZE
	adr_l	x10, kasan_early_shadow
	map_blocks x2, x12, x10, x13, BLK_NORMAL_LO, BLK_PXN_UXN_HI, x3, x4
#endif
	dsb	sy
	ret

/*
 * The early console: head.S's own putc, so that a board that stops before C
 * says where. It writes to the UART GPIO14/15 are muxed to (ALT5: the mini
 * UART, else the PL011 — the rule of drivers/serial/bcm283x_console.c without
 * the DTB), at its PA; x23 holds the data register, x24 is 0 for the PL011, 1
 * for the mini UART, 2 once it timed out: a UART that is off never drains, and
 * one timeout, not one per character, is all the boot waits for it.
 */
early_uart_setup:
	ldr	x1, =GPIO_PHYS
	ldr	w1, [x1, #GPIO_GPFSEL1]
	ubfx	w1, w1, #12, #3			/* GPIO14's function */
	cmp	w1, #GPIO_FSEL_ALT5
	cset	x24, eq
	ldr	x23, =PL011_PHYS
	ldr	x1, =MINI_UART_PHYS + 0x40	/* AUX_MU_IO */
	csel	x23, x1, x23, eq
	ret

/* early_putc(w0): uses x0-x3. After one timeout (x24 = 2) it drops every character. */
early_putc:
	cmp	x24, #2
	b.eq	4f
	mov	x2, #EARLY_SPIN
1:	subs	x2, x2, #1
	b.eq	5f
	cbnz	x24, 2f
	ldr	w1, [x23, #0x18]		/* PL011 UARTFR */
	tbnz	w1, #5, 1b			/* TXFF */
	b	3f
2:	ldr	w1, [x23, #0x14]		/* AUX_MU_LSR_REG */
	tbz	w1, #5, 1b			/* transmitter empty */
3:	str	w0, [x23]
4:	ret
5:	mov	x24, #2				/* never drains: off, or its pins go nowhere */
	ret

/* early_puts(x0 = NUL-terminated string): "\n" goes out as "\r\n"; uses x0-x4, x9. */
early_puts:
	mov	x9, x30
	mov	x4, x0
1:	ldrb	w0, [x4], #1
	cbz	w0, 2f
	cmp	w0, #'\n'
	b.ne	3f
	mov	w0, #'\r'
	bl	early_putc
	mov	w0, #'\n'
3:	bl	early_putc
	b	1b
2:	ret	x9

early_newline:
	adr_l	x0, msg_newline
	b	early_puts

/* early_puthex(x0): "0x" and 16 hex digits; uses x0-x6, x9. */
early_puthex:
	mov	x9, x30
	mov	x5, x0
	mov	w0, #'0'
	bl	early_putc
	mov	w0, #'x'
	bl	early_putc
	mov	x6, #60
1:	lsr	x0, x5, x6
	and	x0, x0, #0xf
	cmp	x0, #10
	add	x1, x0, #'0'
	add	x0, x0, #('a' - 10)
	csel	x0, x1, x0, lo
	bl	early_putc
	subs	x6, x6, #4
	b.pl	1b
	ret	x9

/* early_vectors_install: VBAR of the current EL = early_vectors (a PA: the MMU is off). */
early_vectors_install:
	adr_l	x1, early_vectors
	mrs	x2, CurrentEL
	cmp	x2, #(3 << 2)
	b.ne	1f
	msr	vbar_el3, x1
	b	3f
1:	cmp	x2, #(2 << 2)
	b.ne	2f
	msr	vbar_el2, x1
	b	3f
2:	msr	vbar_el1, x1
3:	isb
	ret

/* early_fault: the deliberate fault of early_debug — a load beyond the PA range, MMU off. */
early_fault:
	mov	x1, #0xdead0000
	movk	x1, #0xffff, lsl #48
	ldr	x0, [x1]
	b	early_halt

/*
 * early_exception: any exception taken before virt_entry installs the kernel's
 * vectors (x21 = the vector's index: 0-3 current EL SP0, 4-7 current EL SPx,
 * 8-15 lower EL). Reports the syndrome on the early console and parks.
 */
early_exception:
	mrs	x22, CurrentEL
	lsr	x22, x22, #2
	cmp	x22, #1
	b.ne	1f
	mrs	x1, sctlr_el1
	tbz	x1, #0, 1f
	ldr	x1, =PERIPH_VADDR - PERIPH_PHYS	/* MMU on: the UART at its early TTBR1 address */
	add	x23, x23, x1
1:	mrs	x25, esr_el1
	mrs	x26, elr_el1
	mrs	x27, far_el1
	cmp	x22, #2
	b.ne	2f
	mrs	x25, esr_el2
	mrs	x26, elr_el2
	mrs	x27, far_el2
2:	cmp	x22, #3
	b.ne	3f
	mrs	x25, esr_el3
	mrs	x26, elr_el3
	mrs	x27, far_el3
3:	adr_l	x0, msg_exception
	bl	early_puts
	add	x0, x22, #'0'
	bl	early_putc
	adr_l	x0, msg_vector
	bl	early_puts
	mov	x0, x21				/* 0-15 in decimal */
	cmp	x0, #10
	b.lo	4f
	mov	x0, #'1'
	bl	early_putc
	sub	x0, x21, #10
4:	add	x0, x0, #'0'
	bl	early_putc
	adr_l	x0, msg_esr
	bl	early_puts
	mov	x0, x25
	bl	early_puthex
	adr_l	x0, msg_elr
	bl	early_puts
	mov	x0, x26
	bl	early_puthex
	adr_l	x0, msg_far
	bl	early_puts
	mov	x0, x27
	bl	early_puthex
	bl	early_newline
early_halt:
	wfi
	b	early_halt

enable_mmu:
	ldr	x1, =MAIR_EL1_VALUE
	msr	mair_el1, x1
	ldr	x1, =TCR_EL1_VALUE
	mrs	x2, id_aa64mmfr0_el1
	and	x3, x2, #7			/* PARange -> TCR.IPS */
	orr	x1, x1, x3, lsl #TCR_IPS_SHIFT
	ubfx	x3, x2, #4, #4			/* ASIDBits: 2 = 16-bit ASIDs -> TCR.AS (mmu_context.c) */
	cmp	x3, #2
	b.ne	2f
	orr	x1, x1, #TCR_AS
2:	msr	tcr_el1, x1
	adr_l	x1, idmap_pg_dir
	msr	ttbr0_el1, x1
	adr_l	x1, init_pg_dir
	msr	ttbr1_el1, x1
	isb
	tlbi	vmalle1				/* local: the boot CPU, before any other core runs */
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
	msr	tpidr_el1, xzr			/* the boot CPU's per-CPU offset (include/kernel/percpu.h) */
	adr_l	x1, vectors
	msr	vbar_el1, x1
	isb
	mov	x29, xzr
	mov	x30, xzr
	bl	start_kernel
6:	wfe
	b	6b

/*
 * secondary_virt: a secondary core at its kernel address, MMU on. The identity
 * map leaves TTBR0 (the empty table, walks disabled, as on the boot CPU), the
 * boot CPU's SCTLR comes back whole, then the core's stack, per-CPU offset and
 * the kernel's vectors: secondary_start_kernel(cpu) does the rest.
 */
secondary_virt:
	adr_l	x0, secondary_data
	add	x0, x0, x19			/* this core's slot, at its VA now */
	ldr	x1, [x0, #SD_TTBR0]
	msr	ttbr0_el1, x1
	ldr	x1, [x0, #SD_TCR]
	orr	x1, x1, #TCR_EPD0
	msr	tcr_el1, x1
	ldr	x1, [x0, #SD_SCTLR]
	msr	sctlr_el1, x1
	isb
	tlbi	vmalle1				/* local: this core's idmap walks, its own TTBR0 */
	dsb	nsh
	isb
	ldr	x1, [x0, #SD_STACK]
	mov	sp, x1
	adr_l	x1, vectors
	msr	vbar_el1, x1
	ldr	x0, [x0, #SD_CPU]		/* the CPU number is its per-CPU offset */
	msr	tpidr_el1, x0
	isb
	mov	x29, xzr
	mov	x30, xzr
	bl	secondary_start_kernel
7:	wfi
	b	7b
	.ltorg

/* The early vector table: 16 entries of 128 bytes, 2 KiB aligned (ARM ARM D1.10.2). */
	.balign 2048
early_vectors:
	.irp	idx, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	.balign 128
	mov	x21, #\idx
	b	early_exception
	.endr

	.section .rodata
msg_entered:	.asciz "pagoda: head.S: entered at EL"
msg_newline:	.asciz "\n"
msg_load_address:  .asciz "pagoda: loaded at PA "
msg_load_address2: .asciz ", not TEXT_OFFSET (0x80000) past a 2 MiB boundary (kernel_old=1?): refusing to boot\n"
msg_exception:	.asciz "\npagoda: early exception at EL"
msg_vector:	.asciz " (vector "
msg_esr:	.asciz ", before the kernel's vectors): ESR "
msg_elr:	.asciz " ELR "
msg_far:	.asciz " FAR "

	.bss
	.balign 4096
	.global idmap_pg_dir, init_pg_dir
idmap_pg_dir:	.space 3 * 4096
#ifdef CONFIG_KASAN
init_pg_dir:	.space 7 * 4096			/* + L1/L2 for the image's shadow */
#else
init_pg_dir:	.space 5 * 4096
#endif
	.balign 16
	.global boot_stack
boot_stack:	.space 16384
	.global boot_stack_top
boot_stack_top:
	.balign 8
	.global boot_cpu_el, boot_dtb_pa, boot_dtb_size, boot_dtb_totalsize, boot_dtb_err, boot_dtb_copy
boot_cpu_el:	.quad 0
boot_dtb_pa:	.quad 0
boot_dtb_size:	.quad 0
boot_dtb_totalsize: .quad 0
boot_dtb_err:	.quad 0
	.balign 8
boot_dtb_copy:	.space BOOT_DTB_MAX
#ifdef CONFIG_KASAN
	.balign	KASAN_EARLY_SHADOW_SIZE
	.global kasan_early_shadow
kasan_early_shadow:	.space KASAN_EARLY_SHADOW_SIZE
#endif
