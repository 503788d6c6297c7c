/* pt_fixture.h: a private mm_ctx over a test pool, for every suite that needs its own page tables. */
#ifndef PAGODA_TESTS_PT_FIXTURE_H
#define PAGODA_TESTS_PT_FIXTURE_H

#include <kernel/kunit.h>
#include <mm/pgalloc.h>
#include <mm/pgtable.h>

/* A fixture context spans every top-level entry the arch has (T_SIZE of the suites). */
#define PT_FIXTURE_SIZE		((u64)pt_entries(0) * pt_level_size(0))

/*
 * pt_fixture_init: an empty context at base over pool (declared by the suite
 * with DEFINE_PT_POOL: made-up PAs, nothing after it), with the pool's fault
 * injection off; pool NULL: tables from the live allocator (memblock/buddy). Expects the pool empty and notes NR_PAGETABLE, so that
 * pt_fixture_done can check every page came back. One fixture context at a
 * time. Returns mm_ctx_init's result.
 */
int pt_fixture_init(struct kunit *test, struct mm_ctx *ctx, struct pt_pool *pool, vaddr_t base);
/* NR_PAGETABLE's change since pt_fixture_init (the fixture context's table pages, counted globally). */
long pt_fixture_nr_pagetable(void);
/* pt_fixture_done: destroys ctx; expects no table left in ctx, in its pool and in NR_PAGETABLE. */
void pt_fixture_done(struct kunit *test, struct mm_ctx *ctx);

#endif
