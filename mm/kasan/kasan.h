/* kasan.h (mm/kasan): KASAN's internals — shadow encoding, the shadow map, metadata, reports. */
#ifndef PAGODA_MM_KASAN_INTERNAL_H
#define PAGODA_MM_KASAN_INTERNAL_H

#include <asm/kasan.h>
#include <asm/memory.h>
#include <kernel/stackdepot.h>
#include <mm/kasan.h>
#include <types.h>

/*
 * A shadow byte per 8-byte granule: 0 all 8 accessible, 1..7 only the first N,
 * negative: none, and the value says why (Linux's codes; GCC writes the stack ones).
 */
#define KASAN_GRANULE_SIZE	(1UL << KASAN_SHADOW_SCALE_SHIFT)
#define KASAN_GRANULE_MASK	(KASAN_GRANULE_SIZE - 1)
#define KASAN_PAGE_FREE		0xff	/* a free buddy page */
#define KASAN_PAGE_REDZONE	0xfe	/* past a large kmalloc's size */
#define KASAN_SLAB_REDZONE	0xfc	/* a slab's unallocated space and object tails */
#define KASAN_SLAB_FREE		0xfb	/* a freed slab object */
#define KASAN_GLOBAL_REDZONE	0xf9
#define KASAN_VMALLOC_INVALID	0xf8	/* vmalloc space: past the size, guard page, freed */
#define KASAN_STACK_LEFT	0xf1
#define KASAN_STACK_MID		0xf2
#define KASAN_STACK_RIGHT	0xf3
#define KASAN_STACK_PARTIAL	0xf4
#define KASAN_USE_AFTER_SCOPE	0xf8
#define KASAN_ALLOCA_LEFT	0xca
#define KASAN_ALLOCA_RIGHT	0xcb

static inline s8 *kasan_mem_to_shadow(const void *addr)
{
	return (s8 *)__kasan_shadow((unsigned long)addr);
}

static inline const void *kasan_shadow_to_mem(const void *shadow)
{
	return (const void *)(((unsigned long)shadow - KASAN_SHADOW_OFFSET) << KASAN_SHADOW_SCALE_SHIFT);
}

/* shadow.c: whether addr's shadow is mapped (the image always; the linear map and vmalloc later). */
bool kasan_addr_has_shadow(unsigned long addr);
/* Marks [addr, addr + size) (addr granule-aligned) with value, rounded up to a granule; only the part
 * that has shadow (a vmalloc area may reach past the mark: the rest stays unchecked). */
void kasan_poison(const void *addr, size_t size, u8 value);
/* Makes [addr, addr + size) accessible (addr granule-aligned), the partial last granule included
 * (the part that has shadow, as kasan_poison). */
void kasan_unpoison(const void *addr, size_t size);
/* The first bad byte of [addr, addr + size), or 0 if all of it is accessible. */
unsigned long kasan_find_bad_addr(unsigned long addr, size_t size);
/* Checks an access; reports it (ip: the code that made it) and returns false if it is bad. */
bool kasan_check_range(unsigned long addr, size_t size, bool write, unsigned long ip);

/* init.c: the linear map's shadow is live below this address; vmalloc's below the other. */
extern unsigned long kasan_lm_shadow_end, kasan_vm_shadow_end;

/* common.c: what KASAN remembers of a slab object (a bounded table: NULL if forgotten). */
struct kasan_obj_meta {
	unsigned long obj;
	u32 size;			/* the size asked for */
	depot_stack_handle_t alloc_stack, free_stack;
	u16 alloc_cpu, free_cpu;
};
bool kasan_obj_meta_get(unsigned long obj, struct kasan_obj_meta *out);

/* report.c */
enum kasan_report_kind { KASAN_REPORT_ACCESS, KASAN_REPORT_DOUBLE_FREE, KASAN_REPORT_INVALID_FREE };
void kasan_report(unsigned long addr, size_t size, bool write, unsigned long ip, enum kasan_report_kind kind);
void kasan_register_global_array(const void *globals, size_t n);
/* kasan_kmemleak_init: the object-metadata table and the quarantine are no references for kmemleak. */
void kasan_kmemleak_init(void);
const char *kasan_find_global(unsigned long addr, unsigned long *beg, size_t *size);
/* shadow.c: a global of GCC's descriptor array (n entries) holding addr (red zone included). */
const char *kasan_global_lookup(const void *array, size_t n, unsigned long addr,
				unsigned long *beg, size_t *size);

#endif
