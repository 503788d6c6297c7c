/* dma_sync_test.c (host): which cache maintenance the DMA API asks the arch for, read from the log. */
#include <kernel/kunit.h>
#include <asm/cacheflush.h>
#include <mm/dma.h>
#include <mm/mm.h>
#include <string.h>
#include <test_machine.h>

static char buf[4096] __aligned(64);

static unsigned int ops_since(unsigned int mark)
{
	return host_cache_log_n - mark;
}

static const struct host_cache_rec *last_op(void)
{
	return &host_cache_log[(host_cache_log_n - 1) % HOST_CACHE_LOG];
}

static void sync_for_device_cleans(struct kunit *test)
{
	unsigned int mark = host_cache_log_n;
	unsigned long s = (unsigned long)buf + 10;

	dma_sync_va_for_device(buf + 10, 100, DMA_TO_DEVICE);
	KUNIT_ASSERT_EQ(test, ops_since(mark), 1U);
	KUNIT_EXPECT_EQ(test, last_op()->op, HOST_DC_CLEAN);
	KUNIT_EXPECT_EQ(test, last_op()->start, s);
	KUNIT_EXPECT_EQ(test, last_op()->end, s + 100);
	dma_sync_va_for_device(buf, 64, DMA_FROM_DEVICE);	/* dirty lines out before the device writes */
	KUNIT_EXPECT_EQ(test, last_op()->op, HOST_DC_CLEAN);
	dma_sync_va_for_device(buf, 64, DMA_BIDIRECTIONAL);
	KUNIT_EXPECT_EQ(test, last_op()->op, HOST_DC_CLEAN);
	KUNIT_EXPECT_EQ(test, ops_since(mark), 3U);
}

static void sync_for_cpu_invalidates(struct kunit *test)
{
	unsigned int mark = host_cache_log_n;

	dma_sync_va_for_cpu(buf, 256, DMA_TO_DEVICE);		/* the device only read: nothing to do */
	KUNIT_EXPECT_EQ(test, ops_since(mark), 0U);
	dma_sync_va_for_cpu(buf + 64, 128, DMA_FROM_DEVICE);
	KUNIT_ASSERT_EQ(test, ops_since(mark), 1U);
	KUNIT_EXPECT_EQ(test, last_op()->op, HOST_DC_INVAL);
	KUNIT_EXPECT_EQ(test, last_op()->start, (unsigned long)buf + 64);
	KUNIT_EXPECT_EQ(test, last_op()->end, (unsigned long)buf + 192);
	dma_sync_va_for_cpu(buf, 64, DMA_BIDIRECTIONAL);
	KUNIT_EXPECT_EQ(test, last_op()->op, HOST_DC_INVAL);
	dma_sync_va_for_cpu(buf, 0, DMA_FROM_DEVICE);		/* empty: nothing */
	dma_sync_va_for_cpu(buf, 64, DMA_NONE);
	KUNIT_EXPECT_EQ(test, ops_since(mark), 2U);
}

/* map/unmap of a streaming buffer: clean on the way out, invalidate on the way back. */
static void map_single_round_trip(struct kunit *test)
{
	unsigned int mark;
	struct page *pg;
	dma_addr_t h;
	char *p;

	KUNIT_ASSERT_EQ(test, mm_test_machine(), 0);
	pg = alloc_page(GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pg);
	p = page_address(pg);
	mark = host_cache_log_n;
	h = dma_map_single(NULL, p + 128, 512, DMA_FROM_DEVICE);
	KUNIT_EXPECT_EQ(test, h, phys_to_dma(page_to_phys(pg) + 128));
	KUNIT_EXPECT_EQ(test, last_op()->op, HOST_DC_CLEAN);
	dma_unmap_single(NULL, h, 512, DMA_FROM_DEVICE);
	KUNIT_EXPECT_EQ(test, last_op()->op, HOST_DC_INVAL);
	KUNIT_EXPECT_EQ(test, last_op()->start, (unsigned long)p + 128);	/* by VA, the linear map */
	KUNIT_EXPECT_EQ(test, last_op()->end, (unsigned long)p + 640);
	KUNIT_EXPECT_EQ(test, ops_since(mark), 2U);
	KUNIT_EXPECT_EQ(test, dma_map_single(NULL, buf, 64, DMA_TO_DEVICE), DMA_MAPPING_ERROR);
	__free_page(pg);
}

kunit_test_suite(dma_sync,
	KUNIT_CASE(sync_for_device_cleans),
	KUNIT_CASE(sync_for_cpu_invalidates),
	KUNIT_CASE(map_single_round_trip));
