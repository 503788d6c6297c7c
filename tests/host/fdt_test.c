/* fdt_test.c (host): DTB discovery against dtc-built DTBs, corrupted copies of them, and the real Pi 3 DTB. */
#include <kernel/kunit.h>
#include <kernel/param.h>
#include <drivers/of_fdt.h>
#include <mm/memblock.h>
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * The suite's init compiles the sources in tests/host/dtb with dtc into a directory
 * of its own under build/host/dtb/ (per process: both arches' binaries may run at
 * once), removed by the suite's exit; run from the top of the tree, as make does. Malformed inputs come in two
 * kinds: sources that dtc accepts but that describe memory wrongly (overlap,
 * bad cells, wrapping regions), and byte-level corruptions of good.dtb made here.
 * Each must give one "OF: fdt: ignoring the device tree" line and leave memblock
 * and the command line exactly as they were.
 */
#define DTS_DIR		"tests/host/dtb"
#define DTB_ROOT	"build/host/dtb"
#define REAL_DTB	"build/deps/bcm2837-rpi-3-b.dtb"

static const char *const dts_names[] = {
	"good", "cells1", "nocells", "overlap", "badcells", "badreg", "absurd", "nomem", "badrsv",
	"rsvmix",
};

static char dtb_dir[64];

static int fdt_suite_init(void)
{
	char cmd[512];
	size_t i;

	snprintf(dtb_dir, sizeof(dtb_dir), DTB_ROOT "/%d", (int)getpid());
	snprintf(cmd, sizeof(cmd), "mkdir -p %s", dtb_dir);
	if (system(cmd))
		return -1;
	for (i = 0; i < ARRAY_SIZE(dts_names); i++) {
		snprintf(cmd, sizeof(cmd), "dtc -q -I dts -O dtb -o %s/%s.dtb %s/%s.dts",
			 dtb_dir, dts_names[i], DTS_DIR, dts_names[i]);
		if (system(cmd)) {
			printf("# fdt: '%s' failed (is dtc installed, and is this the top of the tree?)\n", cmd);
			return -1;
		}
	}
	return 0;
}

static void fdt_suite_exit(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dtb_dir);
	if (system(cmd))
		printf("# fdt: could not remove %s\n", dtb_dir);
}

/* Loads a DTB into an 8-byte aligned heap buffer with room to spare; returns its size (0 on error). */
static size_t load(const char *path, u64 **buf)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	*buf = calloc(1, FDT_MAX_SIZE);
	if (!f || !*buf)
		return f ? (fclose(f), 0) : 0;
	n = fread(*buf, 1, FDT_MAX_SIZE, f);
	fclose(f);
	return n;
}

static size_t load_test(const char *name, u64 **buf)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/%s.dtb", dtb_dir, name);
	return load(path, buf);
}

static struct dt_memory_map map;
static char why[160];

static void parses_good(struct kunit *test)
{
	u64 *b;
	size_t n = load_test("good", &b);

	KUNIT_ASSERT_GT(test, n, 0UL);
	KUNIT_ASSERT_EQ(test, early_init_dt_parse(b, n, &map, why, sizeof(why)), 0);
	KUNIT_EXPECT_EQ(test, map.addr_cells, 2U);
	KUNIT_EXPECT_EQ(test, map.size_cells, 2U);
	KUNIT_ASSERT_EQ(test, map.nr_mem, 2U);		/* zero-sized and disabled entries skipped */
	KUNIT_EXPECT_EQ(test, map.mem[0].base, 0x0ULL);	/* sorted */
	KUNIT_EXPECT_EQ(test, map.mem[0].size, 0x08000000ULL);
	KUNIT_EXPECT_EQ(test, map.mem[1].base, 0x80000000ULL);
	KUNIT_EXPECT_EQ(test, map.mem[1].size, 0x10000000ULL);
	KUNIT_ASSERT_EQ(test, map.nr_rsv, 2U);		/* the size-only child has nothing to reserve */
	KUNIT_EXPECT_EQ(test, map.nr_dynamic, 1U);
	KUNIT_EXPECT_EQ(test, map.rsv[0].base, 0x1000ULL);
	KUNIT_EXPECT_STREQ(test, map.rsv[0].owner, "memreserve");
	KUNIT_EXPECT_EQ(test, map.rsv[1].base, 0x07000000ULL);
	KUNIT_EXPECT_STREQ(test, map.rsv[1].owner, "framebuffer@700");	/* node name, truncated */
	free(b);
}

static void parses_cells(struct kunit *test)
{
	u64 *b;
	size_t n = load_test("cells1", &b);

	KUNIT_ASSERT_EQ(test, early_init_dt_parse(b, n, &map, why, sizeof(why)), 0);
	KUNIT_EXPECT_EQ(test, map.addr_cells, 1U);
	KUNIT_ASSERT_EQ(test, map.nr_mem, 2U);
	KUNIT_EXPECT_EQ(test, map.mem[0].size, 0x3c000000ULL);
	KUNIT_EXPECT_EQ(test, map.mem[1].base, 0x40000000ULL);
	free(b);
	n = load_test("nocells", &b);
	KUNIT_ASSERT_EQ(test, early_init_dt_parse(b, n, &map, why, sizeof(why)), 0);
	KUNIT_EXPECT_EQ(test, map.addr_cells, 2U);	/* the DT spec's defaults: 2 and 1 */
	KUNIT_EXPECT_EQ(test, map.size_cells, 1U);
	KUNIT_EXPECT_EQ(test, map.mem[0].base, 0x100000ULL);
	KUNIT_EXPECT_EQ(test, map.mem[0].size, 0x200000ULL);
	free(b);
}

/* The real upstream DTB as shipped (before firmware or QEMU rewrites /memory for the VideoCore split). */
static void parses_real_pi3(struct kunit *test)
{
	u64 *b;
	size_t n = load(REAL_DTB, &b);

	if (!n)
		kunit_skip(test, REAL_DTB " not present (run tools/bootstrap)");
	KUNIT_ASSERT_EQ(test, early_init_dt_parse(b, n, &map, why, sizeof(why)), 0);
	KUNIT_EXPECT_EQ(test, map.addr_cells, 1U);
	KUNIT_ASSERT_EQ(test, map.nr_mem, 1U);
	KUNIT_EXPECT_EQ(test, map.mem[0].base, 0x0ULL);
	/* The file says 1 GiB; QEMU's -dtb and the Pi firmware patch it to the ARM's 0x3c000000. */
	KUNIT_EXPECT_EQ(test, map.mem[0].size, 0x40000000ULL);
	KUNIT_ASSERT_GE(test, map.nr_rsv, 1U);
	KUNIT_EXPECT_EQ(test, map.rsv[0].base, 0x0ULL);	/* the spin-table page */
	KUNIT_EXPECT_EQ(test, map.rsv[0].size, 0x1000ULL);
	KUNIT_EXPECT_EQ(test, map.nr_dynamic, 1U);		/* linux,cma: size only */
	free(b);
}

/* scan: memblock and /chosen get the DTB's view (in a memblock sandbox). */
static void scan_fills_memblock_and_chosen(struct kunit *test)
{
	static struct memblock_state saved;
	char cmdline[sizeof(boot_command_line)];
	u64 *b;
	size_t n = load_test("good", &b);

	memcpy(cmdline, boot_command_line, sizeof(cmdline));
	memblock_save(&saved);
	memblock_reset();
	KUNIT_EXPECT_EQ(test, early_init_dt_scan_phys(b, 0x08001010, n), 0);
	KUNIT_EXPECT_EQ(test, memblock.memory.cnt, 2UL);
	KUNIT_EXPECT_EQ(test, memblock_phys_mem_size(), 0x18000000ULL);
	KUNIT_EXPECT_STREQ(test, memblock_reserved_owner(0x1000), "memreserve");
	KUNIT_EXPECT_STREQ(test, memblock_reserved_owner(0x1fff), "memreserve");	/* whole page */
	KUNIT_EXPECT_STREQ(test, memblock_reserved_owner(0x07000000), "framebuffer@700");
	KUNIT_EXPECT_STREQ(test, memblock_reserved_owner(0x08001000), "dtb");
	KUNIT_EXPECT_TRUE(test, memblock_is_reserved(0x08001010 + fdt_totalsize(b) - 1));
	KUNIT_EXPECT_STREQ(test, boot_command_line, "console=ttyAMA0 run=\"selftest buddy\"");
	KUNIT_EXPECT_STREQ(test, of_stdout_path, "serial0");
	KUNIT_EXPECT_STREQ(test, of_stdout_options, "115200n8");
	memblock_restore(&saved);
	memcpy(boot_command_line, cmdline, sizeof(cmdline));
	free(b);
}

/* Runs scan on a malformed blob: exactly one report line containing reason, nothing changed. */
static void expect_rejected(struct kunit *test, const void *blob, size_t n, const char *reason)
{
	static struct memblock_state saved;
	char log[512], cmdline[sizeof(boot_command_line)];
	unsigned long lines = 0;
	const char *p;

	memcpy(cmdline, boot_command_line, sizeof(cmdline));
	memblock_save(&saved);
	memblock_reset();
	printk_capture_start(log, sizeof(log));
	KUNIT_EXPECT_EQ(test, early_init_dt_scan_phys(blob, 0x100000, n), -1);
	printk_capture_stop();
	for (p = log; *p; p++)
		lines += *p == '\n';
	KUNIT_EXPECT_EQ(test, lines, 1UL);
	KUNIT_EXPECT_SUBSTR(test, log, "OF: fdt: ignoring the device tree at 0x0000000000100000: ");
	KUNIT_EXPECT_SUBSTR(test, log, reason);
	KUNIT_EXPECT_EQ(test, memblock.memory.cnt, 0UL);
	KUNIT_EXPECT_EQ(test, memblock.reserved.cnt, 0UL);
	KUNIT_EXPECT_EQ(test, memcmp(cmdline, boot_command_line, sizeof(cmdline)), 0);
	memblock_restore(&saved);
}

static void rejects_bad_sources(struct kunit *test)
{
	static const struct { const char *name, *reason; } cases[] = {
		{ "overlap", "overlapping memory regions 0x0+0x20000000 and 0x10000000+0x20000000" },
		{ "badcells", "wrong cells: #address-cells = 3" },
		{ "badreg", "wrong cells: memory reg is 12 bytes, not a multiple of 8" },
		{ "absurd", "absurd memory region 0xfffffffffffff000+0x2000" },
		{ "nomem", "no /memory node with a usable reg" },
		{ "badrsv", "wrong cells: reserved-memory reg is 4 bytes" },
	};
	size_t i, n;
	u64 *b;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		n = load_test(cases[i].name, &b);
		KUNIT_ASSERT_GT(test, n, 0UL);
		expect_rejected(test, b, n, cases[i].reason);
		free(b);
	}
}

static void set_be32(void *blob, size_t off, u32 v)
{
	fdt32_t be = cpu_to_fdt32(v);

	memcpy((char *)blob + off, &be, 4);
}

static void rejects_corrupted_copies(struct kunit *test)
{
	u64 *b, *c = calloc(1, FDT_MAX_SIZE + 8);
	size_t n = load_test("good", &b);
	u32 total = fdt_totalsize(b);

	KUNIT_ASSERT_NOT_NULL(test, c);
	expect_rejected(test, b, total / 2, "truncated: totalsize");
	expect_rejected(test, b, 20, "truncated: 20 bytes is less than a header");
	memcpy(c, b, n);
	set_be32(c, 0, 0xd00dfeef);
	expect_rejected(test, c, n, "bad magic 0xd00dfeef (expected 0xd00dfeed)");
	memcpy(c, b, n);
	set_be32(c, 4, 0xffffff00);			/* totalsize */
	expect_rejected(test, c, n, "absurd totalsize");
	memcpy(c, b, n);
	set_be32(c, 8, total + 64);			/* off_dt_struct past the end */
	expect_rejected(test, c, n, "bad header: ");
	memcpy(c, b, n);
	set_be32(c, 12, 0x10);				/* off_dt_strings inside the header */
	expect_rejected(test, c, n, "bad header: ");
	memcpy(c, b, n);				/* a property's name offset far past the strings */
	set_be32(c, fdt_off_dt_struct(b) + 8 + 8, 0x7fff0000);
	expect_rejected(test, c, n, "bad structure: ");
	memcpy(c, b, n);
	set_be32(c, fdt_off_dt_struct(b) + fdt_size_dt_struct(b) - 4, 0x2);	/* FDT_END -> END_NODE */
	expect_rejected(test, c, n, "bad structure: ");
	memcpy((char *)c + 4, b, n);			/* a blob at an address libfdt refuses */
	expect_rejected(test, (char *)c + 4, n, "misaligned");
	free(b);
	free(c);
}

/* A bad /memreserve/ entry is dropped with a line; the good ones before and after it stay reserved. */
static void drops_only_the_bad_memreserve(struct kunit *test)
{
	static struct memblock_state saved;
	char log[512], cmdline[sizeof(boot_command_line)];
	u64 *b;
	size_t n = load_test("rsvmix", &b);

	KUNIT_ASSERT_GT(test, n, 0UL);
	KUNIT_EXPECT_EQ(test, early_init_dt_parse(b, n, &map, why, sizeof(why)), 0);
	KUNIT_EXPECT_EQ(test, map.nr_rsv, 2U);
	KUNIT_EXPECT_EQ(test, map.nr_dropped, 1U);
	KUNIT_EXPECT_EQ(test, map.dropped[0].index, 1);
	memcpy(cmdline, boot_command_line, sizeof(cmdline));
	memblock_save(&saved);
	memblock_reset();
	printk_capture_start(log, sizeof(log));
	KUNIT_EXPECT_EQ(test, early_init_dt_scan_phys(b, 0x800000, n), 0);
	printk_capture_stop();
	KUNIT_EXPECT_SUBSTR(test, log, "OF: fdt: memreserve entry 1 (0xfffffffffffff000+0x2000): beyond 2^52; dropped");
	KUNIT_EXPECT_STREQ(test, memblock_reserved_owner(0x1000), "memreserve");
	KUNIT_EXPECT_STREQ(test, memblock_reserved_owner(0x30ffff), "memreserve");
	KUNIT_EXPECT_STREQ(test, memblock_reserved_owner(0x800000), "dtb");
	memblock_restore(&saved);
	memcpy(boot_command_line, cmdline, sizeof(cmdline));
	free(b);
}

/* A command line longer than COMMAND_LINE_SIZE is cut, and the cut is known (run= must not run). */
static void cmdline_cut_is_known(struct kunit *test)
{
	static char longline[COMMAND_LINE_SIZE + 100], saved[COMMAND_LINE_SIZE];
	size_t saved_len = boot_command_line_len;
	bool saved_run = boot_command_line_has_run;

	memcpy(saved, boot_command_line, sizeof(saved));
	memset(longline, 'a', sizeof(longline) - 1);
	memcpy(longline + COMMAND_LINE_SIZE + 10, "run=x", 5);
	cmdline_set(longline, sizeof(longline));
	KUNIT_EXPECT_EQ(test, strlen(boot_command_line), (size_t)COMMAND_LINE_SIZE - 1);
	KUNIT_EXPECT_EQ(test, boot_command_line_len, sizeof(longline) - 1);
	KUNIT_EXPECT_TRUE(test, boot_command_line_has_run);
	cmdline_set("console=ttyAMA0 run=\"echo x\"", 7);	/* bounded by max: "console" */
	KUNIT_EXPECT_STREQ(test, boot_command_line, "console");
	KUNIT_EXPECT_EQ(test, boot_command_line_len, 7UL);
	KUNIT_EXPECT_FALSE(test, boot_command_line_has_run);
	memcpy(boot_command_line, saved, sizeof(saved));
	boot_command_line_len = saved_len;
	boot_command_line_has_run = saved_run;
}

kunit_test_suite_init(fdt, fdt_suite_init, fdt_suite_exit,
	KUNIT_CASE(parses_good),
	KUNIT_CASE(parses_cells),
	KUNIT_CASE(parses_real_pi3),
	KUNIT_CASE(scan_fills_memblock_and_chosen),
	KUNIT_CASE(rejects_bad_sources),
	KUNIT_CASE(rejects_corrupted_copies),
	KUNIT_CASE(drops_only_the_bad_memreserve),
	KUNIT_CASE(cmdline_cut_is_known));
