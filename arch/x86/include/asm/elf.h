/* elf.h (x86): the ELF machine the loader would accept (no user mode on x86 yet: issue 16). */
#ifndef ASM_X86_ELF_H
#define ASM_X86_ELF_H
#define ELF_MACHINE	3	/* EM_386 (ELF32: the ELF64 loader refuses it for now) */
#endif
