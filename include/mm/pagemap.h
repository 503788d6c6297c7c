/* pagemap.h: Linux's binary page views — /proc/PID/pagemap, /proc/kpageflags, /proc/kpagecount (entries and readers). */
#ifndef PAGODA_MM_PAGEMAP_H
#define PAGODA_MM_PAGEMAP_H

#include <types.h>
#include <compiler.h>

struct mm_struct;
struct page;

/* A pagemap entry (Documentation/admin-guide/mm/pagemap.rst): one u64 per virtual page. */
#define PM_PFRAME_MASK		GENMASK_ULL(54, 0)
#define PM_SOFT_DIRTY		BIT_ULL(55)
#define PM_MMAP_EXCLUSIVE	BIT_ULL(56)
#define PM_FILE			BIT_ULL(61)	/* file page or shared anonymous */
#define PM_SWAP			BIT_ULL(62)
#define PM_PRESENT		BIT_ULL(63)

/* Linux's KPF_* bit numbers (include/uapi/linux/kernel-page-flags.h and the kernel-only ones). */
#define KPF_LOCKED		0
#define KPF_SLAB		7
#define KPF_BUDDY		10
#define KPF_MMAP		11
#define KPF_ANON		12
#define KPF_SWAPBACKED		14
#define KPF_COMPOUND_HEAD	15
#define KPF_COMPOUND_TAIL	16
#define KPF_NOPAGE		20
#define KPF_PGTABLE		26
#define KPF_RESERVED		32

/*
 * pagemap_entry: the entry of one virtual page: present with pfn (and
 * exclusive when mapped once), or 0 (not present, never swapped: no swap).
 * Never soft-dirty, as on arm64 Linux (no soft-dirty bit in its PTEs).
 */
u64 pagemap_entry(bool present, u64 pfn, unsigned int mapcount);
/*
 * stable_page_flags: the KPF_* word of page (NULL: no struct page, KPF_NOPAGE);
 * mapcount: user mappings of it found in the address spaces (MMAP|ANON).
 */
u64 stable_page_flags(const struct page *page, unsigned int mapcount);

/*
 * The readers, each filling out[0..n) for the entries from index on and
 * returning how many there are (0 at the end of the file). They render on
 * every call, for the range asked only: nothing is kept between reads.
 *   pagemap_read    entries of mm's virtual pages index.. (index = VA >> 12),
 *                   up to TASK_SIZE. Takes mm->lock.
 *   kpageflags_read PFNs index.. up to max_pfn; mms[0..nr_mms) are the live
 *   kpagecount_read user address spaces, whose tables are walked to count
 *                   mappings (MMAP, ANON, and the count). Take each mm->lock.
 *   pagemap_entries / kpage_entries: the number of entries (the file size / 8).
 */
#define PAGEMAP_BATCH	128	/* entries a caller renders at a time (a kernel-stack buffer) */
unsigned long pagemap_read(struct mm_struct *mm, u64 index, u64 *out, unsigned long n);
unsigned long kpageflags_read(struct mm_struct *const *mms, unsigned int nr_mms, u64 index, u64 *out,
			      unsigned long n);
unsigned long kpagecount_read(struct mm_struct *const *mms, unsigned int nr_mms, u64 index, u64 *out,
			      unsigned long n);
u64 pagemap_entries(void);
u64 kpage_entries(void);

#endif
