/* test_buf.h: a suite's working memory, taken from the page allocator at run time rather than the image's BSS. */
#ifndef PAGODA_TESTS_TEST_BUF_H
#define PAGODA_TESTS_TEST_BUF_H

#include <mm/mm.h>

static inline unsigned int test_buf_order(size_t size)
{
	unsigned int order = 0;

	while ((PAGE_SIZE << order) < size)
		order++;
	return order;
}

/* test_buf_alloc: size bytes, zeroed and page-aligned, from alloc_pages; NULL if none. Needs mm_test_machine(). */
static inline void *test_buf_alloc(size_t size)
{
	struct page *p = alloc_pages(GFP_KERNEL | __GFP_ZERO, test_buf_order(size));

	return p ? page_address(p) : NULL;
}

/* test_buf_free: gives back what test_buf_alloc(size) returned (NULL is ignored). */
static inline void test_buf_free(void *buf, size_t size)
{
	if (buf)
		__free_pages(virt_to_page(buf), test_buf_order(size));
}

#endif
