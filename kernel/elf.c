/* elf.c: checks of an ELF64 (or the arch's ELF32) executable before the loader trusts any of its numbers. */
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

/* widen_ehdr32: an ELF32 header (ELF_CLASS32_OK arches: i386) as the ELF64 one the loader reads. */
static void widen_ehdr32(const void *img, Elf64_Ehdr *eh)
{
	Elf32_Ehdr e;

	memcpy(&e, img, sizeof(e));
	memcpy(eh->e_ident, e.e_ident, sizeof(e.e_ident));
	eh->e_type = e.e_type, eh->e_machine = e.e_machine, eh->e_version = e.e_version;
	eh->e_entry = e.e_entry, eh->e_phoff = e.e_phoff, eh->e_shoff = e.e_shoff, eh->e_flags = e.e_flags;
	eh->e_ehsize = e.e_ehsize, eh->e_phentsize = e.e_phentsize, eh->e_phnum = e.e_phnum;
	eh->e_shentsize = e.e_shentsize, eh->e_shnum = e.e_shnum, eh->e_shstrndx = e.e_shstrndx;
}

static void widen_phdr32(const void *src, Elf64_Phdr *p)
{
	Elf32_Phdr q;

	memcpy(&q, src, sizeof(q));
	p->p_type = q.p_type, p->p_flags = q.p_flags, p->p_offset = q.p_offset, p->p_vaddr = q.p_vaddr;
	p->p_paddr = q.p_paddr, p->p_filesz = q.p_filesz, p->p_memsz = q.p_memsz, p->p_align = q.p_align;
}

/* check_ehdr: the ELF header alone (copied, an ELF32 one widened, into info->eh), then the program headers. */
static int check_ehdr(const void *img, size_t size, struct elf_info *info, const char **why)
{
	const Elf64_Ehdr *eh = &info->eh;
	bool elf32 = ELF_CLASS32_OK && size >= sizeof(Elf32_Ehdr) && ((const u8 *)img)[4] == ELFCLASS32;
	size_t phent = elf32 ? sizeof(Elf32_Phdr) : sizeof(Elf64_Phdr);
	unsigned int i;

	if (size < (elf32 ? sizeof(Elf32_Ehdr) : sizeof(*eh)))
		return refuse(why, "too short for an ELF header");
	if (elf32)
		widen_ehdr32(img, &info->eh);
	else
		memcpy(&info->eh, img, sizeof(info->eh));
	if (memcmp(eh->e_ident, "\177ELF", 4))
		return refuse(why, "not an ELF file (bad magic)");
	if (!(eh->e_ident[4] == ELFCLASS64 || elf32) || eh->e_ident[5] != ELFDATA2LSB)
		return refuse(why, ELF_CLASS32_OK ? "not a little-endian ELF32 or ELF64 file" :
			      "not a little-endian ELF64 file");
	if (eh->e_ident[6] != EV_CURRENT || eh->e_version != EV_CURRENT)
		return refuse(why, "unknown ELF version");
	if (eh->e_type != ET_EXEC)
		return refuse(why, "not a static executable (e_type is not ET_EXEC)");
	if (eh->e_machine != ELF_MACHINE)
		return refuse(why, "built for another machine (e_machine)");
	if (eh->e_phentsize != phent || !eh->e_phnum || eh->e_phnum > ELF_MAX_PHDRS)
		return refuse(why, "bad program header size or count");
	if (eh->e_phoff > size || (u64)eh->e_phnum * phent > size - eh->e_phoff)
		return refuse(why, "program headers outside the file");
	for (i = 0; i < eh->e_phnum; i++) {
		const u8 *src = (const u8 *)img + eh->e_phoff + i * phent;

		if (elf32)
			widen_phdr32(src, &info->ph[i]);
		else
			memcpy(&info->ph[i], src, phent);
	}
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
