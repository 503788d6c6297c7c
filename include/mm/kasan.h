/* kasan.h: the allocators' hooks into KASAN (Linux's names); empty inlines unless built with KASAN=1. */
#ifndef PAGODA_MM_KASAN_H
#define PAGODA_MM_KASAN_H

#include <types.h>
#include <mm/gfp.h>

struct page;
struct kmem_cache;
struct map_region;

/*
 * Each hook is called at exactly one place, at the boundary between the
 * allocator and its user:
 *   kasan_alloc_pages/kasan_free_pages     buddy: a block handed out / given back (free: poisoned)
 *   kasan_poison_slab                      a new slab: every object poisoned until allocated
 *   kasan_slab_alloc/kasan_kmalloc         an object handed out: unpoisoned to the size asked
 *                                          for (kmem_cache_alloc: object_size), the rest of the
 *                                          stride poisoned; the allocation stack is recorded
 *   kasan_kmalloc_large                    a kmalloc from the buddy: the tail past size poisoned
 *   kasan_krealloc                         krealloc kept the object: poisoned past new_size
 *   kasan_ksize                            ksize()'s promise: the whole object is usable
 *   kasan_slab_free                        an object given back: checked (double / invalid free),
 *                                          poisoned, its free stack recorded and held in the
 *                                          quarantine; true means KASAN keeps it (the caller
 *                                          must not free it now; KASAN frees it later)
 *   kasan_populate_vmalloc                 vmalloc() got its pages: the shadow of its area exists
 *   kasan_unpoison_vmalloc                 an area handed out: usable to size, the rest (the guard
 *                                          page) poisoned — get_vm_area: all of it usable (ioremap,
 *                                          vmap), vmalloc(): its size
 *   kasan_poison_vmalloc                   vfree(): the whole area poisoned
 *   kasan_cache_shutdown                   kmem_cache_shrink/destroy and the cache's counts
 *                                          (slabinfo): its quarantined objects go back to their
 *                                          slabs first, so the counts mean "held by users" as
 *                                          in a normal build
 * All of them are safe on any CPU.
 */
#ifdef CONFIG_KASAN
void kasan_init(void);
unsigned int arch_kasan_shadow_regions(const struct map_region **regions);
void kasan_alloc_pages(struct page *page, unsigned int order);
void kasan_free_pages(struct page *page, unsigned int order);
void kasan_poison_slab(struct page *page);
void *kasan_slab_alloc(struct kmem_cache *c, void *obj, gfp_t gfp);
void *kasan_kmalloc(struct kmem_cache *c, void *obj, size_t size, gfp_t gfp);
void *kasan_kmalloc_large(void *p, size_t size, gfp_t gfp);
void kasan_krealloc(const void *p, size_t new_size);
size_t kasan_ksize(const void *p, size_t size);
bool kasan_slab_free(struct kmem_cache *c, struct page *page, void *obj, unsigned long ip);
void kasan_populate_vmalloc(unsigned long addr, unsigned long size);
void *kasan_unpoison_vmalloc(void *addr, unsigned long size, unsigned long area_size);
void kasan_poison_vmalloc(const void *addr, unsigned long size);
/* Frees cache c's quarantined objects (NULL: every cache's): before a shrink or a destroy. */
void kasan_cache_shutdown(struct kmem_cache *c);

/* For tests: reports printed so far, and a fresh start of the one-report-per-bug memory. */
unsigned long kasan_report_count(void);
void kasan_reset_reports(void);
#define kasan_enabled()		true
#else
static inline void kasan_init(void) { }
static inline unsigned int arch_kasan_shadow_regions(const struct map_region **r) { *r = NULL; return 0; }
static inline void kasan_alloc_pages(struct page *page, unsigned int order) { }
static inline void kasan_free_pages(struct page *page, unsigned int order) { }
static inline void kasan_poison_slab(struct page *page) { }
static inline void *kasan_slab_alloc(struct kmem_cache *c, void *obj, gfp_t gfp) { return obj; }
static inline void *kasan_kmalloc(struct kmem_cache *c, void *obj, size_t size, gfp_t gfp) { return obj; }
static inline void *kasan_kmalloc_large(void *p, size_t size, gfp_t gfp) { return p; }
static inline void kasan_krealloc(const void *p, size_t new_size) { }
static inline size_t kasan_ksize(const void *p, size_t size) { return size; }
static inline bool kasan_slab_free(struct kmem_cache *c, struct page *page, void *obj, unsigned long ip)
{
	return false;
}
static inline void kasan_populate_vmalloc(unsigned long addr, unsigned long size) { }
static inline void *kasan_unpoison_vmalloc(void *addr, unsigned long size, unsigned long area_size)
{
	return addr;
}
static inline void kasan_poison_vmalloc(const void *addr, unsigned long size) { }
static inline void kasan_cache_shutdown(struct kmem_cache *c) { }
static inline unsigned long kasan_report_count(void) { return 0; }
static inline void kasan_reset_reports(void) { }
#define kasan_enabled()		false
#endif

#endif
