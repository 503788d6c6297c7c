/* slab_test.c: KTAP suite for kmem_cache_* — layout, alignment, ctor, leaks, accounting, slabinfo, torture. */
#include <kernel/kunit.h>
#include <mm/kfence.h>
#include <kernel/debugfs.h>
#include <kernel/seq_buf.h>
#include <mm/kasan.h>
#include <mm/slab.h>
#include <mm/mm.h>
#include <mm/vmstat.h>
#include <stdio.h>
#include <string.h>
#include <test_machine.h>
#include "test_buf.h"

#define T_SLOTS 2048
struct t_obj { u8 *p; u32 size; u8 kind, seed; };

/* The suite's working memory, taken at init and given back at exit (none of it in the image). */
#define CAP_SIZE	16384
struct slab_test_mem {
	char cap[CAP_SIZE];		/* printk capture */
	char info[16384];		/* /proc/slabinfo */
	struct t_obj slot[T_SLOTS];	/* the torture's shadow map */
	struct t_obj *sorted[T_SLOTS];
};
static struct slab_test_mem *mem;
static char *cap;

static int slab_suite_init(void)
{
	if (mm_test_machine())
		return 1;
	kmem_cache_init();
	mem = test_buf_alloc(sizeof(*mem));
	if (!mem)
		return 1;
	cap = mem->cap;
	return 0;
}

static void slab_suite_exit(void)
{
	test_buf_free(mem, sizeof(*mem));
	mem = NULL;
	cap = NULL;
}

/* Objects of a fresh cache are distinct, inside the cache's slabs, and the counters follow. */
/* The undo of a case cut short after n allocations from its own cache c: frees them, destroys c. */
static void cache_undo(struct kmem_cache *c, void **obj, int n)
{
	while (n--)
		kmem_cache_free(c, obj[n]);
	kmem_cache_destroy(c);
}

/* One object of c (zeroed with __GFP_ZERO), or NULL with c destroyed: for a case's first allocation. */
static void *cache_alloc_or_undo(struct kmem_cache *c, gfp_t gfp)
{
	void *o = gfp & __GFP_ZERO ? kmem_cache_zalloc(c, gfp & ~__GFP_ZERO) : kmem_cache_alloc(c, gfp);

	if (!o)
		cache_undo(c, NULL, 0);
	return o;
}

static void cache_alloc_free(struct kunit *test)
{
	struct kmem_cache *c = kmem_cache_create("test-basic", 100, 0, 0, NULL);
	void *obj[200];
	struct slabinfo si;
	int i, j;

	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_GE(test, c->stride, 100);
	KUNIT_EXPECT_GE(test, c->objects, 8);
	for (i = 0; i < 200 && (obj[i] = kmem_cache_alloc(c, GFP_KERNEL)); i++) {
		KUNIT_EXPECT_TRUE(test, IS_ALIGNED((unsigned long)obj[i], sizeof(void *)));
		memset(obj[i], i, 100);
	}
	if (i < 200)
		cache_undo(c, obj, i);
	KUNIT_ASSERT_EQ(test, i, 200);
	for (i = 0; i < 200; i++)
		for (j = i + 1; j < 200; j++)
			KUNIT_EXPECT_TRUE(test, (char *)obj[i] + 100 <= (char *)obj[j] ||
					  (char *)obj[j] + 100 <= (char *)obj[i]);
	kmem_cache_get_info(c, &si);
	KUNIT_EXPECT_EQ(test, si.active_objs, 200);
	KUNIT_EXPECT_EQ(test, si.num_objs, si.num_slabs * c->objects);
	KUNIT_EXPECT_GE(test, si.num_objs, 200);
	for (i = 0; i < 200; i++) {
		KUNIT_EXPECT_EQ(test, ((u8 *)obj[i])[99], (u8)i);
		kmem_cache_free(c, obj[i]);
	}
	kmem_cache_get_info(c, &si);
	KUNIT_EXPECT_EQ(test, si.active_objs, 0);
	KUNIT_EXPECT_EQ(test, kmem_cache_validate(c), 0);
	KUNIT_EXPECT_EQ(test, kmem_cache_destroy(c), 0);
	KUNIT_EXPECT_NULL(test, kmem_cache_find("test-basic"));
}

/* kmem_cache_zalloc hands out zeroed objects, also when the object was dirty when freed. */
static void cache_zalloc_zeroes(struct kunit *test)
{
	struct kmem_cache *c = kmem_cache_create("test-zalloc", 200, 0, 0, NULL);
	unsigned int i, nonzero = 0;
	u8 *o;

	KUNIT_ASSERT_NOT_NULL(test, c);
	o = cache_alloc_or_undo(c, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, o);
	memset(o, 0xa5, 200);
	kmem_cache_free(c, o);
	o = cache_alloc_or_undo(c, GFP_KERNEL | __GFP_ZERO);
	KUNIT_ASSERT_NOT_NULL(test, o);
	for (i = 0; i < 200; i++)
		nonzero += o[i] != 0;
	KUNIT_EXPECT_EQ(test, nonzero, 0);
	kmem_cache_free(c, o);
	KUNIT_EXPECT_EQ(test, kmem_cache_destroy(c), 0);
}

/* Every requested alignment holds, with and without red zones in front of the objects. */
static void cache_alignment(struct kunit *test)
{
	static const unsigned int aligns[] = { 8, 16, 32, 64, 128, 256, 512 };
	static const unsigned int sizes[] = { 8, 24, 100, 200, 1000 };
	unsigned int a, s, dbg, i;

	for (dbg = 0; dbg < 2; dbg++)
		for (a = 0; a < ARRAY_SIZE(aligns); a++)
			for (s = 0; s < ARRAY_SIZE(sizes); s++) {
				struct kmem_cache *c = kmem_cache_create("test-align", sizes[s],
					aligns[a], dbg ? SLAB_RED_ZONE | SLAB_POISON : 0, NULL);
				void *o[20];

				KUNIT_ASSERT_NOT_NULL(test, c);
				for (i = 0; i < 20 && (o[i] = kmem_cache_alloc(c, GFP_KERNEL)); i++) {
					KUNIT_EXPECT_EQ(test, (unsigned long)o[i] % aligns[a], 0);
					memset(o[i], 0x11, sizes[s]);
				}
				if (i < 20)
					cache_undo(c, o, i);
				KUNIT_ASSERT_EQ(test, i, 20);
				for (i = 0; i < 20; i++)
					kmem_cache_free(c, o[i]);
				KUNIT_EXPECT_EQ(test, kmem_cache_validate(c), 0);
				KUNIT_EXPECT_EQ(test, kmem_cache_destroy(c), 0);
			}
	{
		struct kmem_cache *c = kmem_cache_create("test-hwalign", 40, 0, SLAB_HWCACHE_ALIGN, NULL);
		void *o;

		KUNIT_ASSERT_NOT_NULL(test, c);
		o = cache_alloc_or_undo(c, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, o);
		KUNIT_EXPECT_EQ(test, (unsigned long)o % L1_CACHE_BYTES, 0);
		kmem_cache_free(c, o);
		kmem_cache_destroy(c);
	}
	KUNIT_EXPECT_NULL(test, kmem_cache_create("test-badalign", 64, 24, 0, NULL));
}

static unsigned int ctor_calls;
static void test_ctor(void *p)
{
	ctor_calls++;
	memset(p, 0xc7, 48);
	((u32 *)p)[0] = 0xc0ffee;
}

/*
 * The constructor runs once per object when its slab is made, and its state
 * survives free/alloc. (An object KFENCE sampled is constructed at each
 * allocation, as in Linux: counted apart.)
 */
static void cache_ctor(struct kunit *test)
{
	struct kmem_cache *c = kmem_cache_create("test-ctor", 48, 0, 0, test_ctor);
	u32 *o[100];
	struct slabinfo si;
	unsigned int sampled = 0;
	int i, round;

	KUNIT_ASSERT_NOT_NULL(test, c);
	ctor_calls = 0;
	for (round = 0; round < 3; round++) {
		for (i = 0; i < 100; i++) {
			o[i] = kmem_cache_alloc(c, GFP_KERNEL);
			if (!o[i])
				cache_undo(c, (void **)o, i);
			KUNIT_ASSERT_NOT_NULL(test, o[i]);
			KUNIT_EXPECT_EQ(test, o[i][0], 0xc0ffee);
			KUNIT_EXPECT_EQ(test, ((u8 *)o[i])[47], 0xc7);
			sampled += round == 0 && is_kfence_address(o[i]);
		}
		if (round == 0) {	/* nothing freed yet: one call per object of each slab */
			kmem_cache_get_info(c, &si);
			KUNIT_EXPECT_EQ(test, ctor_calls, si.num_slabs * c->objects + sampled);
		}
		for (i = 0; i < 100; i++)
			kmem_cache_free(c, o[i]);
	}
	KUNIT_EXPECT_EQ(test, kmem_cache_destroy(c), 0);
}

/* Destroying a cache with live objects names them and keeps the cache working (Linux's rule). */
static void destroy_reports_leaks(struct kunit *test)
{
	struct kmem_cache *c = kmem_cache_create("test-leak", 64, 0, SLAB_STORE_USER, NULL);
	void *o[3], *x;
	char addr[32];
	int i;

	KUNIT_ASSERT_NOT_NULL(test, c);
	for (i = 0; i < 3; i++)
		o[i] = kmem_cache_alloc(c, GFP_KERNEL);
	x = kmem_cache_alloc(c, GFP_KERNEL);
	kmem_cache_free(c, x);
	printk_capture_start(cap, CAP_SIZE);
	KUNIT_EXPECT_EQ(test, kmem_cache_destroy(c), 3);
	printk_capture_stop();
	KUNIT_EXPECT_SUBSTR(test, cap, "BUG test-leak (Not tainted): Objects remaining on kmem_cache_destroy()");
	KUNIT_EXPECT_SUBSTR(test, cap, "kmem_cache_destroy test-leak: Slab cache still has objects (3)");
	for (i = 0; i < 3; i++) {
		snprintf(addr, sizeof(addr), "Object 0x%lx @offset=", (unsigned long)o[i]);
		KUNIT_EXPECT_SUBSTR(test, cap, addr);
	}
	snprintf(addr, sizeof(addr), "Object 0x%lx @offset=", (unsigned long)x);
	KUNIT_EXPECT_TRUE(test, strstr(cap, addr) == NULL);	/* freed: not a leak */
	KUNIT_EXPECT_SUBSTR(test, cap, "Allocated in ");
	/* still a working cache */
	KUNIT_EXPECT_TRUE(test, kmem_cache_find("test-leak") == c);
	x = kmem_cache_alloc(c, GFP_KERNEL);
	KUNIT_EXPECT_NOT_NULL(test, x);
	kmem_cache_free(c, x);
	for (i = 0; i < 3; i++)
		kmem_cache_free(c, o[i]);
	KUNIT_EXPECT_EQ(test, kmem_cache_validate(c), 0);
	KUNIT_EXPECT_EQ(test, kmem_cache_destroy(c), 0);
	KUNIT_EXPECT_NULL(test, kmem_cache_find("test-leak"));
}

/* Slab pages show in NR_SLAB_UNRECLAIMABLE / NR_SLAB_RECLAIMABLE and go back with shrink/destroy. */
static void slab_page_accounting(struct kunit *test)
{
	struct kmem_cache *u = kmem_cache_create("test-unrecl", 512, 0, 0, NULL);
	struct kmem_cache *r = kmem_cache_create("test-recl", 512, 0, SLAB_RECLAIM_ACCOUNT, NULL);
	long unrecl = global_node_page_state(NR_SLAB_UNRECLAIMABLE);
	long recl = global_node_page_state(NR_SLAB_RECLAIMABLE);
	void *a[64], *b[64];
	int i;

	if (kasan_enabled()) {
		kmem_cache_destroy(u);
		kmem_cache_destroy(r);
		kunit_skip(test, "KASAN's quarantine frees other caches' objects at its own pace: the global counts move");
	}
	if (!u || !r) {	/* destroy the one made before asserting */
		kmem_cache_destroy(u);
		kmem_cache_destroy(r);
	}
	KUNIT_ASSERT_NOT_NULL(test, u);
	KUNIT_ASSERT_NOT_NULL(test, r);
	for (i = 0; i < 64; i++) {
		a[i] = kmem_cache_alloc(u, GFP_KERNEL);
		b[i] = kmem_cache_alloc(r, GFP_KERNEL);
	}
	/* 64 objects of 512 bytes: at least 8 pages each */
	KUNIT_EXPECT_GE(test, global_node_page_state(NR_SLAB_UNRECLAIMABLE) - unrecl, 8);
	KUNIT_EXPECT_GE(test, global_node_page_state(NR_SLAB_RECLAIMABLE) - recl, 8);
	KUNIT_EXPECT_EQ(test, global_node_page_state(NR_SLAB_UNRECLAIMABLE) - unrecl,
			global_node_page_state(NR_SLAB_RECLAIMABLE) - recl);
	for (i = 0; i < 64; i++) {
		kmem_cache_free(u, a[i]);
		kmem_cache_free(r, b[i]);
	}
	KUNIT_EXPECT_GT(test, kmem_cache_shrink(u), 0);
	KUNIT_EXPECT_EQ(test, global_node_page_state(NR_SLAB_UNRECLAIMABLE), unrecl);
	KUNIT_EXPECT_GT(test, kmem_cache_shrink(r), 0);
	KUNIT_EXPECT_EQ(test, global_node_page_state(NR_SLAB_RECLAIMABLE), recl);
	KUNIT_EXPECT_EQ(test, kmem_cache_destroy(u), 0);
	KUNIT_EXPECT_EQ(test, kmem_cache_destroy(r), 0);
}

/* Empty slabs beyond min_empty go back to the buddy as soon as they empty. */
static void empty_slabs_released(struct kunit *test)
{
	struct kmem_cache *c = kmem_cache_create("test-empty", 256, 0, SLAB_CONSISTENCY_CHECKS, NULL);
	void *o[160];
	struct slabinfo si;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, c);
	for (i = 0; i < 160; i++)
		o[i] = kmem_cache_alloc(c, GFP_KERNEL);
	kmem_cache_get_info(c, &si);
	KUNIT_EXPECT_EQ(test, si.num_slabs, DIV_ROUND_UP(160, c->objects));
	for (i = 0; i < 160; i++)
		kmem_cache_free(c, o[i]);
	kmem_cache_get_info(c, &si);
	KUNIT_EXPECT_EQ(test, si.num_slabs, c->min_empty);
	KUNIT_EXPECT_EQ(test, si.active_slabs, 0);
	kmem_cache_destroy(c);
}

/* /proc/slabinfo: Linux 2.1 header, and a row in its exact column format for each cache. */
static void slabinfo_format(struct kunit *test)
{
	const struct debugfs_file *f = debugfs_lookup("/proc/slabinfo");
	struct kmem_cache *c = kmem_cache_create("test-info", 200, 0, 0, NULL);
	char *buf = mem->info;
	char row[160];
	struct seq_buf s;
	struct slabinfo si;
	void *o[30];
	int i;

	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_ASSERT_NOT_NULL(test, c);
	if (!(c->flags & SLAB_DEBUG_FLAGS))	/* slub_debug= adds red zones and tracks */
		KUNIT_EXPECT_EQ(test, c->stride, 200);
	for (i = 0; i < 30; i++)
		o[i] = kmem_cache_alloc(c, GFP_KERNEL);
	kmem_cache_free(c, o[29]);
	seq_buf_init(&s, buf, sizeof(mem->info));
	f->show(&s);
	KUNIT_EXPECT_EQ(test, strncmp(buf, "slabinfo - version: 2.1\n# name            <active_objs> "
		"<num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> "
		"<sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>\n", 190), 0);
	kmem_cache_get_info(c, &si);
	KUNIT_EXPECT_EQ(test, si.active_objs, 29);
	snprintf(row, sizeof(row), "\ntest-info         %6lu %6lu %6u %4u %4d : tunables %4u %4u %4u "
		 ": slabdata %6lu %6lu      0\n", 29UL, si.num_objs, c->stride, c->objects, 1 << c->order,
		 c->limit, c->batch, c->batch ? c->shared_limit / c->batch : 0, si.active_slabs,
		 si.num_slabs);
	KUNIT_EXPECT_SUBSTR(test, buf, row);
	KUNIT_EXPECT_SUBSTR(test, buf, "\nkmalloc-64         ");
	KUNIT_EXPECT_SUBSTR(test, buf, "\nkmalloc-8k         ");
	for (i = 0; i < 29; i++)
		kmem_cache_free(c, o[i]);
	kmem_cache_destroy(c);
}

/*
 * Torture: 10^6 random operations (kmalloc of 1..20000 bytes, krealloc, three
 * caches, frees) against a shadow map kept sorted by address. Every new object
 * must not overlap any live one; every object's pattern must be intact when it
 * is reallocated or freed.
 */
/*
 * Operations: 10^6 on the host; 2 x 10^5 in a kernel, where under QEMU each costs
 * about 40 us (the allocator's paths, the shadow map's memmove and the checks);
 * 10^5 under KASAN, where every access is a call as well.
 */
#if __STDC_HOSTED__
#define T_OPS 1000000
#else
#define T_OPS (kasan_enabled() ? 100000 : 200000)
#endif
static unsigned int t_nsorted;
static struct kmem_cache *t_cache[3];

static unsigned int t_find(const u8 *p)	/* first sorted index with address >= p */
{
	unsigned int lo = 0, hi = t_nsorted;

	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;

		if (mem->sorted[mid]->p < p)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool t_insert(struct t_obj *o)
{
	unsigned int i = t_find(o->p);

	if (i > 0 && mem->sorted[i - 1]->p + mem->sorted[i - 1]->size > o->p)
		return false;
	if (i < t_nsorted && o->p + o->size > mem->sorted[i]->p)
		return false;
	memmove(&mem->sorted[i + 1], &mem->sorted[i], (t_nsorted - i) * sizeof(mem->sorted[0]));
	mem->sorted[i] = o;
	t_nsorted++;
	return true;
}

static void t_remove(struct t_obj *o)
{
	unsigned int i = t_find(o->p);

	if (i == t_nsorted || mem->sorted[i] != o)
		return;
	memmove(&mem->sorted[i], &mem->sorted[i + 1], (t_nsorted - i - 1) * sizeof(mem->sorted[0]));
	t_nsorted--;
}

/*
 * The pattern: byte k of an object is seed + k, written and checked at the head
 * (128 bytes), the tail (128 bytes) and every 61st byte between: cheap enough
 * for 10^6 operations under QEMU, dense enough to see any overlap or stray copy.
 */
#define T_EDGE 128
#define T_FOR_EACH_POS(k, size, from, upto) \
	for (k = (from); k < (upto); k = (k < T_EDGE || k + T_EDGE >= (size)) ? k + 1 : \
	     min((u32)(k + 61 - k % 61), (u32)((size) - T_EDGE)))

static void t_fill(struct t_obj *o, u32 from)
{
	u32 k;

	T_FOR_EACH_POS(k, o->size, from, o->size)
		o->p[k] = (u8)(o->seed + k);
}

static bool t_check(const struct t_obj *o, u32 upto)
{
	u32 k;

	T_FOR_EACH_POS(k, o->size, 0, upto)
		if (o->p[k] != (u8)(o->seed + k))
			return false;
	return true;
}

static u32 t_size(u64 r)
{
	u32 pick = (u32)(r % 100);

	r >>= 8;
	if (pick < 60)
		return 1 + (u32)(r % 256);
	if (pick < 90)
		return 257 + (u32)(r % 3840);
	if (pick < 98)
		return 4097 + (u32)(r % 4096);
	return 8193 + (u32)(r % 12000);
}

static void t_free(struct t_obj *o)
{
	t_remove(o);
	if (o->kind)
		kmem_cache_free(t_cache[o->kind - 1], o->p);
	else
		kfree(o->p);
	o->p = NULL;
}

static void slab_torture(struct kunit *test)
{
	static const unsigned int csize[3] = { 24, 200, 1000 };
	unsigned int bad_overlap = 0, bad_content = 0, fails = 0, made, i;
	long large0 = global_node_page_state(NR_KMALLOC_LARGE);
	u64 rnd = 0x51ab;
	u32 op;

	t_nsorted = 0;
	memset(mem->slot, 0, sizeof(mem->slot));
	for (made = 0; made < 3; made++) {
		t_cache[made] = kmem_cache_create(made == 0 ? "torture-24" : made == 1 ? "torture-200"
						  : "torture-1000", csize[made], 0, 0, NULL);
		if (!t_cache[made])
			break;
	}
	for (i = made; made < 3 && i--; )	/* one was not made: destroy the others, then fail */
		kmem_cache_destroy(t_cache[i]);
	KUNIT_ASSERT_EQ(test, made, 3);
	for (op = 0; op < T_OPS; op++) {
		u64 r = kunit_rand(&rnd);
		struct t_obj *o = &mem->slot[r % T_SLOTS];
		u32 act = (u32)(r >> 16) % 10;

		r = kunit_rand(&rnd);
		if (o->p && act < 2 && !o->kind) {	/* krealloc */
			u32 ns = t_size(r), keep = min(ns, o->size);
			u8 *np;

			bad_content += !t_check(o, o->size);
			t_remove(o);
			np = krealloc(o->p, ns, GFP_KERNEL);
			if (!np) {
				fails++;
				t_insert(o);
				continue;
			}
			o->p = np;
			bad_content += !t_check(o, keep);	/* the prefix moved intact */
			o->size = ns;
			t_fill(o, 0);
			if (!t_insert(o)) {	/* overlaps a live object: report, forget it */
				bad_overlap++;
				o->p = NULL;
			}
		} else if (o->p) {
			bad_content += !t_check(o, o->size);
			t_free(o);
		} else {
			o->kind = (u8)((r >> 40) % 4 == 0 ? 1 + (r >> 44) % 3 : 0);
			o->size = o->kind ? csize[o->kind - 1] : t_size(r);
			o->seed = (u8)(r >> 56);
			o->p = o->kind ? kmem_cache_alloc(t_cache[o->kind - 1], GFP_KERNEL)
				: kmalloc(o->size, GFP_KERNEL);
			if (!o->p) {
				fails++;
				continue;
			}
			t_fill(o, 0);
			if (!t_insert(o)) {
				bad_overlap++;
				o->p = NULL;
			}
		}
		if ((op & 0x3ffff) == 0)
			for (i = 0; i < 3; i++)
				KUNIT_EXPECT_EQ(test, kmem_cache_validate(t_cache[i]), 0);
	}
	for (i = 0; i < T_SLOTS; i++)
		if (mem->slot[i].p) {
			bad_content += !t_check(&mem->slot[i], mem->slot[i].size);
			t_free(&mem->slot[i]);
		}
	KUNIT_EXPECT_EQ(test, bad_overlap, 0);
	KUNIT_EXPECT_EQ(test, bad_content, 0);
	KUNIT_EXPECT_EQ(test, fails, 0);
	KUNIT_EXPECT_EQ(test, t_nsorted, 0);
	KUNIT_EXPECT_EQ(test, global_node_page_state(NR_KMALLOC_LARGE), large0);
	for (i = 0; i < 3; i++) {
		KUNIT_EXPECT_EQ(test, kmem_cache_validate(t_cache[i]), 0);
		KUNIT_EXPECT_EQ(test, kmem_cache_destroy(t_cache[i]), 0);
	}
}

kunit_test_suite_init(slab, slab_suite_init, slab_suite_exit,
	KUNIT_CASE(cache_alloc_free),
	KUNIT_CASE(cache_zalloc_zeroes),
	KUNIT_CASE(cache_alignment),
	KUNIT_CASE(cache_ctor),
	KUNIT_CASE(destroy_reports_leaks),
	KUNIT_CASE(slab_page_accounting),
	KUNIT_CASE(empty_slabs_released),
	KUNIT_CASE(slabinfo_format),
	KUNIT_CASE(slab_torture));
