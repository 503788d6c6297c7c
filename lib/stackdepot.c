/* stackdepot.c: a fixed pool of distinct call chains, found again by hash, for the memory debuggers' "allocated by". */
#include <kernel/atomic.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>
#include <kernel/stackdepot.h>
#include <kernel/stacktrace.h>
#include <string.h>

#define DEPOT_RECORDS	4096		/* distinct stacks: 4096 * 72 B = 288 KiB of BSS on arm64 */
#define DEPOT_BUCKETS	1024		/* a power of two */

struct stack_record {
	u32 next;		/* index + 1 of the next record in the bucket; 0 ends it */
	u32 hash;
	u32 nr;
	unsigned long entries[STACK_DEPOT_MAX_FRAMES];
};

/*
 * Written under depot_lock; read without it. A record, once published, never
 * changes (its next included), and it is published only complete: by a
 * release store of its bucket's head (for stack_depot_save's lookup) and of
 * nr_records (for stack_depot_fetch). So finding a stack the depot already
 * has, which is nearly every call, takes no lock; only adding one does (as in
 * Linux). The memory debuggers save a stack per allocation, on every CPU.
 */
static DEFINE_SPINLOCK(depot_lock);
static struct stack_record records[DEPOT_RECORDS];
static u32 buckets[DEPOT_BUCKETS];	/* index + 1 of the first record; 0: empty */
static u32 nr_records;
static bool depot_full_said;

/* FNV-1a over the words: cheap, and good enough to spread return addresses. */
static u32 hash_stack(const unsigned long *entries, unsigned int nr)
{
	u32 h = 2166136261u;
	unsigned int i, b;

	for (i = 0; i < nr; i++)
		for (b = 0; b < sizeof(long); b++)
			h = (h ^ (u8)(entries[i] >> (8 * b))) * 16777619u;
	return h;
}

static u32 find_stack(u32 first, u32 hash, const unsigned long *entries, unsigned int nr)
{
	u32 i;

	for (i = first; i; i = records[i - 1].next) {
		const struct stack_record *r = &records[i - 1];

		if (r->hash == hash && r->nr == nr && !memcmp(r->entries, entries, nr * sizeof(*entries)))
			return i;
	}
	return 0;
}

depot_stack_handle_t stack_depot_save(const unsigned long *entries, unsigned int nr)
{
	u32 hash, found, b;
	unsigned long flags;

	if (nr > STACK_DEPOT_MAX_FRAMES)
		nr = STACK_DEPOT_MAX_FRAMES;
	if (!nr)
		return 0;
	hash = hash_stack(entries, nr);
	b = hash & (DEPOT_BUCKETS - 1);
	found = find_stack(smp_load_acquire(&buckets[b]), hash, entries, nr);
	if (found)
		return found;
	spin_lock_irqsave(&depot_lock, flags);
	found = find_stack(buckets[b], hash, entries, nr);	/* again: another CPU may have added it */
	if (!found && nr_records < DEPOT_RECORDS) {
		struct stack_record *r = &records[nr_records];

		r->hash = hash;
		r->nr = nr;
		memcpy(r->entries, entries, nr * sizeof(*entries));
		r->next = buckets[b];
		found = nr_records + 1;
		smp_store_release(&nr_records, found);	/* the record is complete before its handle is */
		smp_store_release(&buckets[b], found);	/* ... and before lock-free lookups reach it */
	} else if (!found && !depot_full_said) {
		depot_full_said = true;
		printk("stackdepot: all %u records in use; new stacks are not recorded\n", DEPOT_RECORDS);
	}
	spin_unlock_irqrestore(&depot_lock, flags);
	return found;
}

unsigned int stack_depot_fetch(depot_stack_handle_t handle, const unsigned long **entries)
{
	if (!handle || handle > smp_load_acquire(&nr_records))
		return 0;
	*entries = records[handle - 1].entries;
	return records[handle - 1].nr;
}

void stack_depot_print(depot_stack_handle_t handle, int spaces)
{
	const unsigned long *entries;
	unsigned int nr = stack_depot_fetch(handle, &entries);

	if (nr)
		stack_trace_print(entries, nr, spaces);
}

depot_stack_handle_t save_stack(unsigned int skipnr)
{
	unsigned long entries[STACK_DEPOT_MAX_FRAMES];
	unsigned int nr = stack_trace_save(entries, STACK_DEPOT_MAX_FRAMES, skipnr + 1);

	return stack_depot_save(entries, nr);
}
