/* arm64_desc_test.c: KTAP suite for the arm64 descriptor format, bit for bit against the ARM ARM (skips on other formats). */
#include <kernel/kunit.h>
#include <mm/pgtable.h>
#include <string.h>

/*
 * The generic conformance suite (pgtable_test.c) checks behaviour through the
 * contract; this one checks the bits the arm64 table walker reads, written as
 * the ARM ARM's numbers (DDI 0487, "VMSAv8-64 translation table format
 * descriptors": stage 1, 4 KiB granule, 48-bit addresses) rather than through
 * the arch's macros, so a wrong macro cannot hide. It compiles everywhere and
 * skips unless PT_ARCH_NAME is "arm64".
 */
#define TYPE_MASK	0x3ULL			/* bits[1:0] */
#define TYPE_BLOCK	0x1ULL			/* levels 1 and 2 */
#define TYPE_TABLE	0x3ULL			/* levels 0 to 2 */
#define TYPE_PAGE	0x3ULL			/* level 3 */
#define ATTRINDX(v)	(((v) >> 2) & 0x7)	/* AttrIndx[2:0], bits[4:2]: a MAIR_EL1 byte */
#define AP(v)		(((v) >> 6) & 0x3)	/* AP[2:1], bits[7:6] */
#define AP_RW_EL1	0x0			/* EL1 read/write, EL0 none */
#define AP_RW_ALL	0x1			/* EL1 and EL0 read/write */
#define AP_RO_EL1	0x2			/* EL1 read-only, EL0 none */
#define AP_RO_ALL	0x3			/* EL1 and EL0 read-only */
#define SH(v)		(((v) >> 8) & 0x3)	/* SH[1:0], bits[9:8] */
#define SH_INNER	0x3
#define AF		(1ULL << 10)
#define NG		(1ULL << 11)
#define CONTIG		(1ULL << 52)
#define PXN		(1ULL << 53)
#define UXN		(1ULL << 54)
#define OA_PAGE		0x0000fffffffff000ULL	/* output address bits[47:12] */
#define OA_BLOCK_L2	0x0000ffffffe00000ULL	/* bits[47:21]: 2 MiB blocks */
#define OA_BLOCK_L1	0x0000ffffc0000000ULL	/* bits[47:30]: 1 GiB blocks */

/* MAIR attribute encodings (MAIR_EL1 Attr<n>, one byte each). */
#define MAIR_NORMAL_WB	0xffU	/* Normal, inner and outer write-back non-transient, read/write-allocate */
#define MAIR_NORMAL_NC	0x44U	/* Normal, inner and outer non-cacheable */
#define MAIR_nGnRnE	0x00U	/* Device-nGnRnE */
#define MAIR_nGnRE	0x04U	/* Device-nGnRE */

#define ARM64_ONLY(test) do { \
	if (strcmp(PT_ARCH_NAME, "arm64")) \
		kunit_skip(test, "not the arm64 format (" PT_ARCH_NAME ")"); \
} while (0)

/* The MAIR_EL1 value the kernel programs (asm/sysreg.h), where the format has one. */
static u64 mair(void)
{
#ifdef MAIR_EL1_VALUE
	return MAIR_EL1_VALUE;
#else
	return 0;
#endif
}

/* The MAIR byte a leaf entry selects through its AttrIndx. */
static unsigned int mair_attr(u64 v)
{
	return (unsigned int)(mair() >> (8 * ATTRINDX(v))) & 0xff;
}

static u64 page(u32 prot)
{
	return pte_val(pte_mk_leaf(0x5000, 3, prot));
}

static void arm64_geometry(struct kunit *test)
{
	ARM64_ONLY(test);
	KUNIT_EXPECT_EQ(test, PT_LEVELS, 4);
	KUNIT_EXPECT_EQ(test, pt_shift(0), 39);
	KUNIT_EXPECT_EQ(test, pt_shift(1), 30);
	KUNIT_EXPECT_EQ(test, pt_shift(2), 21);
	KUNIT_EXPECT_EQ(test, pt_shift(3), 12);
	KUNIT_EXPECT_EQ(test, pt_entries(0) + pt_entries(1) + pt_entries(2) + pt_entries(3), 4 * 512);
	KUNIT_EXPECT_FALSE(test, pt_level_has_block(0));	/* no 512 GiB blocks with 4 KiB granules */
	KUNIT_EXPECT_TRUE(test, pt_level_has_block(1));
	KUNIT_EXPECT_TRUE(test, pt_level_has_block(2));
	/* the contiguous hint groups 16 entries at levels 2 and 3 with 4 KiB granules */
	KUNIT_EXPECT_EQ(test, pt_cont_entries(2), 16);
	KUNIT_EXPECT_EQ(test, pt_cont_entries(3), 16);
	KUNIT_EXPECT_EQ(test, pt_cont_entries(0) + pt_cont_entries(1), 0);
}

/* bits[1:0]: table 0b11 at levels 0-2, block 0b01 at levels 1-2, page 0b11 at level 3. */
static void descriptor_types(struct kunit *test)
{
	int level;

	ARM64_ONLY(test);
	for (level = 0; level < 3; level++) {
		pte_t t = pte_mk_table(0x7000, level);

		KUNIT_EXPECT_EQ(test, pte_val(t), 0x7000 | TYPE_TABLE);	/* no attributes in tables */
		KUNIT_EXPECT_TRUE(test, pte_is_table(t, level));
	}
	KUNIT_EXPECT_EQ(test, pte_val(pte_mk_leaf(0x40000000, 1, PAGE_KERNEL)) & TYPE_MASK, TYPE_BLOCK);
	KUNIT_EXPECT_EQ(test, pte_val(pte_mk_leaf(0x200000, 2, PAGE_KERNEL)) & TYPE_MASK, TYPE_BLOCK);
	KUNIT_EXPECT_EQ(test, page(PAGE_KERNEL) & TYPE_MASK, TYPE_PAGE);
	/* at level 3, 0b11 is a page, not a table */
	KUNIT_EXPECT_FALSE(test, pte_is_table(__pte(0x5000 | TYPE_PAGE), 3));
	KUNIT_EXPECT_TRUE(test, pte_is_leaf(__pte(0x5000 | TYPE_PAGE), 3));
	KUNIT_EXPECT_FALSE(test, pte_is_table(__pte(0x200000 | TYPE_BLOCK), 2));
	KUNIT_EXPECT_FALSE(test, pte_valid(__pte(0x5000 | 0x2)));	/* bit 0 clear: invalid */
}

/* AP[2:1], AF and nG for the kernel's and a user's protections. */
static void access_bits(struct kunit *test)
{
	ARM64_ONLY(test);
	KUNIT_EXPECT_EQ(test, AP(page(PAGE_KERNEL)), AP_RW_EL1);
	KUNIT_EXPECT_EQ(test, AP(page(PAGE_KERNEL_RO)), AP_RO_EL1);
	KUNIT_EXPECT_EQ(test, AP(page(PROT_READ | PROT_WRITE | PROT_USER)), AP_RW_ALL);
	KUNIT_EXPECT_EQ(test, AP(page(PROT_READ | PROT_USER)), AP_RO_ALL);
	KUNIT_EXPECT_EQ(test, page(PAGE_KERNEL) & AF, AF);	/* no access-flag faults */
	KUNIT_EXPECT_EQ(test, page(PAGE_KERNEL_DEVICE) & AF, AF);
	KUNIT_EXPECT_EQ(test, page(PAGE_KERNEL) & NG, 0);	/* kernel mappings are global */
	KUNIT_EXPECT_EQ(test, page(PROT_READ | PROT_USER) & NG, NG);	/* tagged with the ASID */
}

/* PXN (bit 53) and UXN (bit 54): each side executes only what is meant for it. */
static void execute_never(struct kunit *test)
{
	ARM64_ONLY(test);
	KUNIT_EXPECT_EQ(test, page(PAGE_KERNEL_ROX) & (PXN | UXN), UXN);
	KUNIT_EXPECT_EQ(test, page(PAGE_KERNEL) & (PXN | UXN), PXN | UXN);
	KUNIT_EXPECT_EQ(test, page(PAGE_KERNEL_RO) & (PXN | UXN), PXN | UXN);
	KUNIT_EXPECT_EQ(test, page(PROT_READ | PROT_EXEC | PROT_USER) & (PXN | UXN), PXN);
	KUNIT_EXPECT_EQ(test, page(PROT_READ | PROT_USER) & (PXN | UXN), PXN | UXN);
	/* device memory is execute-never whatever was asked */
	KUNIT_EXPECT_EQ(test, page(PAGE_KERNEL_DEVICE | PROT_EXEC) & (PXN | UXN), PXN | UXN);
	KUNIT_EXPECT_EQ(test, page(PAGE_KERNEL_DEVICE_nGnRnE | PROT_EXEC) & (PXN | UXN), PXN | UXN);
}

/* AttrIndx selects the MAIR byte the ARM ARM defines for each memory type; normal memory is inner shareable. */
static void memory_types(struct kunit *test)
{
	ARM64_ONLY(test);
	KUNIT_EXPECT_EQ(test, mair_attr(page(PAGE_KERNEL)), MAIR_NORMAL_WB);
	KUNIT_EXPECT_EQ(test, mair_attr(page(PAGE_KERNEL_NC)), MAIR_NORMAL_NC);
	KUNIT_EXPECT_EQ(test, mair_attr(page(PAGE_KERNEL_DEVICE)), MAIR_nGnRE);
	KUNIT_EXPECT_EQ(test, mair_attr(page(PAGE_KERNEL_DEVICE_nGnRnE)), MAIR_nGnRnE);
	/* four types, four different indexes */
	KUNIT_EXPECT_NE(test, ATTRINDX(page(PAGE_KERNEL)), ATTRINDX(page(PAGE_KERNEL_NC)));
	KUNIT_EXPECT_NE(test, ATTRINDX(page(PAGE_KERNEL_DEVICE)), ATTRINDX(page(PAGE_KERNEL_DEVICE_nGnRnE)));
	KUNIT_EXPECT_EQ(test, SH(page(PAGE_KERNEL)), SH_INNER);
	KUNIT_EXPECT_EQ(test, SH(page(PAGE_KERNEL_NC)), SH_INNER);
	KUNIT_EXPECT_EQ(test, SH(pte_val(pte_mk_leaf(0x200000, 2, PAGE_KERNEL))), SH_INNER);
	/* and back: the query reads the type the entry selects */
	KUNIT_EXPECT_EQ(test, pte_leaf_prot(__pte(page(PAGE_KERNEL_DEVICE)), 3), PAGE_KERNEL_DEVICE);
	KUNIT_EXPECT_EQ(test, pte_leaf_prot(__pte(page(PAGE_KERNEL_NC)), 3), PAGE_KERNEL_NC);
}

/* The contiguous hint is bit 52, and only bit 52. */
static void contiguous_bit(struct kunit *test)
{
	pte_t e = pte_mk_leaf(0x10000, 3, PAGE_KERNEL);

	ARM64_ONLY(test);
	KUNIT_EXPECT_EQ(test, pte_val(e) & CONTIG, 0);
	KUNIT_EXPECT_EQ(test, pte_val(pte_mkcont(e)), pte_val(e) | CONTIG);
	KUNIT_EXPECT_TRUE(test, pte_cont(pte_mkcont(e)));
	KUNIT_EXPECT_EQ(test, pte_val(pte_mknoncont(pte_mkcont(e))), pte_val(e));
}

/* Output addresses: bits[47:12] for pages and tables, [47:21] and [47:30] for blocks. */
static void output_address(struct kunit *test)
{
	u64 pa = 0x0000123456789000ULL;

	ARM64_ONLY(test);
	KUNIT_EXPECT_EQ(test, page(PAGE_KERNEL) & OA_PAGE, 0x5000);
	KUNIT_EXPECT_EQ(test, pte_val(pte_mk_leaf(pa, 3, PAGE_KERNEL)) & OA_PAGE, pa);
	KUNIT_EXPECT_EQ(test, pte_leaf_pa(pte_mk_leaf(pa, 3, PAGE_KERNEL), 3), pa);
	KUNIT_EXPECT_EQ(test, pte_table_pa(pte_mk_table(pa, 0)), pa);
	KUNIT_EXPECT_EQ(test, pte_leaf_pa(pte_mk_leaf(pa & OA_BLOCK_L2, 2, PAGE_KERNEL), 2), pa & OA_BLOCK_L2);
	KUNIT_EXPECT_EQ(test, pte_leaf_pa(pte_mk_leaf(pa & OA_BLOCK_L1, 1, PAGE_KERNEL), 1), pa & OA_BLOCK_L1);
	/* a block's address field holds nothing below its size */
	KUNIT_EXPECT_EQ(test, pte_leaf_pa(__pte(pte_val(pte_mk_leaf(0x40000000, 1, PAGE_KERNEL)) | 0x1ff000), 1),
			0x40000000);
	/* address bits beyond 48 never reach the upper attributes */
	KUNIT_EXPECT_EQ(test, pte_val(pte_mk_leaf(1ULL << 52, 3, PAGE_KERNEL)) & CONTIG, 0);
	KUNIT_EXPECT_EQ(test, pte_val(pte_mk_table(0xfff0000000007000ULL, 1)), 0x7000 | TYPE_TABLE);
}

kunit_test_suite_smp(arm64_format,
	KUNIT_CASE(arm64_geometry),
	KUNIT_CASE(descriptor_types),
	KUNIT_CASE(access_bits),
	KUNIT_CASE(execute_never),
	KUNIT_CASE(memory_types),
	KUNIT_CASE(contiguous_bit),
	KUNIT_CASE(output_address));
