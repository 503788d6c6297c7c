/* meminfo_test.c: KTAP suite for /proc/buddyinfo, /proc/zoneinfo, /proc/meminfo and /proc/iomem. */
#include <kernel/kunit.h>
#include <kernel/debugfs.h>
#include <mm/mmzone.h>
#include <mm/ioport.h>
#include <mm/vmstat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <test_machine.h>
#include "test_buf.h"

#define BUF_SIZE	8192
static char *buf;	/* taken at init, before the cases count pages */

static const char *show(struct kunit *test, const char *path)
{
	const struct debugfs_file *f = debugfs_lookup(path);
	struct seq_buf s;

	if (!f) {
		kunit_info(test, "%s is not registered", path);
		return "";
	}
	seq_buf_init(&s, buf, BUF_SIZE);
	f->show(&s);
	if (s.overflow)
		kunit_info(test, "%s overflowed %d bytes", path, BUF_SIZE);
	return buf;
}

/* The value of "Name:   N kB" in meminfo, or -1. */
static long meminfo_kb(const char *text, const char *name)
{
	const char *p = strstr(text, name);

	return p ? (long)strtoul(p + strlen(name), NULL, 10) : -1;
}

static void buddyinfo_matches_free_areas(struct kunit *test)
{
	const char *t;
	char line[160];
	const struct zone *z;
	int lines = 0, n;

	drain_all_pages(NULL);
	t = show(test, "/proc/buddyinfo");
	for_each_populated_zone(z) {
		unsigned int o;

		n = snprintf(line, sizeof(line), "Node 0, zone %8s ", z->name);
		for (o = 0; o < MAX_ORDER; o++)
			n += snprintf(line + n, sizeof(line) - (size_t)n, "%6lu ", z->free_area[o].nr_free);
		KUNIT_EXPECT_SUBSTR(test, t, line);
		lines++;
	}
	KUNIT_EXPECT_GT(test, lines, 0);
	for (n = 0; *t; t++)
		n += *t == '\n';
	KUNIT_EXPECT_EQ(test, n, lines);	/* one line per populated zone */
	KUNIT_EXPECT_EQ(test, strlen("Node 0, zone      DMA ") + 7 * MAX_ORDER + 1, strlen(line) + 1);
}

static void zoneinfo_fields(struct kunit *test)
{
	const struct zone *z = zones[ZONE_NORMAL].managed_pages ? &zones[ZONE_NORMAL] : &zones[ZONE_DMA];
	const char *t;
	char want[96];

	drain_all_pages(NULL);
	t = show(test, "/proc/zoneinfo");
	snprintf(want, sizeof(want), "Node 0, zone %8s\n  pages free     %lu\n", z->name, z->free_pages);
	KUNIT_EXPECT_SUBSTR(test, t, want);
	snprintf(want, sizeof(want), "\n        min      %lu\n        low      %lu\n        high     %lu\n",
		 min_wmark_pages(z), low_wmark_pages(z), high_wmark_pages(z));
	KUNIT_EXPECT_SUBSTR(test, t, want);
	snprintf(want, sizeof(want), "\n        managed  %lu\n", z->managed_pages);
	KUNIT_EXPECT_SUBSTR(test, t, want);
	KUNIT_EXPECT_SUBSTR(test, t, "        protection: (0, ");
	snprintf(want, sizeof(want), "\n  start_pfn:           %lu\n", z->zone_start_pfn);
	KUNIT_EXPECT_SUBSTR(test, t, want);
}

static void meminfo_counts(struct kunit *test)
{
	long total, free, free2, slab, pt;
	const char *t;
	struct page *p;

	drain_all_pages(NULL);
	t = show(test, "/proc/meminfo");
	KUNIT_EXPECT_EQ(test, strncmp(t, "MemTotal:       ", 16), 0);
	total = meminfo_kb(t, "MemTotal:");
	free = meminfo_kb(t, "MemFree:");
	KUNIT_EXPECT_EQ(test, total, (long)(totalram_pages() << (PAGE_SHIFT - 10)));
	KUNIT_EXPECT_EQ(test, free, (long)(nr_free_pages() << (PAGE_SHIFT - 10)));
	KUNIT_EXPECT_LE(test, meminfo_kb(t, "MemAvailable:"), free + 4 * meminfo_kb(t, "SReclaimable:"));
	slab = meminfo_kb(t, "Slab:");
	KUNIT_EXPECT_EQ(test, slab, meminfo_kb(t, "SReclaimable:") + meminfo_kb(t, "SUnreclaim:"));
	KUNIT_EXPECT_EQ(test, meminfo_kb(t, "VmallocTotal:"), (long)((VMALLOC_END - VMALLOC_START) >> 10));
	pt = meminfo_kb(t, "PageTables:");
	KUNIT_EXPECT_GE(test, pt, 0);
	KUNIT_EXPECT_GE(test, meminfo_kb(t, "KernelStack:"), 0);
	p = alloc_pages(GFP_KERNEL, 4);		/* MemFree follows the buddy */
	KUNIT_ASSERT_NOT_NULL(test, p);
	free2 = meminfo_kb(show(test, "/proc/meminfo"), "MemFree:");
	KUNIT_EXPECT_EQ(test, free2, free - 64);
	__free_pages(p, 4);
	KUNIT_EXPECT_EQ(test, meminfo_kb(show(test, "/proc/meminfo"), "MemFree:"), free);
	mod_node_page_state(NR_PAGETABLE, 3);
	KUNIT_EXPECT_EQ(test, meminfo_kb(show(test, "/proc/meminfo"), "PageTables:"),
			pt + 12);
	mod_node_page_state(NR_PAGETABLE, -3);
}

static void iomem_tree(struct kunit *test)
{
	paddr_t base = PFN_PHYS(min_low_pfn);
	struct resource *r, *in, *bad;
	char want[96];
	const char *t;

	r = request_mem_region(base + 0x10000, 0x1000, "test-child");
	in = request_mem_region(base + 0x10100, 0x10, "test-grandchild");
	bad = request_mem_region(base + 0x10800, 0x1000, "test-straddle");	/* partly overlaps r */
	KUNIT_EXPECT_NOT_NULL(test, r);
	KUNIT_EXPECT_NOT_NULL(test, in);
	KUNIT_EXPECT_NULL(test, bad);
	t = show(test, "/proc/iomem");
	snprintf(want, sizeof(want), "%08llx-", (unsigned long long)base);
	KUNIT_EXPECT_EQ(test, strncmp(t, want, strlen(want)), 0);
	KUNIT_EXPECT_SUBSTR(test, t, " : System RAM\n");
	snprintf(want, sizeof(want), "\n  %08llx-%08llx : test-child\n    %08llx-%08llx : test-grandchild\n",
		 (unsigned long long)base + 0x10000, (unsigned long long)base + 0x10fff,
		 (unsigned long long)base + 0x10100, (unsigned long long)base + 0x1010f);
	KUNIT_EXPECT_SUBSTR(test, t, want);
	release_mem_region(base + 0x10100, 0x10);
	release_mem_region(base + 0x10000, 0x1000);
	KUNIT_EXPECT_NULL(test, strstr(show(test, "/proc/iomem"), "test-child"));
}

static void verify_file(struct kunit *test)
{
	const char *t = show(test, "/sys/kernel/debug/page_alloc/verify");
	char want[64];

	snprintf(want, sizeof(want), "zone %8s: ok, ", zones[ZONE_DMA].name);
	KUNIT_EXPECT_SUBSTR(test, t, want);
	KUNIT_EXPECT_NULL(test, strstr(t, "BROKEN"));
}

static int meminfo_init(void)
{
	if (mm_test_machine())
		return -1;
	buf = test_buf_alloc(BUF_SIZE);
	return buf ? 0 : -1;
}

static void meminfo_exit(void)
{
	test_buf_free(buf, BUF_SIZE);
	buf = NULL;
}

kunit_test_suite_init(meminfo, meminfo_init, meminfo_exit,
	KUNIT_CASE(buddyinfo_matches_free_areas),
	KUNIT_CASE(zoneinfo_fields),
	KUNIT_CASE(meminfo_counts),
	KUNIT_CASE(iomem_tree),
	KUNIT_CASE(verify_file));
