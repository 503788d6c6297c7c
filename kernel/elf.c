/* elf.c: checks of an ELF64 executable before the loader trusts any of its numbers. */
#include <compiler.h>
#include <errno.h>
#include <string.h>
#include <kernel/elf.h>
#include <asm/memory.h>

static int refuse(const char **why, const char *what)
{
	*why = what;
	return -ENOEXEC;
}

/* check_ehdr: the ELF header alone (copied into info->eh). */
static int check_ehdr(const void *img, size_t size, struct elf_info *info, const char **why)
{
	const Elf64_Ehdr *eh = &info->eh;

	if (size < sizeof(*eh))
		return refuse(why, "too short for an ELF header");
	memcpy(&info->eh, img, sizeof(info->eh));
	if (memcmp(eh->e_ident, "\177ELF", 4))
		return refuse(why, "not an ELF file (bad magic)");
	if (eh->e_ident[4] != ELFCLASS64 || eh->e_ident[5] != ELFDATA2LSB)
		return refuse(why, "not a little-endian ELF64 file");
	if (eh->e_ident[6] != EV_CURRENT || eh->e_version != EV_CURRENT)
		return refuse(why, "unknown ELF version");
	if (eh->e_type != ET_EXEC)
		return refuse(why, "not a static executable (e_type is not ET_EXEC)");
	if (eh->e_machine != ELF_MACHINE)
		return refuse(why, "built for another machine (e_machine)");
	if (eh->e_phentsize != sizeof(Elf64_Phdr) || !eh->e_phnum || eh->e_phnum > ELF_MAX_PHDRS)
		return refuse(why, "bad program header size or count");
	if (eh->e_phoff > size || (u64)eh->e_phnum * sizeof(Elf64_Phdr) > size - eh->e_phoff)
		return refuse(why, "program headers outside the file");
	memcpy(info->ph, (const u8 *)img + eh->e_phoff, eh->e_phnum * sizeof(Elf64_Phdr));
	return 0;
}

/* check_load: one PT_LOAD; prev_end is where the previous one ended (page aligned). */
static int check_load(const Elf64_Phdr *p, size_t size, unsigned long lo, unsigned long hi,
		      unsigned long prev_end, const char **why)
{
	if (p->p_offset > size || p->p_filesz > size - p->p_offset)
		return refuse(why, "a segment lies outside the file");
	if (p->p_filesz > p->p_memsz)
		return refuse(why, "a segment's file size exceeds its memory size");
	if ((p->p_vaddr ^ p->p_offset) & (PAGE_SIZE - 1))
		return refuse(why, "a segment's address and offset differ within a page");
	if (p->p_vaddr < lo || p->p_vaddr >= hi || p->p_memsz > hi - p->p_vaddr || !p->p_memsz)
		return refuse(why, "a segment lies outside the user range");
	if ((p->p_vaddr & PAGE_MASK) < prev_end)
		return refuse(why, "segments overlap, share a page or are out of order");
	return 0;
}

int elf_check(const void *img, size_t size, unsigned long lo, unsigned long hi,
	      struct elf_info *info, const char **why)
{
	unsigned long prev_end = 0;
	bool entry_ok = false;
	unsigned int i;
	int err = check_ehdr(img, size, info, why);

	info->phdr_va = 0;
	for (i = 0; !err && i < info->eh.e_phnum; i++) {
		const Elf64_Phdr *p = &info->ph[i];

		if (p->p_type != PT_LOAD)
			continue;
		err = check_load(p, size, lo, hi, prev_end, why);
		if (err)
			break;
		prev_end = ALIGN((unsigned long)p->p_vaddr + p->p_memsz, PAGE_SIZE);
		if ((p->p_flags & PF_X) && info->eh.e_entry >= p->p_vaddr &&
		    info->eh.e_entry < p->p_vaddr + p->p_memsz)
			entry_ok = true;
		if (info->eh.e_phoff >= p->p_offset && info->eh.e_phoff - p->p_offset < p->p_filesz)
			info->phdr_va = p->p_vaddr + (info->eh.e_phoff - p->p_offset);
	}
	if (err)
		return err;
	if (!prev_end)
		return refuse(why, "no PT_LOAD segment");
	if (!entry_ok)
		return refuse(why, "the entry point is not in an executable segment");
	info->load_end = prev_end;
	return 0;
}
