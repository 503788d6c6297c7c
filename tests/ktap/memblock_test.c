/* memblock_test.c: KTAP suite for memblock — merging, overlap, removal, top-down allocation, retirement. */
#include <kernel/kunit.h>
#include <kernel/debugfs.h>
#include <mm/memblock.h>
#include <string.h>

/* Every case works on an empty memblock and puts the live one (the kernel's boot record) back. */
static struct memblock_state saved;

static void mb_begin(void)
{
	memblock_save(&saved);
	memblock_reset();
}

static void mb_end(void)
{
	memblock_restore(&saved);
}

#define REG(t, i) (memblock.t.regions[i])

static void add_merges_and_sorts(struct kunit *test)
{
	mb_begin();
	KUNIT_EXPECT_EQ(test, memblock_add(0x3000, 0x1000), 0);
	KUNIT_EXPECT_EQ(test, memblock_add(0x1000, 0x1000), 0);
	KUNIT_EXPECT_EQ(test, memblock.memory.cnt, 2UL);
	KUNIT_EXPECT_EQ(test, REG(memory, 0).base, 0x1000);
	KUNIT_EXPECT_EQ(test, memblock_add(0x2000, 0x1000), 0);	/* fills the hole */
	KUNIT_EXPECT_EQ(test, memblock.memory.cnt, 1UL);
	KUNIT_EXPECT_EQ(test, REG(memory, 0).base, 0x1000);
	KUNIT_EXPECT_EQ(test, REG(memory, 0).size, 0x3000);
	KUNIT_EXPECT_EQ(test, memblock_add(0x800, 0x4000), 0);	/* overlaps both ends */
	KUNIT_EXPECT_EQ(test, memblock.memory.cnt, 1UL);
	KUNIT_EXPECT_EQ(test, REG(memory, 0).base, 0x800);
	KUNIT_EXPECT_EQ(test, REG(memory, 0).size, 0x4000 - 0x800 + 0x800);
	KUNIT_EXPECT_EQ(test, memblock_phys_mem_size(), 0x4000);
	KUNIT_EXPECT_EQ(test, memblock_end_of_DRAM(), 0x4800);
	mb_end();
}

static void reserve_keeps_owners(struct kunit *test)
{
	mb_begin();
	memblock_add(0, 0x100000);
	KUNIT_EXPECT_EQ(test, memblock_reserve(0x1000, 0x1000, "a"), 0);
	KUNIT_EXPECT_EQ(test, memblock_reserve(0x2000, 0x1000, "a"), 0);	/* same owner: merges */
	KUNIT_EXPECT_EQ(test, memblock.reserved.cnt, 1UL);
	KUNIT_EXPECT_EQ(test, memblock_reserve(0x3000, 0x1000, "b"), 0);	/* other owner: own region */
	KUNIT_EXPECT_EQ(test, memblock.reserved.cnt, 2UL);
	/* Overlap: only the new part goes to "c"; the first owner keeps the overlap. */
	KUNIT_EXPECT_EQ(test, memblock_reserve(0x2800, 0x2000, "c"), 0);
	KUNIT_ASSERT_EQ(test, memblock.reserved.cnt, 3UL);
	KUNIT_EXPECT_EQ(test, REG(reserved, 2).base, 0x4000);
	KUNIT_EXPECT_EQ(test, REG(reserved, 2).size, 0x800);
	KUNIT_EXPECT_STREQ(test, REG(reserved, 2).owner, "c");
	KUNIT_EXPECT_STREQ(test, memblock_reserved_owner(0x2fff), "a");
	KUNIT_EXPECT_STREQ(test, memblock_reserved_owner(0x3000), "b");
	KUNIT_EXPECT_NULL(test, memblock_reserved_owner(0x4800));
	KUNIT_EXPECT_EQ(test, memblock_reserved_size(), 0x3800);
	mb_end();
}

static void remove_and_free_split(struct kunit *test)
{
	mb_begin();
	memblock_add(0, 0x10000);
	KUNIT_EXPECT_EQ(test, memblock_remove(0x4000, 0x2000), 0);
	KUNIT_ASSERT_EQ(test, memblock.memory.cnt, 2UL);
	KUNIT_EXPECT_EQ(test, REG(memory, 0).size, 0x4000);
	KUNIT_EXPECT_EQ(test, REG(memory, 1).base, 0x6000);
	KUNIT_EXPECT_EQ(test, REG(memory, 1).size, 0xa000);
	KUNIT_EXPECT_FALSE(test, memblock_is_memory(0x5fff));
	KUNIT_EXPECT_TRUE(test, memblock_is_memory(0x6000));
	memblock_reserve(0x1000, 0x3000, "x");
	KUNIT_EXPECT_EQ(test, memblock_free(0x2000, 0x1000), 0);
	KUNIT_ASSERT_EQ(test, memblock.reserved.cnt, 2UL);
	KUNIT_EXPECT_STREQ(test, REG(reserved, 1).owner, "x");	/* the tail keeps its owner */
	KUNIT_EXPECT_EQ(test, REG(reserved, 1).base, 0x3000);
	KUNIT_EXPECT_EQ(test, memblock_free(0, 0x10000), 0);
	KUNIT_EXPECT_EQ(test, memblock.reserved.cnt, 0UL);
	mb_end();
}

static void free_ranges_iterate(struct kunit *test)
{
	paddr_t s, e, got[8][2];
	int n = 0;
	u64 i;

	mb_begin();
	memblock_add(0x0, 0x10000);
	memblock_add(0x20000, 0x10000);
	memblock_reserve(0x0, 0x1000, "a");
	memblock_reserve(0x1000, 0x1000, "b");		/* touching, not merged: no empty gap reported */
	memblock_reserve(0x8000, 0x1000, "c");
	memblock_reserve(0xf000, 0x12000, "d");	/* spans the hole between the two banks */
	for_each_free_mem_range(i, &s, &e) {
		if (n < 8) {
			got[n][0] = s;
			got[n][1] = e;
		}
		n++;
	}
	KUNIT_ASSERT_EQ(test, n, 3);
	KUNIT_EXPECT_EQ(test, got[0][0], 0x2000);
	KUNIT_EXPECT_EQ(test, got[0][1], 0x8000);
	KUNIT_EXPECT_EQ(test, got[1][0], 0x9000);
	KUNIT_EXPECT_EQ(test, got[1][1], 0xf000);
	KUNIT_EXPECT_EQ(test, got[2][0], 0x21000);
	KUNIT_EXPECT_EQ(test, got[2][1], 0x30000);
	n = 0;
	for_each_mem_range(i, &s, &e)
		n++;
	KUNIT_EXPECT_EQ(test, n, 2);
	mb_end();
}

static void alloc_top_down_aligned_limited(struct kunit *test)
{
	char log[512];
	paddr_t a, b, c;

	mb_begin();
	memblock_add(0x100000, 0x400000);		/* 1 MiB .. 5 MiB */
	memblock_reserve(0x4ff000, 0x1000, "top");
	a = memblock_phys_alloc(0x1000, 0x1000, "p1");
	KUNIT_EXPECT_EQ(test, a, 0x4fe000);		/* highest free page */
	b = memblock_phys_alloc(0x3000, 0x200000, "p2");
	KUNIT_EXPECT_EQ(test, b, 0x400000);		/* 2 MiB aligned, fits below 0x4fe000 */
	memblock_set_current_limit(0x300000);
	c = memblock_phys_alloc(0x1000, 0, "p3");
	KUNIT_EXPECT_EQ(test, c, 0x2ff000);
	KUNIT_EXPECT_STREQ(test, memblock_reserved_owner(c), "p3");
	printk_capture_start(log, sizeof(log));
	a = memblock_phys_alloc(0x300000, 0x1000, "huge");	/* more than is free below the limit */
	printk_capture_stop();
	KUNIT_EXPECT_EQ(test, a, 0);
	KUNIT_EXPECT_SUBSTR(test, log, "memblock: cannot allocate 0x300000 bytes");
	KUNIT_EXPECT_SUBSTR(test, log, "for huge");
	KUNIT_EXPECT_EQ(test, memblock_reserved_owner(0x100000) == NULL, 1);
	mb_end();
}

static void full_array_fails_cleanly(struct kunit *test)
{
	char log[256];
	unsigned long i;
	int rc = 0;

	mb_begin();
	memblock_add(0, 0x10000000);
	for (i = 0; i < INIT_MEMBLOCK_REGIONS; i++)
		rc |= memblock_reserve(i * 0x2000, 0x1000, "r");
	KUNIT_EXPECT_EQ(test, rc, 0);
	printk_capture_start(log, sizeof(log));
	rc = memblock_reserve(0x1000000, 0x1000, "one-too-many");
	printk_capture_stop();
	KUNIT_EXPECT_EQ(test, rc, -1);
	KUNIT_EXPECT_SUBSTR(test, log, "reserved array full");
	KUNIT_EXPECT_EQ(test, memblock.reserved.cnt, (unsigned long)INIT_MEMBLOCK_REGIONS);
	KUNIT_EXPECT_EQ(test, memblock_reserve(0x1000, 0x1000, "r"), 0);	/* merging still works */
	KUNIT_EXPECT_EQ(test, memblock.reserved.cnt, (unsigned long)INIT_MEMBLOCK_REGIONS - 1);
	KUNIT_EXPECT_EQ(test, memblock_reserve(0x1000000, 0x1000, "fits-again"), 0);
	printk_capture_start(log, sizeof(log));
	rc = memblock_free(0x4800, 0x100);		/* would split a region: no slot */
	printk_capture_stop();
	KUNIT_EXPECT_EQ(test, rc, -1);
	KUNIT_EXPECT_SUBSTR(test, log, "reserved array full: cannot split it");
	KUNIT_EXPECT_TRUE(test, memblock_is_reserved(0x4800));
	KUNIT_EXPECT_EQ(test, memblock_free(0x4000, 0x1000), 0);	/* a whole region needs none */
	KUNIT_EXPECT_FALSE(test, memblock_is_reserved(0x4000));
	mb_end();
}

static void wrapping_range_rejected(struct kunit *test)
{
	char log[256];

	mb_begin();
	printk_capture_start(log, sizeof(log));
	KUNIT_EXPECT_EQ(test, memblock_add(~(paddr_t)0 - 0xfff, 0x2000), -1);
	printk_capture_stop();
	KUNIT_EXPECT_SUBSTR(test, log, "wraps around");
	KUNIT_EXPECT_EQ(test, memblock.memory.cnt, 0UL);
	mb_end();
}

static void retired_refuses(struct kunit *test)
{
	char log[512];

	mb_begin();
	memblock_add(0x100000, 0x100000);
	memblock_retire();
	printk_capture_start(log, sizeof(log));
	KUNIT_EXPECT_EQ(test, memblock_phys_alloc(0x1000, 0x1000, "late"), 0);
	KUNIT_EXPECT_NULL(test, memblock_alloc(0x1000, 0x1000, "late"));
	KUNIT_EXPECT_EQ(test, memblock_reserve(0x100000, 0x1000, "late"), -1);
	printk_capture_stop();
	KUNIT_EXPECT_SUBSTR(test, log, "WARNING: memblock_alloc(0x0000000000000000, 0x1000) after memblock was retired");
	KUNIT_EXPECT_SUBSTR(test, log, "WARNING: memblock_reserve(0x0000000000100000, 0x1000) after memblock was retired");
	KUNIT_EXPECT_EQ(test, memblock.reserved.cnt, 0UL);
	mb_end();
}

static void debugfs_format(struct kunit *test)
{
	const struct debugfs_file *f = debugfs_lookup("/sys/kernel/debug/memblock/reserved");
	const struct debugfs_file *m = debugfs_lookup("/sys/kernel/debug/memblock/memory");
	char buf[256];
	struct seq_buf s;

	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_ASSERT_NOT_NULL(test, m);
	mb_begin();
	memblock_add(0, 0x3c000000);
	memblock_reserve(0, 0x1000, "spin-table");
	memblock_reserve(0x80000, 0x200000, "kernel");
	seq_buf_init(&s, buf, sizeof(buf));
	m->show(&s);
	KUNIT_EXPECT_STREQ(test, buf, "   0: 0x0000000000000000..0x000000003bffffff\n");
	seq_buf_init(&s, buf, sizeof(buf));
	f->show(&s);
	KUNIT_EXPECT_STREQ(test, buf, "   0: 0x0000000000000000..0x0000000000000fff spin-table\n"
				      "   1: 0x0000000000080000..0x000000000027ffff kernel\n");
	mb_end();
}

/* Random adds/removes/reserves checked against a byte map of a 256-page space. */
static void randomized_against_model(struct kunit *test)
{
	static u8 mem[256], rsv[256];
	u64 seed = 12345, i;
	int op;

	mb_begin();
	memset(mem, 0, sizeof(mem));
	memset(rsv, 0, sizeof(rsv));
	for (op = 0; op < 4000; op++) {
		u64 r = kunit_rand(&seed);
		unsigned int a = r % 256, n = 1 + (r >> 8) % 16, k, kind = (r >> 16) % 4;

		n = min(n, 256 - a);
		if (kind == 0 && !memblock_add(a * 0x1000ULL, n * 0x1000ULL))
			for (k = a; k < a + n; k++)
				mem[k] = 1;
		if (kind == 1 && !memblock_remove(a * 0x1000ULL, n * 0x1000ULL))
			for (k = a; k < a + n; k++)
				mem[k] = 0;
		if (kind == 2 && !memblock_reserve(a * 0x1000ULL, n * 0x1000ULL, (r >> 20) & 1 ? "p" : "q"))
			for (k = a; k < a + n; k++)
				rsv[k] = 1;
		if (kind == 3 && !memblock_free(a * 0x1000ULL, n * 0x1000ULL))
			for (k = a; k < a + n; k++)
				rsv[k] = 0;
	}
	for (i = 0; i < 256; i++) {
		KUNIT_EXPECT_EQ(test, memblock_is_memory(i * 0x1000) , mem[i]);
		KUNIT_EXPECT_EQ(test, memblock_is_reserved(i * 0x1000), rsv[i]);
	}
	for (i = 0; i + 1 < memblock.memory.cnt; i++)	/* merged: no two regions touch */
		KUNIT_EXPECT_LT(test, REG(memory, i).base + REG(memory, i).size, REG(memory, i + 1).base);
	for (i = 0; i + 1 < memblock.reserved.cnt; i++)
		KUNIT_EXPECT_LE(test, REG(reserved, i).base + REG(reserved, i).size, REG(reserved, i + 1).base);
	mb_end();
}

kunit_test_suite(memblock,
	KUNIT_CASE(add_merges_and_sorts),
	KUNIT_CASE(reserve_keeps_owners),
	KUNIT_CASE(remove_and_free_split),
	KUNIT_CASE(free_ranges_iterate),
	KUNIT_CASE(alloc_top_down_aligned_limited),
	KUNIT_CASE(full_array_fails_cleanly),
	KUNIT_CASE(wrapping_range_rejected),
	KUNIT_CASE(retired_refuses),
	KUNIT_CASE(debugfs_format),
	KUNIT_CASE(randomized_against_model));
