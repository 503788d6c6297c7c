/* kernel.lds.S (arm64): the image layout — sections 4 KiB aligned so paging_init can apply W^X. */
#include <asm/memory.h>

OUTPUT_FORMAT("elf64-littleaarch64")
OUTPUT_ARCH(aarch64)
ENTRY(_head)

SECTIONS
{
	. = KIMAGE_VADDR + TEXT_OFFSET;
	_text = .;
	.head.text : { KEEP(*(.head.text)) }
	.text : ALIGN(8) {
		*(.text .text.*)
	}
	. = ALIGN(4096);
	_etext = .;

	__start_rodata = .;
	.rodata : {
		*(.rodata .rodata.*)
		. = ALIGN(8);
		__start_kunit_suites = .;
		KEEP(*(kunit_suites))
		__stop_kunit_suites = .;
		__start_debugfs_files = .;
		KEEP(*(debugfs_files))
		__stop_debugfs_files = .;
		__start_shell_cmds = .;
		KEEP(*(shell_cmds))
		__stop_shell_cmds = .;
		__start_benches = .;
		KEEP(*(benches))
		__stop_benches = .;
		__start_kernel_params = .;
		KEEP(*(kernel_params))
		__stop_kernel_params = .;
		__start_irq_rows = .;
		KEEP(*(irq_rows))
		__stop_irq_rows = .;
		/* uaccess fixups: {faulting instruction, where to resume} (arch/arm64/uaccess.S) */
		. = ALIGN(8);
		__start___ex_table = .;
		KEEP(*(__ex_table))
		__stop___ex_table = .;
		/* KASAN=1: GCC's constructors that register each file's globals (mm/kasan/init.c) */
		. = ALIGN(8);
		__init_array_start = .;
		KEEP(*(SORT(.init_array.*))) KEEP(*(.init_array)) KEEP(*(.ctors))
		__init_array_end = .;
	}
	. = ALIGN(4096);
	__end_rodata = .;

	__start_data = .;
	.data : { *(.data .data.*) *(.got) *(.got.plt) }
	. = ALIGN(8);
	__bss_start = .;
	.bss (NOLOAD) : {
		*(.bss .bss.*)
		*(COMMON)
		. = ALIGN(8);
	}
	__bss_end = .;
	. = ALIGN(4096);
	_end = .;
	_image_size = _end - _text;
#ifdef CONFIG_KASAN
	/* The image's shadow is one 2 MiB block: 16 MiB of image VA (asm/kasan.h). */
	ASSERT(_end - KIMAGE_VADDR <= KASAN_EARLY_SHADOW_SIZE * 8, "KASAN: the image outgrew its early shadow")
#endif

	/DISCARD/ : {
		*(.interp) *(.note*) *(.comment) *(.eh_frame*) *(.dynamic) *(.dynsym)
		*(.dynstr) *(.hash) *(.gnu.hash) *(.plt)
	}
}
