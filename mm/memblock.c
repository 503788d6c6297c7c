/* memblock.c: sorted, merged arrays of RAM and reservations, and top-down boot allocation. */
#include <mm/memblock.h>
#include <kernel/bug.h>
#include <kernel/debugfs.h>
#include <kernel/kallsyms.h>
#include <kernel/printk.h>
#include <asm/memory.h>
#include <string.h>

static struct memblock_region memory_init_regions[INIT_MEMBLOCK_REGIONS];
static struct memblock_region reserved_init_regions[INIT_MEMBLOCK_REGIONS];

struct memblock memblock = {
	.current_limit = MEMBLOCK_ALLOC_ANYWHERE,
	.memory = { 0, INIT_MEMBLOCK_REGIONS, memory_init_regions, "memory" },
	.reserved = { 0, INIT_MEMBLOCK_REGIONS, reserved_init_regions, "reserved" },
};

static inline paddr_t region_end(const struct memblock_region *r)
{
	return r->base + r->size;
}

/* A change after the hand-over to the buddy would go unseen by it: refuse and say who tried. */
static bool memblock_check_live(const char *op, paddr_t base, paddr_t size, unsigned long caller)
{
	char sym[96];

	if (!memblock.retired)
		return true;
	printk("WARNING: %s(0x%016llx, 0x%llx) after memblock was retired (the buddy allocator owns RAM), caller %s\n",
	       op, (unsigned long long)base, (unsigned long long)size, sprint_symbol(sym, sizeof(sym), caller));
	return false;
}

/* A range that wraps past the top of the physical address space is a caller bug. */
static bool memblock_check_range(const char *op, paddr_t base, paddr_t size)
{
	if (base + size >= base)
		return true;
	printk("memblock: %s(0x%016llx, 0x%llx): range wraps around the address space\n",
	       op, (unsigned long long)base, (unsigned long long)size);
	return false;
}

static void memblock_insert_region(struct memblock_type *t, unsigned long idx,
				   paddr_t base, paddr_t size, const char *owner)
{
	struct memblock_region *r = &t->regions[idx];
	char tag[MEMBLOCK_OWNER_LEN] = "";

	if (owner)		/* owner may point into the array that moves below */
		memcpy(tag, owner, strnlen(owner, sizeof(tag) - 1));
	memmove(r + 1, r, (t->cnt - idx) * sizeof(*r));
	r->base = base;
	r->size = size;
	memcpy(r->owner, tag, sizeof(tag));
	t->cnt++;
}

static void memblock_remove_region(struct memblock_type *t, unsigned long idx)
{
	memmove(&t->regions[idx], &t->regions[idx + 1], (t->cnt - idx - 1) * sizeof(t->regions[0]));
	t->cnt--;
}

/* Joins neighbours that touch and have the same owner. */
static void memblock_merge_regions(struct memblock_type *t)
{
	unsigned long i = 0;

	while (i + 1 < t->cnt) {
		struct memblock_region *a = &t->regions[i], *b = a + 1;

		if (region_end(a) == b->base && !strcmp(a->owner, b->owner)) {
			a->size += b->size;
			memblock_remove_region(t, i + 1);
		} else {
			i++;
		}
	}
}

/*
 * Would the piece [b, e) about to go in at index i extend a neighbour with the same
 * owner instead of taking a new slot? If place, also does it (or inserts).
 * Returns 1 if a new slot was (or would be) used.
 */
static int memblock_place(struct memblock_type *t, unsigned long i, paddr_t b, paddr_t e,
			  const char *owner, bool place)
{
	const char *o = owner ? owner : "";

	if (i > 0 && region_end(&t->regions[i - 1]) == b && !strcmp(t->regions[i - 1].owner, o)) {
		if (place)
			t->regions[i - 1].size += e - b;
		return 0;
	}
	if (i < t->cnt && t->regions[i].base == e && !strcmp(t->regions[i].owner, o)) {
		if (place) {
			t->regions[i].base = b;
			t->regions[i].size += e - b;
		}
		return 0;
	}
	if (place)
		memblock_insert_region(t, i, b, e - b, owner);
	return 1;
}

/*
 * Adds the parts of [base, end) that no region covers yet. Two passes: the first
 * counts the new slots needed so that a full array fails before anything changes.
 */
static int memblock_add_range(struct memblock_type *t, paddr_t base, paddr_t end, const char *owner)
{
	int pass;

	for (pass = 0; pass < 2; pass++) {
		paddr_t b = base;
		unsigned long i, slots = 0;

		for (i = 0; i < t->cnt && b < end; i++) {
			struct memblock_region *r = &t->regions[i];

			if (region_end(r) <= b)
				continue;
			if (r->base >= end)
				break;
			if (r->base > b) {
				int n = memblock_place(t, i, b, r->base, owner, pass);

				slots += n;
				i += pass ? n : 0;
			}
			b = region_end(&t->regions[i]);
		}
		if (b < end)
			slots += memblock_place(t, i, b, end, owner, pass);
		if (!pass && t->cnt + slots > t->max) {
			printk("memblock: %s array full (%lu regions): cannot add 0x%016llx..0x%016llx (%s)\n",
			       t->name, t->max, (unsigned long long)base, (unsigned long long)end - 1,
			       owner ? owner : "-");
			return -1;
		}
	}
	memblock_merge_regions(t);
	return 0;
}

/* Splits the regions at base and end so that [base, end) is made of whole regions, then drops them. */
static int memblock_remove_range(struct memblock_type *t, paddr_t base, paddr_t end)
{
	unsigned long i;
	bool split = false;

	/* Only a region that straddles base needs a new slot (its head stays, its tail goes on). */
	for (i = 0; i < t->cnt; i++)
		split |= t->regions[i].base < base && region_end(&t->regions[i]) > base;
	if (split && t->cnt + 1 > t->max) {
		printk("memblock: %s array full: cannot split it to remove 0x%016llx..0x%016llx\n",
		       t->name, (unsigned long long)base, (unsigned long long)end - 1);
		return -1;
	}
	for (i = 0; i < t->cnt; i++) {
		struct memblock_region *r = &t->regions[i];
		paddr_t rend = region_end(r);

		if (rend <= base)
			continue;
		if (r->base >= end)
			break;
		if (r->base < base) {		/* keep the head, continue with the tail */
			memblock_insert_region(t, i, r->base, base - r->base, r->owner);
			r = &t->regions[++i];
			r->size = rend - base;
			r->base = base;
		}
		if (rend > end) {		/* keep the tail */
			r->size = rend - end;
			r->base = end;
			break;
		}
		memblock_remove_region(t, i--);
	}
	return 0;
}

int memblock_add(paddr_t base, paddr_t size)
{
	if (!memblock_check_live("memblock_add", base, size, _RET_IP_) ||
	    !memblock_check_range("memblock_add", base, size))
		return -1;
	return size ? memblock_add_range(&memblock.memory, base, base + size, NULL) : 0;
}

int memblock_remove(paddr_t base, paddr_t size)
{
	if (!memblock_check_live("memblock_remove", base, size, _RET_IP_) ||
	    !memblock_check_range("memblock_remove", base, size))
		return -1;
	return size ? memblock_remove_range(&memblock.memory, base, base + size) : 0;
}

int memblock_reserve(paddr_t base, paddr_t size, const char *owner)
{
	if (!memblock_check_live("memblock_reserve", base, size, _RET_IP_) ||
	    !memblock_check_range("memblock_reserve", base, size))
		return -1;
	return size ? memblock_add_range(&memblock.reserved, base, base + size,
					 owner && *owner ? owner : "unknown") : 0;
}

int memblock_free(paddr_t base, paddr_t size)
{
	if (!memblock_check_live("memblock_free", base, size, _RET_IP_) ||
	    !memblock_check_range("memblock_free", base, size))
		return -1;
	return size ? memblock_remove_range(&memblock.reserved, base, base + size) : 0;
}

/* Highest align-aligned start of size bytes in the free memory below limit, or 0. */
static paddr_t memblock_find_top_down(paddr_t size, paddr_t align, paddr_t limit)
{
	paddr_t start, end, best = 0;
	u64 i;

	for_each_free_mem_range(i, &start, &end) {
		paddr_t cand;

		end = min(end, limit);
		if (end < size || end - size < start)
			continue;
		cand = ALIGN_DOWN(end - size, align);
		if (cand >= start && cand > best)
			best = cand;
	}
	return best;
}

static paddr_t __memblock_phys_alloc(paddr_t size, paddr_t align, const char *owner, unsigned long caller)
{
	paddr_t base;

	if (!memblock_check_live("memblock_alloc", 0, size, caller))
		return 0;
	if (!align)
		align = PAGE_SIZE;
	if (!size || (align & (align - 1))) {
		printk("memblock: bad allocation request size 0x%llx align 0x%llx for %s\n",
		       (unsigned long long)size, (unsigned long long)align, owner);
		return 0;
	}
	base = memblock_find_top_down(size, align, memblock.current_limit);
	if (!base || memblock_reserve(base, size, owner)) {
		printk("memblock: cannot allocate 0x%llx bytes (align 0x%llx) for %s below 0x%016llx: %llu KiB free\n",
		       (unsigned long long)size, (unsigned long long)align, owner,
		       (unsigned long long)memblock.current_limit,
		       (unsigned long long)(memblock_phys_mem_size() - memblock_reserved_size()) >> 10);
		return 0;
	}
	return base;
}

paddr_t memblock_phys_alloc(paddr_t size, paddr_t align, const char *owner)
{
	return __memblock_phys_alloc(size, align, owner, _RET_IP_);
}

void *memblock_alloc(paddr_t size, paddr_t align, const char *owner)
{
	paddr_t pa = __memblock_phys_alloc(size, align, owner, _RET_IP_);
	void *va;

	if (!pa)
		return NULL;
	va = __va(pa);
	memset(va, 0, size);
	return va;
}

void memblock_set_current_limit(paddr_t limit)
{
	memblock.current_limit = limit;
}

static paddr_t memblock_type_size(const struct memblock_type *t)
{
	paddr_t sum = 0;
	unsigned long i;

	for (i = 0; i < t->cnt; i++)
		sum += t->regions[i].size;
	return sum;
}

paddr_t memblock_phys_mem_size(void)
{
	return memblock_type_size(&memblock.memory);
}

paddr_t memblock_reserved_size(void)
{
	return memblock_type_size(&memblock.reserved);
}

paddr_t memblock_start_of_DRAM(void)
{
	return memblock.memory.cnt ? memblock.memory.regions[0].base : 0;
}

paddr_t memblock_end_of_DRAM(void)
{
	return memblock.memory.cnt ? region_end(&memblock.memory.regions[memblock.memory.cnt - 1]) : 0;
}

static const struct memblock_region *memblock_search(const struct memblock_type *t, paddr_t addr)
{
	unsigned long lo = 0, hi = t->cnt;

	while (lo < hi) {
		unsigned long mid = lo + (hi - lo) / 2;
		const struct memblock_region *r = &t->regions[mid];

		if (addr < r->base)
			hi = mid;
		else if (addr >= region_end(r))
			lo = mid + 1;
		else
			return r;
	}
	return NULL;
}

bool memblock_is_memory(paddr_t addr)
{
	return memblock_search(&memblock.memory, addr) != NULL;
}

bool memblock_is_reserved(paddr_t addr)
{
	return memblock_search(&memblock.reserved, addr) != NULL;
}

const char *memblock_reserved_owner(paddr_t addr)
{
	const struct memblock_region *r = memblock_search(&memblock.reserved, addr);

	return r ? r->owner : NULL;
}

void memblock_retire(void)
{
	memblock.retired = true;
}

bool __next_mem_range(u64 *idx, paddr_t *p_start, paddr_t *p_end)
{
	const struct memblock_type *t = &memblock.memory;

	if (*idx >= t->cnt)
		return false;
	*p_start = t->regions[*idx].base;
	*p_end = region_end(&t->regions[*idx]);
	(*idx)++;
	return true;
}

bool __next_reserved_range(u64 *idx, paddr_t *p_start, paddr_t *p_end)
{
	const struct memblock_type *t = &memblock.reserved;

	if (*idx >= t->cnt)
		return false;
	*p_start = t->regions[*idx].base;
	*p_end = region_end(&t->regions[*idx]);
	(*idx)++;
	return true;
}

/*
 * The cursor packs (memory index) in its low 32 bits and (gap index) in its high
 * 32 bits, where gap k lies between reserved regions k-1 and k. Both arrays are
 * sorted, so each step advances whichever of the two ends first.
 */
bool __next_free_mem_range(u64 *idx, paddr_t *p_start, paddr_t *p_end)
{
	const struct memblock_type *mem = &memblock.memory, *rsv = &memblock.reserved;
	unsigned long mi = (u32)*idx, ri = *idx >> 32;

	while (mi < mem->cnt && ri <= rsv->cnt) {
		paddr_t m_start = mem->regions[mi].base, m_end = region_end(&mem->regions[mi]);
		paddr_t g_start = ri ? region_end(&rsv->regions[ri - 1]) : 0;
		paddr_t g_end = ri < rsv->cnt ? rsv->regions[ri].base : ~(paddr_t)0;
		paddr_t s = max(m_start, g_start), e = min(m_end, g_end);

		if (m_end <= g_end)
			mi++;
		else
			ri++;
		if (s < e) {
			*p_start = s;
			*p_end = e;
			*idx = (u64)mi | ((u64)ri << 32);
			return true;
		}
	}
	*idx = (u64)mi | ((u64)ri << 32);
	return false;
}

void memblock_save(struct memblock_state *s)
{
	s->mb = memblock;
	memcpy(s->memory, memory_init_regions, sizeof(s->memory));
	memcpy(s->reserved, reserved_init_regions, sizeof(s->reserved));
}

void memblock_restore(const struct memblock_state *s)
{
	memblock = s->mb;
	memcpy(memory_init_regions, s->memory, sizeof(s->memory));
	memcpy(reserved_init_regions, s->reserved, sizeof(s->reserved));
}

void memblock_reset(void)
{
	memblock.memory.cnt = 0;
	memblock.reserved.cnt = 0;
	memblock.current_limit = MEMBLOCK_ALLOC_ANYWHERE;
	memblock.retired = false;
}

/* Linux's format ("%4d: %pa..%pa", last byte inclusive) plus a trailing owner column. */
static void memblock_debug_show(struct seq_buf *s, const struct memblock_type *t)
{
	unsigned long i;

	for (i = 0; i < t->cnt; i++) {
		const struct memblock_region *r = &t->regions[i];

		seq_buf_printf(s, "%4lu: 0x%016llx..0x%016llx", i, (unsigned long long)r->base,
			       (unsigned long long)region_end(r) - 1);
		if (r->owner[0])
			seq_buf_printf(s, " %s", r->owner);
		seq_buf_putc(s, '\n');
	}
}

static void memblock_memory_show(struct seq_buf *s)
{
	memblock_debug_show(s, &memblock.memory);
}

static void memblock_reserved_show(struct seq_buf *s)
{
	memblock_debug_show(s, &memblock.reserved);
}

DEBUGFS_FILE(memblock_memory, "/sys/kernel/debug/memblock/memory", memblock_memory_show);
DEBUGFS_FILE(memblock_reserved, "/sys/kernel/debug/memblock/reserved", memblock_reserved_show);
