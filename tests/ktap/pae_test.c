/* pae_test.c: KTAP suite for the x86 PAE entry format, bit for bit against the Intel SDM (skips on other formats). */
#include <kernel/kunit.h>
#include <mm/pgtable.h>
#include <string.h>

/*
 * The generic conformance suite (pgtable_test.c) checks behaviour through the
 * contract; this one checks the bits PAE hardware reads, written as the SDM's
 * numbers (vol. 3, tables 4-8 to 4-11) rather than through the arch's macros,
 * so a wrong macro cannot hide. It compiles everywhere and skips unless
 * PT_ARCH_NAME is "x86".
 */
#define P	0x001ULL
#define RW	0x002ULL
#define US	0x004ULL
#define PWT	0x008ULL
#define PCD	0x010ULL
#define A	0x020ULL
#define D	0x040ULL
#define PS	0x080ULL
#define G	0x100ULL
#define XD	(1ULL << 63)

#define PAE_ONLY(test) do { \
	if (strcmp(PT_ARCH_NAME, "x86")) \
		kunit_skip(test, "not the PAE format (" PT_ARCH_NAME ")"); \
} while (0)

/* XD where the format uses it: always on the host; in the kernel only with EFER.NXE. */
static u64 xd(void)
{
	return pte_val(pte_mk_leaf(0, PT_LEVELS - 1, PAGE_KERNEL_RO)) & XD;
}

static void pae_geometry(struct kunit *test)
{
	PAE_ONLY(test);
	KUNIT_EXPECT_EQ(test, PT_LEVELS, 3);
	KUNIT_EXPECT_EQ(test, pt_shift(0), 30);
	KUNIT_EXPECT_EQ(test, pt_shift(1), 21);
	KUNIT_EXPECT_EQ(test, pt_shift(2), 12);
	KUNIT_EXPECT_EQ(test, pt_entries(0), 4);
	KUNIT_EXPECT_EQ(test, pt_entries(1), 512);
	KUNIT_EXPECT_EQ(test, pt_entries(2), 512);
	KUNIT_EXPECT_FALSE(test, pt_level_has_block(0));	/* no 1 GiB pages in PAE */
	KUNIT_EXPECT_TRUE(test, pt_level_has_block(1));
	KUNIT_EXPECT_EQ(test, pt_cont_entries(1) + pt_cont_entries(2), 0);
}

/* PDPT entries: Present and the address, nothing else (the rest is reserved at CR3 load). */
static void pdpt_entry_present_only(struct kunit *test)
{
	static const u64 pas[] = { 0x1000, 0x1ffde000, 0xfffff000, 0x123456000ULL };
	unsigned int i;

	PAE_ONLY(test);
	for (i = 0; i < ARRAY_SIZE(pas); i++) {
		KUNIT_EXPECT_EQ(test, pte_val(pte_mk_table(pas[i], 0)), pas[i] | P);
		KUNIT_EXPECT_TRUE(test, pte_is_table(pte_mk_table(pas[i], 0), 0));
	}
}

/* A PDE pointing to a page table grants everything, so the PTE alone decides. */
static void pde_table_entry(struct kunit *test)
{
	pte_t e = pte_mk_table(0x2000, 1);

	PAE_ONLY(test);
	KUNIT_EXPECT_EQ(test, pte_val(e), 0x2000 | P | RW | US | A);
	KUNIT_EXPECT_TRUE(test, pte_is_table(e, 1));
	KUNIT_EXPECT_EQ(test, pte_table_pa(e), 0x2000);
}

static void leaf_bits(struct kunit *test)
{
	PAE_ONLY(test);
	KUNIT_EXPECT_EQ(test, pte_val(pte_mk_leaf(0x200000, 1, PAGE_KERNEL)),
			0x200000 | P | RW | A | D | PS | G | xd());
	KUNIT_EXPECT_EQ(test, pte_val(pte_mk_leaf(0x5000, 2, PAGE_KERNEL_ROX)), 0x5000 | P | A | D | G);
	KUNIT_EXPECT_EQ(test, pte_val(pte_mk_leaf(0x5000, 2, PAGE_KERNEL_RO)), 0x5000 | P | A | D | G | xd());
	KUNIT_EXPECT_EQ(test, pte_val(pte_mk_leaf(0x5000, 2, PROT_READ | PROT_USER | MT_NORMAL)),
			0x5000 | P | US | A | D | xd());
	KUNIT_EXPECT_TRUE(test, pte_is_leaf(pte_mk_leaf(0x200000, 1, PAGE_KERNEL), 1));
	KUNIT_EXPECT_FALSE(test, pte_is_table(pte_mk_leaf(0x200000, 1, PAGE_KERNEL), 1));
	KUNIT_EXPECT_TRUE(test, pte_is_leaf(pte_mk_leaf(0x5000, 2, PAGE_KERNEL), 2));
	/* bit 7 of a 4 KiB entry is PAT, not PS: a page never carries it */
	KUNIT_EXPECT_EQ(test, pte_val(pte_mk_leaf(0x5000, 2, PAGE_KERNEL)) & PS, 0);
}

/* Memory types through PAT entries 0-3 (PCD:PWT), device memory never executable. */
static void memory_types(struct kunit *test)
{
	u64 mask = PWT | PCD | XD;

	PAE_ONLY(test);
	KUNIT_EXPECT_EQ(test, pte_val(pte_mk_leaf(0x5000, 2, PAGE_KERNEL_ROX)) & mask, 0);
	KUNIT_EXPECT_EQ(test, pte_val(pte_mk_leaf(0x5000, 2, PAGE_KERNEL_NC)) & mask, PWT | xd());
	KUNIT_EXPECT_EQ(test, pte_val(pte_mk_leaf(0x5000, 2, PAGE_KERNEL_DEVICE | PROT_EXEC)) & mask, PCD | xd());
	KUNIT_EXPECT_EQ(test, pte_val(pte_mk_leaf(0x5000, 2, PAGE_KERNEL_DEVICE_nGnRnE)) & mask,
			PCD | PWT | xd());
	KUNIT_EXPECT_EQ(test, pte_leaf_prot(pte_mk_leaf(0x5000, 2, PAGE_KERNEL_DEVICE | PROT_EXEC), 2),
			PAGE_KERNEL_DEVICE);
	/* without XD (a CPU without NX) every normal page reads back as executable */
	KUNIT_EXPECT_EQ(test, pte_leaf_prot(pte_mk_leaf(0x200000, 1, PAGE_KERNEL_NC), 1),
			PAGE_KERNEL_NC | (xd() ? 0 : PROT_EXEC));
}

/* PAE's reason to exist: addresses above 4 GiB survive in entries, tables and leaves. */
static void addresses_above_4g(struct kunit *test)
{
	paddr_t pa = 0x123456000ULL, big = 0x140000000ULL;

	PAE_ONLY(test);
	KUNIT_EXPECT_EQ(test, pte_leaf_pa(pte_mk_leaf(pa, 2, PAGE_KERNEL), 2), pa);
	KUNIT_EXPECT_EQ(test, pte_leaf_pa(pte_mk_leaf(big, 1, PAGE_KERNEL), 1), big);
	KUNIT_EXPECT_EQ(test, pte_table_pa(pte_mk_table(pa, 1)), pa);
	KUNIT_EXPECT_EQ(test, pte_val(pte_mk_leaf(pa, 2, PAGE_KERNEL)) >> 32 & 0xfffff, pa >> 32);
}

/* set_pte/pte_clear/pte_read on one entry: the whole 64-bit value, both halves. */
static void two_word_stores(struct kunit *test)
{
	pte_t slot = __pte(0), e = pte_mk_leaf(0x123456000ULL, 2, PAGE_KERNEL_RO);

	PAE_ONLY(test);
	set_pte(&slot, e);
	KUNIT_EXPECT_EQ(test, pte_val(pte_read(&slot)), pte_val(e));
	KUNIT_EXPECT_EQ(test, (u32)(pte_val(slot) >> 32), (u32)(pte_val(e) >> 32));
	pte_clear(&slot);
	KUNIT_EXPECT_EQ(test, pte_val(pte_read(&slot)), 0);
	KUNIT_EXPECT_TRUE(test, pte_none(slot));
}

kunit_test_suite_smp(pae_format,
	KUNIT_CASE(pae_geometry),
	KUNIT_CASE(pdpt_entry_present_only),
	KUNIT_CASE(pde_table_entry),
	KUNIT_CASE(leaf_bits),
	KUNIT_CASE(memory_types),
	KUNIT_CASE(addresses_above_4g),
	KUNIT_CASE(two_word_stores));
