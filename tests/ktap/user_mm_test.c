/* user_mm_test.c: KTAP suite for user address spaces — the cpio reader, ELF checks, VMAs, brk, faults, mprotect, pagemap. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <kernel/elf.h>
#include <kernel/initramfs.h>
#include <kernel/kunit.h>
#include "mm_fixture.h"
#include <mm/mm.h>
#include <mm/mm_struct.h>
#include <mm/mm_types.h>
#include <mm/mmzone.h>
#include <mm/pagemap.h>
#include <mm/slab.h>
#include <test_machine.h>

static int user_mm_suite_init(void)
{
	if (mm_test_machine())
		return 1;
	kmem_cache_init();
	return 0;
}

/* put_member: appends a newc member (header, name, data, each padded to 4) at buf+at; the new end. */
static size_t put_member(u8 *buf, size_t at, const char *name, const void *data, size_t size)
{
	size_t namesize = strlen(name) + 1;
	char hdr[111];

	snprintf(hdr, sizeof(hdr), "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		 1u, 0100755u, 0u, 0u, 1u, 0u, (unsigned int)size, 0u, 0u, 0u, 0u, (unsigned int)namesize, 0u);
	memcpy(buf + at, hdr, 110);
	at += 110;
	memcpy(buf + at, name, namesize);
	for (at += namesize; at & 3; at++)
		buf[at] = 0;
	memcpy(buf + at, data, size);
	for (at += size; at & 3; at++)
		buf[at] = 0;
	return at;
}

/* A three-member archive: "hello" (5 bytes), "a/b" (0 bytes), the trailer. */
static size_t make_archive(u8 *buf)
{
	size_t at = put_member(buf, 0, "hello", "HELLO", 5);

	at = put_member(buf, at, "a/b", "", 0);
	return put_member(buf, at, "TRAILER!!!", "", 0);
}

static void cpio_finds_members(struct kunit *test)
{
	static u8 arc[512];
	size_t len = make_archive(arc);
	struct cpio_iter it;
	struct cpio_file f;

	cpio_iter_init(&it, arc, len);
	KUNIT_ASSERT_EQ(test, cpio_find(&it, "hello", &f), 0);
	KUNIT_EXPECT_EQ(test, f.size, (size_t)5);
	KUNIT_EXPECT_EQ(test, memcmp(f.data, "HELLO", 5), 0);
	KUNIT_EXPECT_EQ(test, f.mode, 0100755u);
	cpio_iter_init(&it, arc, len);
	KUNIT_ASSERT_EQ(test, cpio_find(&it, "a/b", &f), 0);
	KUNIT_EXPECT_EQ(test, f.size, (size_t)0);
	cpio_iter_init(&it, arc, len);
	KUNIT_EXPECT_EQ(test, cpio_find(&it, "nosuch", &f), -ENOENT);
}

/* expect_bad: the archive arc[0..len) is refused with a reason containing what. */
static void expect_bad(struct kunit *test, const u8 *arc, size_t len, const char *what)
{
	struct cpio_iter it;
	struct cpio_file f;

	cpio_iter_init(&it, arc, len);
	KUNIT_EXPECT_EQ(test, cpio_find(&it, "nosuch", &f), -EINVAL);
	KUNIT_EXPECT_TRUE(test, it.why && strstr(it.why, what));
}

static void cpio_rejects_malformed(struct kunit *test)
{
	static u8 arc[512], bad[512];
	size_t len = make_archive(arc), cut;

	memcpy(bad, arc, len);
	bad[0] = 'X';
	expect_bad(test, bad, len, "magic");
	memcpy(bad, arc, len);
	bad[6 + 8 * 6] = 'g';			/* filesize gets a non-hex digit */
	expect_bad(test, bad, len, "not hex");
	memcpy(bad, arc, len);
	memcpy(bad + 6 + 8 * 6, "7FFFFFFF", 8);	/* filesize past the end */
	expect_bad(test, bad, len, "data runs past");
	memcpy(bad, arc, len);
	memcpy(bad + 6 + 8 * 11, "00000005", 8);	/* namesize without the NUL */
	expect_bad(test, bad, len, "NUL");
	memcpy(bad, arc, len);
	memcpy(bad + 6 + 8 * 11, "FFFFFFF0", 8);	/* namesize past the end */
	expect_bad(test, bad, len, "name runs past");
	/* every strict prefix: the trailer is missing or a member is cut; never a read past len */
	for (cut = 0; cut < len; cut++) {
		struct cpio_iter it;
		struct cpio_file f;
		int r;

		cpio_iter_init(&it, arc, cut);
		while ((r = cpio_next(&it, &f)) > 0)
			KUNIT_EXPECT_LE(test, (size_t)((const u8 *)f.data - arc) + f.size, cut);
		KUNIT_EXPECT_EQ(test, r, -EINVAL);
	}
}

/* A minimal static executable: ELF header, one PT_LOAD r-x of 256 bytes at 0x400000. */
#define TEST_ELF_SIZE	256
static void make_elf(u8 *buf)
{
	Elf64_Ehdr eh = {
		.e_ident = { 0x7f, 'E', 'L', 'F', ELFCLASS64, ELFDATA2LSB, EV_CURRENT },
		.e_type = ET_EXEC, .e_machine = ELF_MACHINE, .e_version = EV_CURRENT,
		.e_entry = 0x400078, .e_phoff = sizeof(Elf64_Ehdr), .e_ehsize = sizeof(Elf64_Ehdr),
		.e_phentsize = sizeof(Elf64_Phdr), .e_phnum = 1,
	};
	Elf64_Phdr ph = {
		.p_type = PT_LOAD, .p_flags = PF_R | PF_X, .p_offset = 0, .p_vaddr = 0x400000,
		.p_paddr = 0x400000, .p_filesz = TEST_ELF_SIZE, .p_memsz = TEST_ELF_SIZE + 4096, .p_align = 4096,
	};

	memset(buf, 0, TEST_ELF_SIZE);
	memcpy(buf, &eh, sizeof(eh));
	memcpy(buf + sizeof(eh), &ph, sizeof(ph));
}

#define ELF_LO	MMAP_MIN_ADDR
#define ELF_HI	(STACK_TOP - STACK_MAX - STACK_GUARD_GAP)
#define EH(b)	((Elf64_Ehdr *)(b))
#define PH(b)	((Elf64_Phdr *)((b) + sizeof(Elf64_Ehdr)))

static void elf_accepts_static_executable(struct kunit *test)
{
	static u8 img[TEST_ELF_SIZE] __aligned(8);
	static struct elf_info info;
	const char *why = NULL;

	make_elf(img);
	KUNIT_ASSERT_EQ(test, elf_check(img, sizeof(img), ELF_LO, ELF_HI, &info, &why), 0);
	KUNIT_EXPECT_EQ(test, info.load_end, 0x402000UL);
	KUNIT_EXPECT_EQ(test, info.phdr_va, 0x400040UL);
	KUNIT_EXPECT_EQ(test, info.eh.e_entry, 0x400078ULL);
}

/* expect_noexec: img with one change is refused, with a reason containing what. */
static void expect_noexec(struct kunit *test, const u8 *img, size_t size, const char *what)
{
	static struct elf_info info;
	const char *why = NULL;

	KUNIT_EXPECT_EQ(test, elf_check(img, size, ELF_LO, ELF_HI, &info, &why), -ENOEXEC);
	KUNIT_EXPECT_TRUE(test, why && strstr(why, what));
}

static void elf_rejects_bad_headers(struct kunit *test)
{
	static u8 img[TEST_ELF_SIZE] __aligned(8);

	make_elf(img);
	expect_noexec(test, img, 40, "too short");
	expect_noexec(test, img, 100, "program headers outside");
	make_elf(img), img[1] = 'X';
	expect_noexec(test, img, sizeof(img), "magic");
	make_elf(img), img[4] = 3;	/* no such class */
	expect_noexec(test, img, sizeof(img), "ELF64");
	make_elf(img), EH(img)->e_type = 3;
	expect_noexec(test, img, sizeof(img), "ET_EXEC");
	make_elf(img), EH(img)->e_machine = ELF_MACHINE + 1;
	expect_noexec(test, img, sizeof(img), "machine");
	make_elf(img), EH(img)->e_phnum = ELF_MAX_PHDRS + 1;
	expect_noexec(test, img, sizeof(img), "count");
	make_elf(img), PH(img)->p_filesz = TEST_ELF_SIZE + 1;
	expect_noexec(test, img, sizeof(img), "outside the file");
	make_elf(img), PH(img)->p_memsz = 16;
	expect_noexec(test, img, sizeof(img), "file size exceeds");
	make_elf(img), PH(img)->p_vaddr = 0x400010;
	expect_noexec(test, img, sizeof(img), "within a page");
	make_elf(img), PH(img)->p_vaddr = 0, EH(img)->e_entry = 0x78;
	expect_noexec(test, img, sizeof(img), "user range");
	make_elf(img), PH(img)->p_type = 6;
	expect_noexec(test, img, sizeof(img), "no PT_LOAD");
	make_elf(img), EH(img)->e_entry = 0x500000;
	expect_noexec(test, img, sizeof(img), "entry point");
	make_elf(img), PH(img)->p_flags = PF_R | PF_W;
	expect_noexec(test, img, sizeof(img), "entry point");
}

/*
 * The same executable as ELF32 (i386's layout): where the arch runs ELF32
 * (ELF_CLASS32_OK, x86) it is accepted with every field widened; a cut in
 * its program headers and an ELF64-sized e_phentsize are refused. An ELF64
 * arch refuses the class.
 */
static void elf32_widened_or_refused(struct kunit *test)
{
	static u8 img[TEST_ELF_SIZE] __aligned(8);
	static struct elf_info info;
	Elf32_Ehdr eh = {
		.e_ident = { 0x7f, 'E', 'L', 'F', ELFCLASS32, ELFDATA2LSB, EV_CURRENT },
		.e_type = ET_EXEC, .e_machine = ELF_MACHINE, .e_version = EV_CURRENT,
		.e_entry = 0x400058, .e_phoff = sizeof(Elf32_Ehdr), .e_ehsize = sizeof(Elf32_Ehdr),
		.e_phentsize = sizeof(Elf32_Phdr), .e_phnum = 1,
	};
	Elf32_Phdr ph = {
		.p_type = PT_LOAD, .p_flags = PF_R | PF_X, .p_offset = 0, .p_vaddr = 0x400000,
		.p_paddr = 0x400000, .p_filesz = TEST_ELF_SIZE, .p_memsz = TEST_ELF_SIZE + 4096, .p_align = 4096,
	};
	const char *why = NULL;

	memset(img, 0, sizeof(img));
	memcpy(img, &eh, sizeof(eh));
	memcpy(img + sizeof(eh), &ph, sizeof(ph));
	if (!ELF_CLASS32_OK) {
		expect_noexec(test, img, sizeof(img), "ELF64");
		return;
	}
	KUNIT_ASSERT_EQ(test, elf_check(img, sizeof(img), ELF_LO, ELF_HI, &info, &why), 0);
	KUNIT_EXPECT_EQ(test, info.eh.e_entry, 0x400058ULL);
	KUNIT_EXPECT_EQ(test, info.eh.e_phnum, 1);
	KUNIT_EXPECT_EQ(test, info.ph[0].p_vaddr, 0x400000ULL);
	KUNIT_EXPECT_EQ(test, info.ph[0].p_memsz, (u64)TEST_ELF_SIZE + 4096);
	KUNIT_EXPECT_EQ(test, info.ph[0].p_flags, PF_R | PF_X);
	KUNIT_EXPECT_EQ(test, info.phdr_va, 0x400034UL);
	KUNIT_EXPECT_EQ(test, info.load_end, 0x402000UL);
	expect_noexec(test, img, sizeof(Elf32_Ehdr) + 16, "program headers outside");
	((Elf32_Ehdr *)img)->e_phentsize = sizeof(Elf64_Phdr);
	expect_noexec(test, img, sizeof(img), "program header size");
}

/* new_mm: an empty address space laid out as exec lays one out, freed when the case ends. */
static struct mm_struct *new_mm(struct kunit *test)
{
	struct mm_struct *mm = kunit_mm_track(test, mm_alloc());

	if (!mm)
		return NULL;
	mm->mmap_base = STACK_TOP - STACK_MAX - STACK_GUARD_GAP;
	mm->start_brk = mm->brk = 0x500000;
	return mm;
}

#define BASE	0x1000000UL

/* nth_vma: the i-th VMA in address order (NULL past the end). */
static struct vm_area_struct *nth_vma(struct mm_struct *mm, int i)
{
	struct vm_area_struct *v = vma_first(mm);

	while (v && i--)
		v = vma_next(v);
	return v;
}

/* munmap of a middle page splits the VMA; the ends stay; unmapping all leaves none. */
static void munmap_splits_and_removes(struct kunit *test)
{
	struct mm_struct *mm = new_mm(test);

	KUNIT_ASSERT_NOT_NULL(test, mm);
	KUNIT_ASSERT_EQ(test, do_mmap(mm, BASE, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE, true), (long)BASE);
	KUNIT_EXPECT_EQ(test, mm->map_count, 1);
	KUNIT_EXPECT_EQ(test, do_munmap(mm, BASE + PAGE_SIZE, PAGE_SIZE), 0);
	KUNIT_ASSERT_EQ(test, mm->map_count, 2);
	KUNIT_EXPECT_EQ(test, nth_vma(mm, 0)->vm_end, BASE + PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, nth_vma(mm, 1)->vm_start, BASE + 2 * PAGE_SIZE);
	KUNIT_EXPECT_NULL(test, find_vma(mm, BASE + PAGE_SIZE));
	KUNIT_EXPECT_NOT_NULL(test, find_vma(mm, BASE + 3 * PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, do_munmap(mm, BASE, 4 * PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, mm->map_count, 0);
	KUNIT_EXPECT_EQ(test, do_munmap(mm, BASE + 1, PAGE_SIZE), -EINVAL);
	KUNIT_EXPECT_EQ(test, do_mmap(mm, 0x1000, PAGE_SIZE, PROT_READ, true), (long)-EINVAL);
}

/* Without a fixed address, mmap goes top-down under mmap_base, never over a VMA. */
static void mmap_places_top_down(struct kunit *test)
{
	struct mm_struct *mm = new_mm(test);
	long a, b;

	KUNIT_ASSERT_NOT_NULL(test, mm);
	a = do_mmap(mm, 0, 3 * PAGE_SIZE, PROT_READ, false);
	b = do_mmap(mm, 0, PAGE_SIZE, PROT_READ, false);
	KUNIT_EXPECT_EQ(test, a, (long)(mm->mmap_base - 3 * PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, b, a - (long)PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, do_munmap(mm, (unsigned long)a + PAGE_SIZE, PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, do_mmap(mm, 0, PAGE_SIZE, PROT_READ, false), a + (long)PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, do_mmap(mm, 0, 2 * PAGE_SIZE, PROT_READ, false), b - 2 * (long)PAGE_SIZE);
}

/* brk grows and shrinks the heap VMA; below start_brk it answers the current break. */
static void brk_grows_and_shrinks(struct kunit *test)
{
	struct mm_struct *mm = new_mm(test);

	KUNIT_ASSERT_NOT_NULL(test, mm);
	KUNIT_EXPECT_EQ(test, do_brk(mm, 0), 0x500000UL);
	KUNIT_EXPECT_EQ(test, do_brk(mm, 0x500000 + 3 * PAGE_SIZE + 8), 0x500000 + 3 * PAGE_SIZE + 8);
	KUNIT_ASSERT_NOT_NULL(test, find_vma(mm, 0x500000 + 3 * PAGE_SIZE));
	KUNIT_EXPECT_TRUE(test, find_vma(mm, 0x500000)->vm_flags & VM_HEAP);
	KUNIT_EXPECT_EQ(test, handle_mm_fault(mm, 0x500000 + 3 * PAGE_SIZE, FAULT_FLAG_WRITE), 0u);
	KUNIT_EXPECT_EQ(test, mm->rss, 1UL);
	KUNIT_EXPECT_EQ(test, do_brk(mm, 0x500000 + PAGE_SIZE), 0x500000 + PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, mm->rss, 0UL);
	KUNIT_EXPECT_NULL(test, find_vma(mm, 0x500000 + PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, do_brk(mm, 0x400000), 0x500000 + PAGE_SIZE);
}

/* A demand-zero fault maps a zeroed user page with the VMA's protection; bad ones are refused. */
static void fault_demand_zero(struct kunit *test)
{
	struct mm_struct *mm = new_mm(test);
	struct pt_query q;
	const u8 *p;
	unsigned int i, nonzero = 0;

	KUNIT_ASSERT_NOT_NULL(test, mm);
	KUNIT_ASSERT_EQ(test, do_mmap(mm, BASE, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, true), (long)BASE);
	KUNIT_ASSERT_EQ(test, do_mmap(mm, BASE + 4 * PAGE_SIZE, PAGE_SIZE, PROT_READ, true),
			(long)(BASE + 4 * PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, handle_mm_fault(mm, BASE + 123, 0), 0u);
	KUNIT_ASSERT_EQ(test, pt_query(&mm->ctx, BASE, &q), 0);
	KUNIT_EXPECT_EQ(test, q.prot & (PROT_READ | PROT_WRITE | PROT_EXEC | PROT_USER | PROT_GLOBAL),
			PROT_READ | PROT_WRITE | PROT_USER);
	p = __va(q.pa);
	for (i = 0; i < PAGE_SIZE; i++)
		nonzero += p[i] != 0;
	KUNIT_EXPECT_EQ(test, nonzero, 0u);
	KUNIT_EXPECT_EQ(test, handle_mm_fault(mm, BASE, FAULT_FLAG_WRITE), 0u);	/* spurious: mapped */
	KUNIT_EXPECT_EQ(test, mm->rss, 1UL);
	KUNIT_EXPECT_EQ(test, handle_mm_fault(mm, BASE + 2 * PAGE_SIZE, 0), VM_FAULT_SIGSEGV);
	KUNIT_EXPECT_EQ(test, handle_mm_fault(mm, BASE + 4 * PAGE_SIZE, FAULT_FLAG_WRITE), VM_FAULT_SIGSEGV);
	KUNIT_EXPECT_EQ(test, handle_mm_fault(mm, BASE, FAULT_FLAG_INSTRUCTION), VM_FAULT_SIGSEGV);
	KUNIT_EXPECT_EQ(test, mm->nr_faults, 5UL);
	KUNIT_EXPECT_EQ(test, mm->hiwater_rss, 1UL);
}

/* Faulting pages in and tearing the mm down gives every page and table back. */
static void mmput_returns_everything(struct kunit *test)
{
	unsigned long before, i;
	struct mm_struct *mm;

	kmem_cache_shrink_all();
	drain_all_pages(NULL);
	before = nr_free_pages();
	mm = mm_alloc();
	KUNIT_ASSERT_NOT_NULL(test, mm);
	mm->mmap_base = STACK_TOP - STACK_MAX - STACK_GUARD_GAP;
	if (do_mmap(mm, BASE, 64 * PAGE_SIZE, PROT_READ | PROT_WRITE, true) != (long)BASE) {
		mmput(mm);
		KUNIT_FAIL_IF(test, true, return, "mmap of 64 pages failed");
	}
	for (i = 0; i < 64; i++)
		KUNIT_EXPECT_EQ(test, handle_mm_fault(mm, BASE + i * PAGE_SIZE, FAULT_FLAG_WRITE), 0u);
	KUNIT_EXPECT_EQ(test, mm->rss, 64UL);
	KUNIT_EXPECT_GE(test, mm->ctx.nr_tables, (unsigned long)PT_LEVELS);	/* a root and a path down */
	mmput(mm);
	kmem_cache_shrink_all();
	drain_all_pages(NULL);
	KUNIT_EXPECT_EQ(test, nr_free_pages(), before);
}

/* user_prot: the protection a present page's entry has, 0 if it is not present. */
static u32 user_prot(struct mm_struct *mm, unsigned long va)
{
	struct pt_query q;

	return pt_query(&mm->ctx, va, &q) ? 0 : q.prot & (PROT_READ | PROT_WRITE | PROT_EXEC | PROT_USER);
}

/* mprotect splits a VMA around the range, changes the present page, and merges back. */
static void mprotect_splits_and_merges(struct kunit *test)
{
	struct mm_struct *mm = new_mm(test);
	struct pt_query q;

	KUNIT_ASSERT_NOT_NULL(test, mm);
	KUNIT_ASSERT_EQ(test, do_mmap(mm, BASE, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE, true), (long)BASE);
	KUNIT_ASSERT_EQ(test, handle_mm_fault(mm, BASE + PAGE_SIZE, FAULT_FLAG_WRITE), 0u);
	KUNIT_ASSERT_EQ(test, pt_query(&mm->ctx, BASE + PAGE_SIZE, &q), 0);
	*(u32 *)__va(q.pa) = 0xfeedu;
	KUNIT_EXPECT_EQ(test, do_mprotect(mm, BASE + PAGE_SIZE, PAGE_SIZE, PROT_READ), 0);
	KUNIT_ASSERT_EQ(test, mm->map_count, 3);
	KUNIT_EXPECT_EQ(test, nth_vma(mm, 1)->vm_start, BASE + PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, nth_vma(mm, 1)->vm_end, BASE + 2 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, nth_vma(mm, 1)->vm_prot, PROT_READ);
	KUNIT_EXPECT_EQ(test, user_prot(mm, BASE + PAGE_SIZE), PROT_READ | PROT_USER);
	KUNIT_EXPECT_EQ(test, handle_mm_fault(mm, BASE + PAGE_SIZE, FAULT_FLAG_WRITE), VM_FAULT_SIGSEGV);
	KUNIT_EXPECT_EQ(test, do_mprotect(mm, BASE, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE), 0);
	KUNIT_EXPECT_EQ(test, mm->map_count, 1);
	KUNIT_EXPECT_EQ(test, user_prot(mm, BASE + PAGE_SIZE), PROT_READ | PROT_WRITE | PROT_USER);
	/* PROT_NONE: the page stays, kernel-only, with its contents; every access is refused */
	KUNIT_EXPECT_EQ(test, do_mprotect(mm, BASE, 4 * PAGE_SIZE, 0), 0);
	KUNIT_EXPECT_EQ(test, user_prot(mm, BASE + PAGE_SIZE), PROT_READ);
	KUNIT_EXPECT_EQ(test, handle_mm_fault(mm, BASE + PAGE_SIZE, 0), VM_FAULT_SIGSEGV);
	KUNIT_EXPECT_EQ(test, handle_mm_fault(mm, BASE, 0), VM_FAULT_SIGSEGV);
	KUNIT_EXPECT_EQ(test, do_mprotect(mm, BASE, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE), 0);
	KUNIT_ASSERT_EQ(test, pt_query(&mm->ctx, BASE + PAGE_SIZE, &q), 0);
	KUNIT_EXPECT_EQ(test, *(u32 *)__va(q.pa), 0xfeedu);
	KUNIT_EXPECT_EQ(test, mm->rss, 1UL);
	/* Linux's errors; nothing changes */
	KUNIT_EXPECT_EQ(test, do_mprotect(mm, BASE + 1, PAGE_SIZE, PROT_READ), -EINVAL);
	KUNIT_EXPECT_EQ(test, do_mprotect(mm, BASE, 5 * PAGE_SIZE, PROT_READ), -ENOMEM);
	KUNIT_EXPECT_EQ(test, do_mprotect(mm, BASE, 0, PROT_READ), 0);
	KUNIT_EXPECT_EQ(test, mm->map_count, 1);
	KUNIT_EXPECT_EQ(test, nth_vma(mm, 0)->vm_prot, PROT_READ | PROT_WRITE);
}

/* mmap merges with a compatible neighbour, not with an incompatible one; munmap keeps the rule. */
static void mmap_merges_neighbours(struct kunit *test)
{
	struct mm_struct *mm = new_mm(test);

	KUNIT_ASSERT_NOT_NULL(test, mm);
	KUNIT_ASSERT_EQ(test, do_mmap(mm, BASE, PAGE_SIZE, PROT_READ | PROT_WRITE, true), (long)BASE);
	KUNIT_ASSERT_EQ(test, do_mmap(mm, BASE + PAGE_SIZE, PAGE_SIZE, PROT_READ | PROT_WRITE, true),
			(long)(BASE + PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, mm->map_count, 1);
	KUNIT_ASSERT_EQ(test, do_mmap(mm, BASE + 2 * PAGE_SIZE, PAGE_SIZE, PROT_READ, true),
			(long)(BASE + 2 * PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, mm->map_count, 2);
	KUNIT_EXPECT_EQ(test, do_mprotect(mm, BASE + 2 * PAGE_SIZE, PAGE_SIZE, PROT_READ | PROT_WRITE), 0);
	KUNIT_EXPECT_EQ(test, mm->map_count, 1);
	KUNIT_EXPECT_EQ(test, nth_vma(mm, 0)->vm_end, BASE + 3 * PAGE_SIZE);
}

static void restore_max_map_count(void *old)
{
	sysctl_max_map_count = (int)(long)old;
}

/* A split past max_map_count (lowered to 32 here) fails with -ENOMEM and changes nothing; munmap too. */
static void mprotect_full_array_refuses(struct kunit *test)
{
	struct mm_struct *mm = new_mm(test);
	unsigned long va = BASE;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, mm);
	KUNIT_ASSERT_EQ(test, kunit_add_action(test, restore_max_map_count, (void *)(long)sysctl_max_map_count), 0);
	sysctl_max_map_count = 32;
	for (i = 0; i < 32; i++, va += PAGE_SIZE)	/* alternating: nothing merges */
		KUNIT_ASSERT_EQ(test, do_mmap(mm, va, i + 1 == 32 ? 3 * PAGE_SIZE : PAGE_SIZE,
					      i & 1 ? PROT_READ : PROT_READ | PROT_WRITE, true), (long)va);
	KUNIT_ASSERT_EQ(test, mm->map_count, 32);
	KUNIT_EXPECT_EQ(test, do_mmap(mm, va + 4 * PAGE_SIZE, PAGE_SIZE, PROT_READ, true), (long)-ENOMEM);
	KUNIT_EXPECT_EQ(test, do_mprotect(mm, va - PAGE_SIZE, PAGE_SIZE, PROT_READ | PROT_EXEC), -ENOMEM);
	KUNIT_EXPECT_EQ(test, do_munmap(mm, va, PAGE_SIZE), -ENOMEM);	/* a hole in the middle: 33 */
	KUNIT_EXPECT_EQ(test, mm->map_count, 32);
	KUNIT_EXPECT_EQ(test, vma_tree_check(mm), 0);
	KUNIT_EXPECT_EQ(test, nth_vma(mm, 31)->vm_prot, PROT_READ);
	KUNIT_EXPECT_EQ(test, nth_vma(mm, 31)->vm_end, va + 2 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, do_munmap(mm, va + PAGE_SIZE, PAGE_SIZE), 0);	/* an end: still 32 */
	KUNIT_EXPECT_EQ(test, mm->map_count, 32);
}

/* The encoders: Linux's pagemap bits and KPF_* numbers for pagoda's page flags. */
static void pagemap_encodes_entries(struct kunit *test)
{
	struct page pg = { .flags = 0 };

	KUNIT_EXPECT_EQ(test, pagemap_entry(true, 0x1234, 1), BIT_ULL(63) | BIT_ULL(56) | 0x1234);
	KUNIT_EXPECT_EQ(test, pagemap_entry(true, 0x1234, 2), BIT_ULL(63) | 0x1234);
	KUNIT_EXPECT_EQ(test, pagemap_entry(true, ~0ULL, 1), BIT_ULL(63) | BIT_ULL(56) | GENMASK_ULL(54, 0));
	KUNIT_EXPECT_EQ(test, pagemap_entry(false, 0x1234, 1), 0ULL);
	KUNIT_EXPECT_EQ(test, stable_page_flags(NULL, 0), BIT_ULL(20));
	KUNIT_EXPECT_EQ(test, stable_page_flags(&pg, 0), 0ULL);
	KUNIT_EXPECT_EQ(test, stable_page_flags(&pg, 1), BIT_ULL(11) | BIT_ULL(12));
	pg.flags = 1u << PG_buddy;
	KUNIT_EXPECT_EQ(test, stable_page_flags(&pg, 0), BIT_ULL(10));
	pg.flags = 1u << PG_slab;
	KUNIT_EXPECT_EQ(test, stable_page_flags(&pg, 0), BIT_ULL(7));
	pg.flags = 1u << PG_reserved;
	KUNIT_EXPECT_EQ(test, stable_page_flags(&pg, 0), BIT_ULL(32));
	pg.flags = 1u << PG_pgtable;
	KUNIT_EXPECT_EQ(test, stable_page_flags(&pg, 0), BIT_ULL(26));
	pg.flags = (1u << PG_head) | (1u << PG_large_kmalloc);
	KUNIT_EXPECT_EQ(test, stable_page_flags(&pg, 0), BIT_ULL(15));
	pg.flags = (1u << PG_tail) | (1u << PG_pcp) | (1u << PG_highmem);
	KUNIT_EXPECT_EQ(test, stable_page_flags(&pg, 0), BIT_ULL(16));
}

/* pagemap of an mm: the faulted page's PFN, holes 0; kpagecount 1 and MMAP|ANON at that PFN. */
static void pagemap_reads_an_mm(struct kunit *test)
{
	struct mm_struct *mm = new_mm(test);
	struct pt_query q;
	u64 e[4], pfn;

	KUNIT_ASSERT_NOT_NULL(test, mm);
	KUNIT_ASSERT_EQ(test, do_mmap(mm, BASE, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, true), (long)BASE);
	KUNIT_ASSERT_EQ(test, handle_mm_fault(mm, BASE, FAULT_FLAG_WRITE), 0u);
	KUNIT_ASSERT_EQ(test, pt_query(&mm->ctx, BASE, &q), 0);
	pfn = PHYS_PFN(q.pa);
	KUNIT_EXPECT_EQ(test, pagemap_read(mm, (BASE >> PAGE_SHIFT) - 1, e, 4), 4UL);
	KUNIT_EXPECT_EQ(test, e[0], 0ULL);
	KUNIT_EXPECT_EQ(test, e[1], BIT_ULL(63) | BIT_ULL(56) | pfn);
	KUNIT_EXPECT_EQ(test, e[2], 0ULL);
	KUNIT_EXPECT_EQ(test, e[3], 0ULL);
	KUNIT_EXPECT_EQ(test, pagemap_read(mm, pagemap_entries() - 1, e, 4), 1UL);
	KUNIT_EXPECT_EQ(test, pagemap_read(mm, pagemap_entries(), e, 4), 0UL);
	KUNIT_EXPECT_EQ(test, kpagecount_read(&mm, 1, pfn, e, 1), 1UL);
	KUNIT_EXPECT_EQ(test, e[0], 1ULL);
	KUNIT_EXPECT_EQ(test, kpageflags_read(&mm, 1, pfn, e, 1), 1UL);
	KUNIT_EXPECT_EQ(test, e[0] & (BIT_ULL(11) | BIT_ULL(12) | BIT_ULL(10)), BIT_ULL(11) | BIT_ULL(12));
	KUNIT_EXPECT_EQ(test, kpageflags_read(&mm, 1, kpage_entries(), e, 1), 0UL);
	KUNIT_EXPECT_EQ(test, do_munmap(mm, BASE, 2 * PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, kpagecount_read(&mm, 1, pfn, e, 1), 1UL);
	KUNIT_EXPECT_EQ(test, e[0], 0ULL);
}

/* mm_with_pages: a new mm with n written pages at BASE, page i's first byte i + 1; NULL on failure. */
static struct mm_struct *mm_with_pages(struct kunit *test, unsigned long n)
{
	struct mm_struct *mm = new_mm(test);
	struct pt_query q;
	unsigned long i;

	if (!mm || do_mmap(mm, BASE, n * PAGE_SIZE, PROT_READ | PROT_WRITE, true) != (long)BASE)
		return NULL;
	for (i = 0; i < n; i++) {
		if (handle_mm_fault(mm, BASE + i * PAGE_SIZE, FAULT_FLAG_WRITE) ||
		    pt_query(&mm->ctx, BASE + i * PAGE_SIZE, &q))
			return NULL;
		*(u8 *)__va(q.pa) = (u8)(i + 1);
	}
	return mm;
}

/* dup_mm shares each page read-only in both (refcount and mapcount 2); a write copies or reuses it. */
static void cow_refcounts(struct kunit *test)
{
	struct mm_struct *a = mm_with_pages(test, 4), *b;
	struct pt_query qa, qb;
	unsigned long i;

	KUNIT_ASSERT_NOT_NULL(test, a);
	b = kunit_mm_track(test, dup_mm(a));
	KUNIT_ASSERT_NOT_NULL(test, b);	/* no copy, or no cleanup action for it */
	KUNIT_EXPECT_EQ(test, b->map_count, a->map_count);
	KUNIT_EXPECT_EQ(test, b->rss, 4UL);
	for (i = 0; i < 4; i++) {
		KUNIT_ASSERT_EQ(test, pt_query(&a->ctx, BASE + i * PAGE_SIZE, &qa), 0);
		KUNIT_ASSERT_EQ(test, pt_query(&b->ctx, BASE + i * PAGE_SIZE, &qb), 0);
		KUNIT_EXPECT_EQ(test, qa.pa, qb.pa);
		KUNIT_EXPECT_FALSE(test, (qa.prot | qb.prot) & PROT_WRITE);
		KUNIT_EXPECT_EQ(test, page_mapcount(phys_to_page(qa.pa)), 2);
		KUNIT_EXPECT_EQ(test, page_refcount(phys_to_page(qa.pa)), 2);
	}
	/* pagemap: shared pages are not exclusive (bit 56); kpagecount over both mms says 2. */
	{
		struct mm_struct *both[2] = { a, b };
		u64 e, cnt;

		/* qa: the last page of the loop, page 3 */
		KUNIT_EXPECT_EQ(test, pagemap_read(a, (BASE >> PAGE_SHIFT) + 3, &e, 1), 1UL);
		KUNIT_EXPECT_EQ(test, e, BIT_ULL(63) | PHYS_PFN(qa.pa));
		KUNIT_EXPECT_EQ(test, kpagecount_read(both, 2, PHYS_PFN(qa.pa), &cnt, 1), 1UL);
		KUNIT_EXPECT_EQ(test, cnt, 2ULL);
	}
	/* The child writes page 0: a copy with the same bytes, writable; the original is the parent's alone. */
	pt_query(&a->ctx, BASE, &qa);
	KUNIT_EXPECT_EQ(test, handle_mm_fault(b, BASE, FAULT_FLAG_WRITE), 0u);
	KUNIT_ASSERT_EQ(test, pt_query(&b->ctx, BASE, &qb), 0);
	KUNIT_EXPECT_NE(test, qb.pa, qa.pa);
	KUNIT_EXPECT_TRUE(test, qb.prot & PROT_WRITE);
	KUNIT_EXPECT_EQ(test, *(u8 *)__va(qb.pa), 1);
	KUNIT_EXPECT_EQ(test, page_mapcount(phys_to_page(qa.pa)), 1);
	KUNIT_EXPECT_EQ(test, page_mapcount(phys_to_page(qb.pa)), 1);
	{
		u64 e;

		KUNIT_EXPECT_EQ(test, pagemap_read(a, BASE >> PAGE_SHIFT, &e, 1), 1UL);
		KUNIT_EXPECT_EQ(test, e, BIT_ULL(63) | BIT_ULL(56) | PHYS_PFN(qa.pa));	/* exclusive again */
	}
	/* The parent writes page 0: mapped once now, so made writable in place (no copy). */
	KUNIT_EXPECT_EQ(test, handle_mm_fault(a, BASE, FAULT_FLAG_WRITE), 0u);
	KUNIT_ASSERT_EQ(test, pt_query(&a->ctx, BASE, &qb), 0);
	KUNIT_EXPECT_EQ(test, qb.pa, qa.pa);
	KUNIT_EXPECT_TRUE(test, qb.prot & PROT_WRITE);
	/* A read fault on a page still shared is spurious: nothing changes. */
	KUNIT_EXPECT_EQ(test, handle_mm_fault(b, BASE + PAGE_SIZE, 0), 0u);
	KUNIT_EXPECT_EQ(test, page_mapcount(phys_to_page(qa.pa)), 1);
}

/* Parent and copy torn down in either order give back every page and table, to the page. */
static void dup_mmap_returns_everything(struct kunit *test)
{
	unsigned long before;
	int order;

	for (order = 0; order < 2; order++) {
		struct mm_struct *a, *b = NULL;

		kmem_cache_shrink_all();
		drain_all_pages(NULL);
		before = nr_free_pages();
		a = mm_alloc();
		KUNIT_ASSERT_NOT_NULL(test, a);
		a->mmap_base = STACK_TOP - STACK_MAX - STACK_GUARD_GAP;
		if (do_mmap(a, BASE, 32 * PAGE_SIZE, PROT_READ | PROT_WRITE, true) != (long)BASE ||
		    handle_mm_fault(a, BASE, FAULT_FLAG_WRITE) || handle_mm_fault(a, BASE + 31 * PAGE_SIZE, 0) ||
		    !(b = dup_mm(a))) {
			mmput(a);
			KUNIT_FAIL_IF(test, true, return, "setting up the two mms failed");
		}
		KUNIT_EXPECT_EQ(test, handle_mm_fault(b, BASE + 31 * PAGE_SIZE, FAULT_FLAG_WRITE), 0u);
		KUNIT_EXPECT_EQ(test, handle_mm_fault(b, BASE + 7 * PAGE_SIZE, FAULT_FLAG_WRITE), 0u);
		mmput(order ? b : a);
		mmput(order ? a : b);
		kmem_cache_shrink_all();
		drain_all_pages(NULL);
		KUNIT_EXPECT_EQ(test, nr_free_pages(), before);
	}
}

kunit_test_suite_init(user_mm, user_mm_suite_init, NULL,
	KUNIT_CASE(cpio_finds_members),
	KUNIT_CASE(cpio_rejects_malformed),
	KUNIT_CASE(elf_accepts_static_executable),
	KUNIT_CASE(elf_rejects_bad_headers),
	KUNIT_CASE(elf32_widened_or_refused),
	KUNIT_CASE(munmap_splits_and_removes),
	KUNIT_CASE(mmap_places_top_down),
	KUNIT_CASE(brk_grows_and_shrinks),
	KUNIT_CASE(fault_demand_zero),
	KUNIT_CASE(mmput_returns_everything),
	KUNIT_CASE(mprotect_splits_and_merges),
	KUNIT_CASE(mmap_merges_neighbours),
	KUNIT_CASE(mprotect_full_array_refuses),
	KUNIT_CASE(pagemap_encodes_entries),
	KUNIT_CASE(pagemap_reads_an_mm),
	KUNIT_CASE(cow_refcounts),
	KUNIT_CASE(dup_mmap_returns_everything));
