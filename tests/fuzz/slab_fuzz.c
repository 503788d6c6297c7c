/* slab_fuzz.c: libFuzzer target — random kmalloc/kfree/krealloc/cache create/alloc/free/destroy sequences
 * (and two misuses) checked against a shadow of the live objects. Host only: make fuzz. */
#include <mm/slab.h>
#include <mm/mm.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <test_machine.h>

#define SLOTS	64
#define CACHES	4

struct shadow { uint8_t *p; size_t size; uint8_t seed; int8_t cache; };
static struct shadow live[SLOTS];
static struct kmem_cache *caches[CACHES];
static unsigned int cache_size[CACHES], cache_serial;

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "slab_fuzz: %s failed at line %d\n", #c, __LINE__); \
			       abort(); } } while (0)

/* The input as a stream of bytes; reads past the end give 0. */
struct input { const uint8_t *d; size_t n, i; };
static unsigned int next8(struct input *in) { return in->i < in->n ? in->d[in->i++] : 0; }
static unsigned int next16(struct input *in) { return next8(in) | next8(in) << 8; }

static void fill(struct shadow *s, size_t from)
{
	for (size_t k = from; k < s->size; k++)
		s->p[k] = (uint8_t)(s->seed + k * 31);
}

static void check(const struct shadow *s, size_t upto)
{
	for (size_t k = 0; k < upto; k++)
		CHECK(s->p[k] == (uint8_t)(s->seed + k * 31));
}

/* A new object must not overlap any live one. */
static void check_disjoint(const struct shadow *s)
{
	for (int i = 0; i < SLOTS; i++)
		if (live[i].p && &live[i] != s)
			CHECK(s->p + s->size <= live[i].p || live[i].p + live[i].size <= s->p);
}

static void release(struct shadow *s)
{
	check(s, s->size);
	if (s->cache >= 0)
		kmem_cache_free(caches[s->cache], s->p);
	else
		kfree(s->p);
	s->p = NULL;
}

static void do_alloc(struct shadow *s, struct input *in, unsigned int op)
{
	unsigned int ci = next8(in) % CACHES;

	s->seed = (uint8_t)next8(in);
	if (op == 1 && caches[ci]) {
		s->cache = (int8_t)ci;
		s->size = cache_size[ci];
		s->p = kmem_cache_alloc(caches[ci], GFP_KERNEL);
	} else {
		s->cache = -1;
		s->size = next16(in) % (op == 2 ? 70000 : 9000);
		s->p = kmalloc(s->size, GFP_KERNEL | (op == 3 ? __GFP_ZERO : 0));
		if (s->size == 0) {
			CHECK(s->p == ZERO_SIZE_PTR);
			s->p = NULL;
			return;
		}
		for (size_t k = 0; op == 3 && k < s->size; k++)
			CHECK(s->p[k] == 0);
	}
	CHECK(s->p != NULL);
	CHECK(ksize(s->p) >= s->size);
	check_disjoint(s);
	fill(s, 0);
}

static void do_realloc(struct shadow *s, struct input *in)
{
	size_t ns = 1 + next16(in) % 20000, keep = ns < s->size ? ns : s->size;
	uint8_t *np;

	check(s, s->size);
	np = krealloc(s->p, ns, GFP_KERNEL);
	CHECK(np != NULL);
	s->p = np;
	check(s, keep);
	s->size = ns;
	check_disjoint(s);
	fill(s, keep);
}

static void do_cache(struct input *in)
{
	static const unsigned int flag_sets[4] = { 0, SLAB_HWCACHE_ALIGN, SLAB_RED_ZONE | SLAB_POISON,
						   SLAB_CONSISTENCY_CHECKS | SLAB_STORE_USER | SLAB_RECLAIM_ACCOUNT };
	unsigned int ci = next8(in) % CACHES, v = next16(in);
	char name[24];

	if (caches[ci]) {	/* destroy: free its objects first, then no leak may remain */
		for (int i = 0; i < SLOTS; i++)
			if (live[i].p && live[i].cache == (int8_t)ci)
				release(&live[i]);
		CHECK(kmem_cache_validate(caches[ci]) == 0);
		CHECK(kmem_cache_destroy(caches[ci]) == 0);
		caches[ci] = NULL;
		return;
	}
	snprintf(name, sizeof(name), "fuzz-%u", cache_serial++);
	cache_size[ci] = 1 + v % 3000;
	caches[ci] = kmem_cache_create(name, cache_size[ci], 1u << (v >> 13), flag_sets[next8(in) % 4], NULL);
	CHECK(caches[ci] != NULL);
}

/* Misuse that must be reported and ignored: a repeated kfree, and a kfree inside a live object. */
static void do_misuse(struct shadow *s, struct input *in)
{
	if (s->cache >= 0 || s->size < 16)
		return;
	if (next8(in) & 1) {
		kfree(s->p + 8);	/* interior: reported, object stays live */
		check(s, s->size);
		return;
	}
	check(s, s->size);
	kfree(s->p);
	if (s->size <= KMALLOC_MAX_CACHE_SIZE)
		kfree(s->p);	/* double free right after: reported, ignored */
	s->p = NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	struct input in = { data, size, 0 };

	if (!ready) {
		setenv("PAGODA_QUIET_LOG", "1", 1);
		CHECK(mm_test_machine() == 0);
		kmem_cache_init();
		ready = 1;
	}
	while (in.i < in.n) {
		unsigned int op = next8(&in);
		struct shadow *s = &live[next8(&in) % SLOTS];

		switch (op % 8) {
		case 0: case 1: case 2: case 3:
			if (s->p)
				release(s);
			else
				do_alloc(s, &in, op % 8);
			break;
		case 4: if (s->p && s->cache < 0) do_realloc(s, &in); break;
		case 5: do_cache(&in); break;
		case 6: if (s->p) do_misuse(s, &in); break;
		case 7: if (s->p) release(s); break;
		}
	}
	for (int i = 0; i < SLOTS; i++)
		if (live[i].p)
			release(&live[i]);
	for (int i = 0; i < CACHES; i++)
		if (caches[i]) {
			CHECK(kmem_cache_validate(caches[i]) == 0);
			CHECK(kmem_cache_destroy(caches[i]) == 0);
			caches[i] = NULL;
		}
	CHECK(kmem_cache_validate(kmalloc_slab(64)) == 0);
	return 0;
}
