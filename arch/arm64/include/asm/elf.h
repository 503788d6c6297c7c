/* elf.h (arm64): the ELF machine the loader accepts. */
#ifndef ASM_ARM64_ELF_H
#define ASM_ARM64_ELF_H
#define ELF_MACHINE	183	/* EM_AARCH64 */
#endif
