/* elf.h: the ELF headers the program loader reads (System V ABI: ELF64, and ELF32 where the arch runs it), and its checks. */
#ifndef PAGODA_ELF_H
#define PAGODA_ELF_H

#include <types.h>
#include <asm/elf.h>		/* ELF_MACHINE: the e_machine this arch runs; ELF_CLASS32_OK: it runs ELF32 */
#ifndef ELF_CLASS32_OK
#define ELF_CLASS32_OK	0	/* ELF64 only (arm64) */
#endif

typedef struct {
	u8 e_ident[16];
	u16 e_type, e_machine;
	u32 e_version;
	u64 e_entry, e_phoff, e_shoff;
	u32 e_flags;
	u16 e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
} Elf64_Ehdr;

typedef struct {
	u32 p_type, p_flags;
	u64 p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align;
} Elf64_Phdr;

/* ELF32 (i386): read and widened into the ELF64 structures above, which the loader uses alone. */
typedef struct {
	u8 e_ident[16];
	u16 e_type, e_machine;
	u32 e_version, e_entry, e_phoff, e_shoff, e_flags;
	u16 e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
} Elf32_Ehdr;

typedef struct {
	u32 p_type, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_flags, p_align;
} Elf32_Phdr;

#define ELFCLASS32	1
#define ELFCLASS64	2
#define ELFDATA2LSB	1
#define EV_CURRENT	1
#define ET_EXEC		2
#define PT_LOAD		1
#define PF_X		0x1
#define PF_W		0x2
#define PF_R		0x4
#define EM_AARCH64	183
#define EM_386		3

#define ELF_MAX_PHDRS	16

/* What elf_check read: copies, so the file may sit at any alignment in the archive. */
struct elf_info {
	Elf64_Ehdr eh;			/* an ELF32 file's header and program headers widened */
	Elf64_Phdr ph[ELF_MAX_PHDRS];
	unsigned long load_end;	/* end of the highest PT_LOAD (the break starts at it, page aligned) */
	unsigned long phdr_va;	/* where the program headers are in the process (AT_PHDR), 0 if not loaded */
};

/*
 * elf_check: 0 if img (size bytes) is a static ELF64 executable for this
 * arch (or ELF32 where ELF_CLASS32_OK) whose PT_LOAD segments lie inside the file, are page-congruent, in
 * ascending order without sharing a page, inside [lo, hi), and whose entry is
 * in an executable one; else -ENOEXEC with *why set to one phrase.
 */
int elf_check(const void *img, size_t size, unsigned long lo, unsigned long hi,
	      struct elf_info *info, const char **why);

#endif
