/* shadow.c (mm/kasan): the shadow itself — poisoning, the access check, and the entry points GCC calls. */
#include "kasan.h"
#include <compiler.h>
#include <string.h>

/*
 * Whether addr's shadow is mapped. The image's (a 2 MiB block: 16 MiB of image
 * VA) exists from head.S on; the linear map's from kasan_init; vmalloc space's
 * below the high-water mark of what was ever handed out. Everything else
 * (device memory, the fixmap, the identity map) has no shadow and is not
 * checked — the reason pagoda's checks are outline calls, not inline code.
 */
bool kasan_addr_has_shadow(unsigned long addr)
{
	if (addr - KIMAGE_VADDR < KASAN_EARLY_SHADOW_SIZE << KASAN_SHADOW_SCALE_SHIFT)
		return true;
	if (addr >= PAGE_OFFSET && addr < READ_ONCE(kasan_lm_shadow_end))
		return true;
	return addr >= VMALLOC_START && addr < READ_ONCE(kasan_vm_shadow_end);
}

/* How much of [addr, addr + size) has shadow: the part up to the end of addr's shadowed region. */
static size_t shadowed_size(unsigned long addr, size_t size)
{
	unsigned long end;

	if (!kasan_addr_has_shadow(addr))
		return 0;
	if (addr >= PAGE_OFFSET && addr < PAGE_END)
		end = READ_ONCE(kasan_lm_shadow_end);
	else if (addr >= VMALLOC_START && addr < VMALLOC_END)
		end = READ_ONCE(kasan_vm_shadow_end);
	else
		end = KIMAGE_VADDR + (KASAN_EARLY_SHADOW_SIZE << KASAN_SHADOW_SCALE_SHIFT);
	return min(size, end - addr);
}

/* Marks the shadowed part of [addr, addr + size) (addr granule-aligned), rounded up to a granule. */
void kasan_poison(const void *addr, size_t size, u8 value)
{
	size = shadowed_size((unsigned long)addr, size);
	if (!size)
		return;
	__memset(kasan_mem_to_shadow(addr), value, ALIGN(size, KASAN_GRANULE_SIZE) >> KASAN_SHADOW_SCALE_SHIFT);
}

void kasan_unpoison(const void *addr, size_t size)
{
	size_t tail = size & KASAN_GRANULE_MASK;

	if (shadowed_size((unsigned long)addr, size) < size) {
		size = shadowed_size((unsigned long)addr, size) & ~KASAN_GRANULE_MASK;
		tail = 0;
	}
	if (!size)
		return;
	__memset(kasan_mem_to_shadow(addr), 0, size >> KASAN_SHADOW_SCALE_SHIFT);
	if (tail)
		*kasan_mem_to_shadow((const char *)addr + size) = (s8)tail;
}

/* The first bad byte of granule g (its shadow v != 0) within [lo, hi] (inclusive), or 0. */
static unsigned long granule_bad(unsigned long g, s8 v, unsigned long lo, unsigned long hi)
{
	unsigned long first = max(lo, g), last = min(hi, g + KASAN_GRANULE_MASK);

	if (v < 0)
		return first;
	if ((last & KASAN_GRANULE_MASK) >= (unsigned long)v)
		return max(first, g + (unsigned long)v);
	return 0;
}

unsigned long kasan_find_bad_addr(unsigned long addr, size_t size)
{
	unsigned long last = addr + size - 1, g;

	for (g = addr & ~KASAN_GRANULE_MASK; g <= last; g += KASAN_GRANULE_SIZE) {
		s8 v = *kasan_mem_to_shadow((void *)g);
		unsigned long bad;

		if (likely(!v))
			continue;
		bad = granule_bad(g, v, addr, last);
		if (bad)
			return bad;
	}
	return 0;
}

bool kasan_check_range(unsigned long addr, size_t size, bool write, unsigned long ip)
{
	unsigned long bad;

	if (unlikely(!size))
		return true;
	if (unlikely(addr + size < addr)) {
		kasan_report(addr, size, write, ip, KASAN_REPORT_ACCESS);
		return false;
	}
	if (!kasan_addr_has_shadow(addr) || !kasan_addr_has_shadow(addr + size - 1))
		return true;
	bad = kasan_find_bad_addr(addr, size);
	if (likely(!bad))
		return true;
	kasan_report(addr, size, write, ip, KASAN_REPORT_ACCESS);
	return false;
}

/* ---- what GCC calls (-fsanitize=kernel-address, outline: --param asan-instrumentation-with-call-threshold=0) ---- */

#define DEFINE_ASAN_LOAD_STORE(n)						\
	void __asan_load##n(unsigned long addr);				\
	void __asan_load##n(unsigned long addr)					\
	{ kasan_check_range(addr, n, false, _RET_IP_); }			\
	void __asan_load##n##_noabort(unsigned long) __attribute__((alias("__asan_load" #n)));	\
	void __asan_store##n(unsigned long addr);				\
	void __asan_store##n(unsigned long addr)				\
	{ kasan_check_range(addr, n, true, _RET_IP_); }				\
	void __asan_store##n##_noabort(unsigned long) __attribute__((alias("__asan_store" #n)));

DEFINE_ASAN_LOAD_STORE(1)
DEFINE_ASAN_LOAD_STORE(2)
DEFINE_ASAN_LOAD_STORE(4)
DEFINE_ASAN_LOAD_STORE(8)
DEFINE_ASAN_LOAD_STORE(16)

void __asan_loadN(unsigned long addr, size_t size);
void __asan_loadN(unsigned long addr, size_t size)
{
	kasan_check_range(addr, size, false, _RET_IP_);
}
void __asan_loadN_noabort(unsigned long, size_t) __attribute__((alias("__asan_loadN")));

void __asan_storeN(unsigned long addr, size_t size);
void __asan_storeN(unsigned long addr, size_t size)
{
	kasan_check_range(addr, size, true, _RET_IP_);
}
void __asan_storeN_noabort(unsigned long, size_t) __attribute__((alias("__asan_storeN")));

/* Inline checks call these when they find a bad access (pagoda builds outline, but keep the ABI whole). */
#define DEFINE_ASAN_REPORT(n)							\
	void __asan_report_load##n##_noabort(unsigned long addr);		\
	void __asan_report_load##n##_noabort(unsigned long addr)		\
	{ kasan_report(addr, n, false, _RET_IP_, KASAN_REPORT_ACCESS); }	\
	void __asan_report_store##n##_noabort(unsigned long addr);		\
	void __asan_report_store##n##_noabort(unsigned long addr)		\
	{ kasan_report(addr, n, true, _RET_IP_, KASAN_REPORT_ACCESS); }

DEFINE_ASAN_REPORT(1)
DEFINE_ASAN_REPORT(2)
DEFINE_ASAN_REPORT(4)
DEFINE_ASAN_REPORT(8)
DEFINE_ASAN_REPORT(16)

void __asan_report_load_n_noabort(unsigned long addr, size_t size);
void __asan_report_load_n_noabort(unsigned long addr, size_t size)
{
	kasan_report(addr, size, false, _RET_IP_, KASAN_REPORT_ACCESS);
}

void __asan_report_store_n_noabort(unsigned long addr, size_t size);
void __asan_report_store_n_noabort(unsigned long addr, size_t size)
{
	kasan_report(addr, size, true, _RET_IP_, KASAN_REPORT_ACCESS);
}

/* ---- memset/memcpy/memmove: checked here, done by lib/string.c's (built as __memset, ...) ---- */

#undef memset
#undef memcpy
#undef memmove
void *__memset(void *p, int c, size_t n);
void *__memcpy(void *dst, const void *src, size_t n);
void *__memmove(void *dst, const void *src, size_t n);
void *memset(void *p, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);

void *memset(void *p, int c, size_t n)
{
	if (!kasan_check_range((unsigned long)p, n, true, _RET_IP_))
		return p;
	return __memset(p, c, n);
}

void *memcpy(void *dst, const void *src, size_t n)
{
	if (!kasan_check_range((unsigned long)src, n, false, _RET_IP_) ||
	    !kasan_check_range((unsigned long)dst, n, true, _RET_IP_))
		return dst;
	return __memcpy(dst, src, n);
}

void *memmove(void *dst, const void *src, size_t n)
{
	if (!kasan_check_range((unsigned long)src, n, false, _RET_IP_) ||
	    !kasan_check_range((unsigned long)dst, n, true, _RET_IP_))
		return dst;
	return __memmove(dst, src, n);
}

/* ---- globals and stacks -------------------------------------------------------------- */

/* GCC's descriptor of one instrumented global (the layout of its ASan ABI v8). */
struct asan_global {
	const void *beg;
	size_t size;
	size_t size_with_redzone;
	const char *name;
	const char *module_name;
	unsigned long has_dynamic_init;
	const void *location;
	const void *odr_indicator;
};

/* Each file's constructor (run by kasan_init) hands in its globals: their red zones are poisoned. */
void __asan_register_globals(struct asan_global *g, size_t n);
void __asan_register_globals(struct asan_global *g, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned long end = ALIGN((unsigned long)g[i].beg + g[i].size, KASAN_GRANULE_SIZE);

		kasan_unpoison(g[i].beg, g[i].size);
		kasan_poison((void *)end, (unsigned long)g[i].beg + g[i].size_with_redzone - end,
			     KASAN_GLOBAL_REDZONE);
	}
	kasan_register_global_array(g, n);
}

void __asan_unregister_globals(struct asan_global *g, size_t n);
void __asan_unregister_globals(struct asan_global *g, size_t n)
{
}

const char *kasan_global_lookup(const void *array, size_t n, unsigned long addr,
				unsigned long *beg, size_t *size)
{
	const struct asan_global *g = array;
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned long b = (unsigned long)g[i].beg;

		if (addr >= b && addr < b + g[i].size_with_redzone) {
			*beg = b;
			*size = g[i].size;
			return g[i].name;
		}
	}
	return NULL;
}

extern char boot_stack[], boot_stack_top[];

/*
 * Before a call that does not return (longjmp out of a fault, panic), GCC calls
 * this: the frames being abandoned keep their red zones' poison, and where the
 * jump lands (how far up the stack) is unknown here. On the boot CPU's stack
 * (the shell, the selftests) the whole stack is unpoisoned: the frames still
 * live lose their red zones until they return (missed reports, never false
 * ones). The secondaries' stacks run only
 * cross-CPU calls, which never longjmp.
 */
void __asan_handle_no_return(void);
void __asan_handle_no_return(void)
{
	unsigned long sp = (unsigned long)__builtin_frame_address(0);

	if (sp >= (unsigned long)boot_stack && sp < (unsigned long)boot_stack_top)
		__memset(kasan_mem_to_shadow(boot_stack), 0,
			 (boot_stack_top - boot_stack) >> KASAN_SHADOW_SCALE_SHIFT);
}

/* Dynamic allocas: GCC's red zones of 32 bytes around each (ASan's layout). */
#define KASAN_ALLOCA_REDZONE	32UL
void __asan_alloca_poison(unsigned long addr, size_t size);
void __asan_alloca_poison(unsigned long addr, size_t size)
{
	unsigned long rounded = ALIGN(size, KASAN_ALLOCA_REDZONE);

	kasan_poison((void *)(addr - KASAN_ALLOCA_REDZONE), KASAN_ALLOCA_REDZONE, KASAN_ALLOCA_LEFT);
	kasan_unpoison((void *)addr, size);
	kasan_poison((void *)ALIGN(addr + size, KASAN_GRANULE_SIZE),
		     addr + rounded + KASAN_ALLOCA_REDZONE - ALIGN(addr + size, KASAN_GRANULE_SIZE),
		     KASAN_ALLOCA_RIGHT);
}

void __asan_allocas_unpoison(const void *top, const void *bottom);
void __asan_allocas_unpoison(const void *top, const void *bottom)
{
	if (top && bottom > top)
		kasan_unpoison(top, (const char *)bottom - (const char *)top);
}

void __asan_poison_stack_memory(const void *addr, size_t size);
void __asan_poison_stack_memory(const void *addr, size_t size)
{
	kasan_poison(addr, size, KASAN_USE_AFTER_SCOPE);
}

void __asan_unpoison_stack_memory(const void *addr, size_t size);
void __asan_unpoison_stack_memory(const void *addr, size_t size)
{
	kasan_unpoison(addr, size);
}
