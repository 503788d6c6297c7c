/* slab_debug.c: slub_debug= parsing, red zones, poisoning, caller tracking, Linux-style BUG reports, validation. */
#include "slab_internal.h"
#include <kernel/param.h>
#include <kernel/kallsyms.h>
#include <kernel/printk.h>
#include <kernel/smp.h>
#include <stdio.h>
#include <string.h>

/*
 * slub_debug, Linux's syntax:
 *   slub_debug                    F, Z, P and U for every cache
 *   slub_debug=FZPU               the given flags for every cache
 *   slub_debug=FZ,kmalloc-64,foo* the flags for the named caches (a trailing * matches a prefix)
 *   blocks separated by ';' combine; "-" turns debugging off.
 * F: consistency checks on every free   Z: red zones   P: poisoning   U: caller tracking.
 */
#define SLUB_DEBUG_BLOCKS 8
static char slub_debug_text[256];	/* parsed in place: ',' and ';' become ends */
static char slub_debug_original[256];
static struct {
	unsigned int flags;
	const char *names;	/* comma-separated list inside slub_debug_text, "" = all */
} slub_debug_blocks[SLUB_DEBUG_BLOCKS];
static unsigned int slub_debug_nr;

static int parse_flags(const char *s, const char *end, unsigned int *flags)
{
	*flags = 0;
	if (s == end) {
		*flags = SLAB_DEBUG_FLAGS;
		return 0;
	}
	for (; s < end; s++) {
		if (*s == '-')		/* "-": no debugging */
			continue;
		switch (*s | 0x20) {	/* letters in either case, as Linux */
		case 'f': *flags |= SLAB_CONSISTENCY_CHECKS; break;
		case 'z': *flags |= SLAB_RED_ZONE; break;
		case 'p': *flags |= SLAB_POISON; break;
		case 'u': *flags |= SLAB_STORE_USER; break;
		default: return *s;
		}
	}
	return 0;
}

/* setup_slub_debug: the early_param hook; a bad value leaves debugging off and says why. */
int setup_slub_debug(const char *val)
{
	char *s, *next;

	slub_debug_nr = 0;
	strncpy(slub_debug_text, val ? val : "", sizeof(slub_debug_text) - 1);
	slub_debug_text[sizeof(slub_debug_text) - 1] = '\0';
	for (s = slub_debug_text; s; s = next) {
		char *comma = strchr(s, ','), *end;
		unsigned int flags;
		int bad;

		next = strchr(s, ';');
		if (next)
			*next++ = '\0';
		end = comma ? comma : s + strlen(s);
		bad = parse_flags(s, end, &flags);
		if (bad || slub_debug_nr == SLUB_DEBUG_BLOCKS) {
			pr_err("slub_debug: %s in \"%s\"; slab debugging stays off\n",
			       bad ? "unknown option" : "too many blocks", val);
			if (bad)
				pr_err("slub_debug: option '%c' unknown (valid: F Z P U -)\n", bad);
			slub_debug_nr = 0;
			return -1;
		}
		slub_debug_blocks[slub_debug_nr].flags = flags;
		slub_debug_blocks[slub_debug_nr++].names = comma ? comma + 1 : "";
	}
	strncpy(slub_debug_original, val ? val : "", sizeof(slub_debug_original) - 1);
	return 0;
}
early_param("slub_debug", setup_slub_debug);

const char *slub_debug_string(void)
{
	return slub_debug_nr ? slub_debug_original : NULL;
}

void slub_debug_report(void)
{
	const char *v = slub_debug_string();

	if (!v)
		return;
	if (!*v)
		printk("slub_debug: FZPU for all caches (consistency checks, red zones, poisoning, "
		       "caller tracking)\n");
	else if (!strchr(v, ',') && !strchr(v, ';'))
		printk("slub_debug: %s for all caches\n", v);
	else
		printk("slub_debug: \"%s\" (flags for the caches named)\n", v);
}

static bool name_in_list(const char *name, const char *list)
{
	size_t n = strlen(name);

	while (*list) {
		const char *e = strchr(list, ',');
		size_t len = e ? (size_t)(e - list) : strlen(list);

		if (len && list[len - 1] == '*' ? !strncmp(name, list, len - 1)
		    : (len == n && !strncmp(name, list, n)))
			return true;
		list += len + (e ? 1 : 0);
	}
	return false;
}

unsigned int slub_debug_flags_for(const char *name)
{
	unsigned int i, flags = 0;

	for (i = 0; i < slub_debug_nr; i++)
		if (!*slub_debug_blocks[i].names || name_in_list(name, slub_debug_blocks[i].names))
			flags |= slub_debug_blocks[i].flags;
	return flags;
}

/* ---- reports ---------------------------------------------------------------------------- */

static unsigned long slab_offset(struct page *pg, const void *p)
{
	return (unsigned long)((const char *)p - (const char *)slab_base(pg));
}

static void print_track(struct kmem_cache *c, void *obj, int which, const char *verb)
{
	struct slab_track *t = (struct slab_track *)((char *)obj + c->track_offset) + which;
	char sym[96];

	if (t->addr)
		pr_err("%s in %s when=%lu\n", verb, sprint_symbol(sym, sizeof(sym), t->addr), t->when);
	else
		pr_err("%s in (never)\n", verb);
}

static void hexdump(const char *what, const u8 *p, unsigned int len)
{
	char line[3 * 16 + 1];
	unsigned int i;

	for (i = 0; i < len && i < 16; i++) {
		line[3 * i] = ' ';
		line[3 * i + 1] = "0123456789abcdef"[p[i] >> 4];
		line[3 * i + 2] = "0123456789abcdef"[p[i] & 15];
	}
	line[3 * i] = '\0';
	pr_err("%-9s0x%lx:%s\n", what, (unsigned long)p, line);
}

/*
 * slab_report: Linux's "BUG cache (Not tainted): message" block, then the slab,
 * the object (slab-relative @offset), its last alloc/free (SLAB_STORE_USER) and
 * the caller of the operation that found the problem. pg or obj may be NULL.
 */
atomic_t slab_report_count;

void slab_report(struct kmem_cache *c, struct page *pg, const void *obj, const char *msg,
		 unsigned long caller)
{
	char sym[96];

	atomic_inc(&slab_report_count);
	pr_err("=============================================================================\n");
	pr_err("BUG %s (Not tainted): %s\n", c->name, msg);
	pr_err("-----------------------------------------------------------------------------\n");
	if (pg)
		pr_err("Slab 0x%lx objects=%u used=%u freeidx=%u order=%u\n",
		       (unsigned long)slab_base(pg), c->objects, pg->inuse, pg->freeidx, c->order);
	if (pg && obj) {
		int idx = obj_index_containing(c, pg, obj);
		void *o = idx >= 0 ? slab_object(c, pg, (unsigned int)idx) : (void *)obj;

		pr_err("Object 0x%lx @offset=%lu\n", (unsigned long)o, slab_offset(pg, o));
		if (o != obj)
			pr_err("Pointer 0x%lx is @offset=%lu inside object 0x%lx (size %u)\n",
			       (unsigned long)obj, (unsigned long)((const char *)obj - (char *)o),
			       (unsigned long)o, c->object_size);
		if (idx >= 0 && (c->flags & SLAB_STORE_USER)) {
			print_track(c, o, 0, "Allocated");
			print_track(c, o, 1, "Freed");
		}
		if (idx >= 0)
			hexdump("Object", o, c->object_size);
	}
	if (caller)
		pr_err("Caller %s\n", sprint_symbol(sym, sizeof(sym), caller));
}

void slab_fix(struct kmem_cache *c, const char *fmt, ...)
{
	char buf[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	pr_err("FIX %s: %s\n", c->name, buf);
}

/* ---- object state ----------------------------------------------------------------------- */

static u8 *right_rz(struct kmem_cache *c, void *obj) { return (u8 *)obj + c->object_size; }
static unsigned int right_rz_len(struct kmem_cache *c)
{
	return c->inuse + sizeof(void *) - c->object_size;
}
static bool poisons(struct kmem_cache *c) { return (c->flags & SLAB_POISON) && !c->ctor; }

static void set_red_zones(struct kmem_cache *c, void *obj, u8 val)
{
	if (!(c->flags & SLAB_RED_ZONE))
		return;
	memset((u8 *)obj - c->red_left, val, c->red_left);
	memset(right_rz(c, obj), val, right_rz_len(c));
}

static void poison_object(struct kmem_cache *c, void *obj, u8 val)
{
	if (!poisons(c))
		return;
	memset(obj, val, c->object_size);
	if (val == POISON_FREE)
		((u8 *)obj)[c->object_size - 1] = POISON_END;
}

/* Finds the first byte of [p, p+len) that is not val; reports it and restores the range. */
static int check_bytes(struct kmem_cache *c, struct page *pg, void *obj, const char *what,
		       u8 *p, unsigned int len, u8 val, u8 last)
{
	unsigned int i, j;
	char msg[48];

	for (i = 0; i < len; i++)
		if (p[i] != (i == len - 1 ? last : val))
			break;
	if (i == len)
		return 0;
	for (j = len; j > i + 1 && p[j - 1] == (j == len ? last : val); j--)
		;
	snprintf(msg, sizeof(msg), "%s overwritten", what);
	slab_report(c, pg, obj, msg, 0);
	pr_err("0x%lx-0x%lx @offset=%lu. First byte 0x%x instead of 0x%x\n",
	       (unsigned long)(p + i), (unsigned long)(p + j - 1), slab_offset(pg, p + i), p[i],
	       i == len - 1 ? last : val);
	memset(p, val, len);
	p[len - 1] = last;
	slab_fix(c, "Restoring %s 0x%lx-0x%lx=0x%x", what, (unsigned long)p,
		 (unsigned long)(p + len - 1), val);
	return 1;
}

static int check_red_zones(struct kmem_cache *c, struct page *pg, void *obj, u8 val)
{
	int err = 0;

	if (!(c->flags & SLAB_RED_ZONE))
		return 0;
	err += check_bytes(c, pg, obj, "Left Redzone", (u8 *)obj - c->red_left, c->red_left, val, val);
	err += check_bytes(c, pg, obj, "Right Redzone", right_rz(c, obj), right_rz_len(c), val, val);
	return err;
}

/* A free object: red zones inactive and poison intact (a write after free shows here). */
int slab_debug_check_free_object(struct kmem_cache *c, struct page *pg, void *obj)
{
	int err = check_red_zones(c, pg, obj, SLUB_RED_INACTIVE);

	if (poisons(c))
		err += check_bytes(c, pg, obj, "Poison", obj, c->object_size, POISON_FREE, POISON_END);
	return err;
}

static void set_track(struct kmem_cache *c, void *obj, int which, unsigned long caller)
{
	struct slab_track *t;

	if (!(c->flags & SLAB_STORE_USER))
		return;
	t = (struct slab_track *)((char *)obj + c->track_offset) + which;
	t->addr = caller;
	t->when = ++c->ops;
}

void slab_debug_init_object(struct kmem_cache *c, void *obj)
{
	poison_object(c, obj, POISON_FREE);
	set_red_zones(c, obj, SLUB_RED_INACTIVE);
	if (c->flags & SLAB_STORE_USER)
		memset((char *)obj + c->track_offset, 0, 2 * sizeof(struct slab_track));
}

void slab_debug_on_alloc(struct kmem_cache *c, struct page *pg, void *obj, unsigned long caller)
{
	slab_debug_check_free_object(c, pg, obj);
	poison_object(c, obj, POISON_INUSE);
	set_red_zones(c, obj, SLUB_RED_ACTIVE);
	set_track(c, obj, 0, caller);
}

bool slab_on_freelist(struct kmem_cache *c, struct page *pg, void *obj)
{
	unsigned int n = 0;
	void *p;

	if (pg->freeidx == SLAB_NO_FREE)
		return false;
	for (p = slab_object(c, pg, pg->freeidx); p && n < c->objects; n++) {
		if (p == obj)
			return true;
		p = get_freeptr(c, p);
		if (p && obj_index(c, pg, p) < 0)
			return false;
	}
	return false;
}

/* slab_debug_on_free: checks a free in a debug cache; false = reported, do not free. */
bool slab_debug_on_free(struct kmem_cache *c, struct page *pg, void *obj, unsigned long caller)
{
	if (obj_index(c, pg, obj) < 0) {
		slab_report(c, pg, obj, obj_index_containing(c, pg, obj) >= 0 ?
			    "Free of a pointer inside an object" : "Invalid object pointer", caller);
		slab_fix(c, "Object at 0x%lx not freed", (unsigned long)obj);
		return false;
	}
	if (slab_on_freelist(c, pg, obj)) {
		slab_report(c, pg, obj, "Object already free", caller);
		slab_fix(c, "Object at 0x%lx not freed", (unsigned long)obj);
		return false;
	}
	check_red_zones(c, pg, obj, SLUB_RED_ACTIVE);
	set_track(c, obj, 1, caller);
	poison_object(c, obj, POISON_FREE);
	set_red_zones(c, obj, SLUB_RED_INACTIVE);
	return true;
}

/* ---- whole-cache checks ----------------------------------------------------------------- */

#define SLAB_MAX_OBJECTS 1024

/* Marks the free objects of pg in map; returns errors (a broken or too long freelist). */
static int mark_free(struct kmem_cache *c, struct page *pg, unsigned long *map)
{
	unsigned int n = 0, lpw = 8 * sizeof(long);
	void *p = pg->freeidx == SLAB_NO_FREE ? NULL : slab_object(c, pg, pg->freeidx);

	memset(map, 0, SLAB_MAX_OBJECTS / 8);
	while (p) {
		int idx = obj_index(c, pg, p);

		if (idx < 0 || (map[idx / lpw] & (1UL << (idx % lpw))) || ++n > c->objects) {
			slab_report(c, pg, NULL, "Freelist corrupt", 0);
			return 1;
		}
		map[idx / lpw] |= 1UL << (idx % lpw);
		p = get_freeptr(c, p);
	}
	if (n != c->objects - pg->inuse) {
		slab_report(c, pg, NULL, "Wrong object count", 0);
		pr_err("Freelist has %u objects, counters say %u\n", n, c->objects - pg->inuse);
		return 1;
	}
	return 0;
}

static int validate_slab(struct kmem_cache *c, struct page *pg)
{
	unsigned long map[SLAB_MAX_OBJECTS / (8 * sizeof(long))];
	unsigned int i, lpw = 8 * sizeof(long);
	int err;

	if (!PageSlab(pg) || pg->slab_cache != c) {
		pr_err("BUG %s: page on its lists is not one of its slabs\n", c->name);
		return 1;
	}
	err = mark_free(c, pg, map);
	if (err || !cache_debug(c))
		return err;
	for (i = 0; i < c->objects; i++) {
		void *obj = slab_object(c, pg, i);

		if (map[i / lpw] & (1UL << (i % lpw)))
			err += slab_debug_check_free_object(c, pg, obj);
		else
			err += check_red_zones(c, pg, obj, SLUB_RED_ACTIVE);
	}
	return err;
}

int kmem_cache_validate(struct kmem_cache *c)
{
	struct list_head *lists[3] = { &c->partial, &c->full, &c->empty };
	unsigned long flags;
	struct page *pg;
	int i, err = 0;

	slab_lock_irqsave(&c->lock, flags);
	for (i = 0; i < 3; i++)
		list_for_each_entry(pg, lists[i], lru)
			err += validate_slab(c, pg);
	slab_unlock_irqrestore(&c->lock, flags);
	return err;
}

/* Prints each object of pg still allocated (at most 16 per slab). */
void slab_print_leaks(struct kmem_cache *c, struct page *pg)
{
	unsigned long map[SLAB_MAX_OBJECTS / (8 * sizeof(long))];
	unsigned int i, shown = 0, lpw = 8 * sizeof(long);

	if (mark_free(c, pg, map))
		return;
	for (i = 0; i < c->objects && shown < 16; i++) {
		void *obj = slab_object(c, pg, i);

		if (map[i / lpw] & (1UL << (i % lpw)))
			continue;
		pr_err("Object 0x%lx @offset=%lu leaked\n", (unsigned long)obj, slab_offset(pg, obj));
		if (c->flags & SLAB_STORE_USER)
			print_track(c, obj, 0, "Allocated");
		shown++;
	}
}

/* Runs on each CPU (on_each_cpu): gives its own array of every cache back to the slabs. */
static void drain_all_caches_cpu(void *info)
{
	struct kmem_cache *c;

	(void)info;
	spin_lock(&slab_caches_lock);	/* interrupts are masked: a cross call's function */
	list_for_each_entry(c, &slab_caches, list)
		slab_drain_cpu(c);
	spin_unlock(&slab_caches_lock);
}

/*
 * kmem_cache_shrink_all: every CPU's per-CPU objects (one cross call for all
 * the caches) and then every empty slab go back to the buddy. `selftest` ends
 * with it, so what a run leaves behind (a leak) can be told apart from what the
 * caches merely kept.
 */
unsigned long kmem_cache_shrink_all(void)
{
	struct kmem_cache *c;
	unsigned long flags, freed = 0;
	cpumask_t mask = 0;

	kasan_cache_shutdown(NULL);	/* KASAN's quarantine first: its objects go back to their slabs */
	slab_lock_irqsave(&slab_caches_lock, flags);
	list_for_each_entry(c, &slab_caches, list)
		mask |= slab_cpus_holding(c);
	slab_unlock_irqrestore(&slab_caches_lock, flags);
	if (mask)	/* the CPUs holding objects drain, all caches in one cross call */
		on_each_cpu_mask(mask, drain_all_caches_cpu, NULL, 1);
	slab_lock_irqsave(&slab_caches_lock, flags);
	list_for_each_entry(c, &slab_caches, list)
		freed += slab_shrink_empty(c);
	slab_unlock_irqrestore(&slab_caches_lock, flags);
	return freed;
}

void slab_set_freeptr(struct kmem_cache *c, void *obj, void *next)
{
	set_freeptr(c, obj, next);
}

#define RECLAIM_MAX_OBJECTS	4096	/* the most objects a slab has (order 3, 8-byte objects) */

/*
 * kmem_cache_reclaim_isolated: for a test that isolated a slab on purpose (a
 * corrupted free pointer): once the caller holds no object of the slab that
 * holds obj, the objects the isolation lost — counted in use, on no freelist
 * — are freed, so the cache can be destroyed. Walks the slab's freelist (after
 * flushing the per-CPU objects) to know which objects are already free.
 * Returns the objects freed, or -1 if the freelist is still unreadable.
 */
int kmem_cache_reclaim_isolated(struct kmem_cache *c, const void *obj)
{
	static bool is_free[RECLAIM_MAX_OBJECTS];
	struct page *pg = virt_to_slab_page(obj);
	unsigned int i, n = 0, idx;
	unsigned long flags;
	int freed = 0;

	if (c->objects > RECLAIM_MAX_OBJECTS)
		return -1;
	kmem_cache_shrink(c);
	memset(is_free, 0, sizeof(is_free));
	slab_lock_irqsave(&c->lock, flags);
	for (idx = pg->freeidx; idx != SLAB_NO_FREE; n++) {
		void *next = get_freeptr(c, slab_object(c, pg, idx));
		int nidx = next ? obj_index(c, pg, next) : (int)SLAB_NO_FREE;

		if (n == c->objects || nidx < 0)
			break;
		is_free[idx] = true;
		idx = (unsigned int)nidx;
	}
	slab_unlock_irqrestore(&c->lock, flags);
	if (idx != SLAB_NO_FREE)
		return -1;
	for (i = 0; i < c->objects; i++)
		if (!is_free[i]) {
			kmem_cache_free(c, slab_object(c, pg, i));
			freed++;
		}
	return freed;
}
