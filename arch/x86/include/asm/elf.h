/* elf.h (x86): the ELF machine the loader accepts, and its class: i386 programs are ELF32. */
#ifndef ASM_X86_ELF_H
#define ASM_X86_ELF_H
#define ELF_MACHINE	3	/* EM_386 */
#define ELF_CLASS32_OK	1	/* ELF32 files, widened by kernel/elf.c (ELF64 ones with EM_386 pass too) */
#endif
