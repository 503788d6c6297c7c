/* kernel.lds.S (x86): the image linked at PAGE_OFFSET + 1 MiB, loaded at PA 1 MiB, sections page-aligned for W^X. */
#include <asm/memory.h>

OUTPUT_FORMAT("elf32-i386")
#undef i386
OUTPUT_ARCH(i386)
/*
 * e_entry is _start's linked (virtual) address: GRUB and QEMU's -kernel both find the
 * PT_LOAD holding it and jump to the matching physical address; GRUB refuses an entry
 * that lies in no segment's virtual range ("entry point isn't in a segment").
 */
ENTRY(_start)

#define LOAD(sec)	AT(ADDR(sec) - PAGE_OFFSET)
#define REGISTRY(name) \
	name : LOAD(name) { __start_##name = .; KEEP(*(name)) __stop_##name = .; }

SECTIONS
{
	. = PAGE_OFFSET + LOAD_PHYSICAL_ADDR;
	_text = .;
	/* The Multiboot header must sit in the first 8 KiB of the file. */
	.text : LOAD(.text) {
		KEEP(*(.multiboot))
		*(.head.text)
		*(.text .text.*)
	}
	. = ALIGN(4096);
	_etext = .;

	__start_rodata = .;
	.rodata : LOAD(.rodata) { *(.rodata .rodata.*) }
	. = ALIGN(8);
	REGISTRY(kunit_suites)
	REGISTRY(debugfs_files)
	REGISTRY(shell_cmds)
	REGISTRY(benches)
	REGISTRY(irq_rows)
	REGISTRY(kernel_params)
	. = ALIGN(4);
	__ex_table : LOAD(__ex_table) {
		__start___ex_table = .;
		KEEP(*(__ex_table))
		__stop___ex_table = .;
	}
	. = ALIGN(4096);
	__end_rodata = .;

	_sdata = .;
	.data : LOAD(.data) { *(.data .data.*) }
	. = ALIGN(4096);
	_edata = .;
	.bss : LOAD(.bss) {
		__bss_start = .;
		*(.bss .bss.*) *(COMMON)
		. = ALIGN(4096);
		__bss_end = .;
	}
	_end = .;

	/DISCARD/ : { *(.comment) *(.note*) *(.eh_frame*) *(.interp) *(.dynsym) *(.dynstr) *(.hash) *(.gnu.hash) }
}
