/* kmemleak.h: a conservative leak scanner over every live slab/kmalloc object and vmalloc area (Linux's kmemleak). */
#ifndef PAGODA_KMEMLEAK_H
#define PAGODA_KMEMLEAK_H

#include <types.h>
#include <compiler.h>
#include <kernel/atomic.h>

/*
 * Off by default; kmemleak=on (a kernel parameter) takes a fixed pool of
 * object records from memblock at boot (KMEMLEAK_POOL records, 52 bytes each
 * on arm64 and 38 on x86 with the lookup tables: 1664 / 1216 KiB; the boot
 * log prints it). The allocators then report every object they hand out and
 * take back; the records never come from the allocators themselves.
 *
 * `echo scan > /sys/kernel/debug/kmemleak` colours every object white, greys
 * those referenced from the roots (the image's .data and .bss — which hold
 * the per-CPU arrays — less the kmemleak_no_scan_static tables, and the live
 * part of every online CPU's stack), then scans grey objects for pointers to
 * others until nothing changes; objects still white are reported by `cat` in
 * Linux's format. Memblock allocations (mem_map, page tables) are not roots:
 * no slab or vmalloc object is reachable only through them today.
 */
#define KMEMLEAK_POOL	32768

extern bool kmemleak_enabled;

/*
 * Linux's min_count: how many references make an object not a leak.
 * 1 for an ordinary object; 0 (grey) never reported but scanned; -1 (black)
 * neither reported nor scanned.
 */
#define KMEMLEAK_GREY	0
#define KMEMLEAK_BLACK	(-1)

void __kmemleak_alloc(const void *ptr, size_t size, int min_count, gfp_t gfp);
void __kmemleak_free(const void *ptr);

/* kmemleak_alloc: ptr (size bytes) was just handed out; a no-op when off or for NULL/ZERO_SIZE_PTR. */
static __always_inline void kmemleak_alloc(const void *ptr, size_t size, int min_count, gfp_t gfp)
{
	if (unlikely(READ_ONCE(kmemleak_enabled)))
		__kmemleak_alloc(ptr, size, min_count, gfp);
}

/* kmemleak_free: ptr (the start of an object) is about to go back to its allocator. */
static __always_inline void kmemleak_free(const void *ptr)
{
	if (unlikely(READ_ONCE(kmemleak_enabled)))
		__kmemleak_free(ptr);
}

/* kmemleak_not_leak: ptr is never reported, but still scanned (reachable in ways a scan cannot see). */
void kmemleak_not_leak(const void *ptr);
/* kmemleak_ignore: ptr is neither reported nor scanned (it holds no pointers worth following). */
void kmemleak_ignore(const void *ptr);

/*
 * kmemleak_no_scan_static: a static area (.data/.bss) whose words are no
 * references — a debugging side table keyed by object address, a history of
 * freed objects — is left out of the roots (8 at most). Callable at any
 * time, kmemleak on or off (early init code registers its tables).
 */
void kmemleak_no_scan_static(const void *start, size_t size);

/*
 * kmemleak_scan: one scan (what `echo scan` does). Returns the number of new
 * suspected leaks, or -1 if kmemleak is off (after one line saying so).
 */
int kmemleak_scan(void);
/* kmemleak_clear: forgets the leaks reported so far (they turn grey: never reported again). */
void kmemleak_clear(void);
/* kmemleak_unavailable: NULL if a scan can run, else why not (off, out of records, no roots here). */
const char *kmemleak_unavailable(void);
/* kmemleak_is_leak: true if ptr starts an object the last scan reported (tests). */
bool kmemleak_is_leak(const void *ptr);

#endif
