/* compiler.h: attribute shorthands and small helpers used everywhere. */
#ifndef PAGODA_COMPILER_H
#define PAGODA_COMPILER_H

#include <types.h>

#ifndef __noreturn
#define __noreturn	__attribute__((noreturn))
#endif
#define __packed	__attribute__((packed))
#define __aligned(x)	__attribute__((aligned(x)))
#define __section(s)	__attribute__((section(s)))
#define __used		__attribute__((used))
#define __unused	__attribute__((unused))
#define __weak		__attribute__((weak))
/*
 * __link_table(sec, type): puts a static const entry in the link-time table
 * `sec`, walked from __start_sec to __stop_sec as an array of type. The entry
 * keeps its type's own alignment, so the entries sit sizeof(type) apart: a
 * larger alignment would pad every entry whose size is not a multiple of it
 * (a 12-byte entry 8-aligned on i386 is walked with a 16-byte stride).
 */
#define __link_table(sec, type)	__attribute__((used, section(#sec), aligned(__alignof__(type))))
#define __printf(a, b)	__attribute__((format(printf, a, b)))
#ifndef __always_inline
#define __always_inline	inline __attribute__((always_inline))
#endif
#define __noinline	__attribute__((noinline))
#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
#define _RET_IP_	((unsigned long)__builtin_return_address(0))

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define ALIGN(x, a)	(((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a) - 1)) == 0)
#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))
#define min(a, b)	((a) < (b) ? (a) : (b))
#define max(a, b)	((a) > (b) ? (a) : (b))
#define clamp(v, lo, hi) min(max(v, lo), hi)
#define BIT(n)		(1UL << (n))
#define BIT_ULL(n)	(1ULL << (n))
#define GENMASK_ULL(h, l) ((~0ULL << (l)) & (~0ULL >> (63 - (h))))
#define SZ_4K		0x1000UL
#define SZ_64K		0x10000UL
#define SZ_1M		0x100000UL
#define SZ_2M		0x200000UL
#define SZ_16M		0x1000000UL
#define SZ_1G		0x40000000ULL

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

/*
 * READ_ONCE/WRITE_ONCE: one whole access the compiler may neither split, merge
 * nor leave out — a word another CPU may change or read at the same time.
 * Under ThreadSanitizer (the host's TSan build) they are what they mean to
 * the memory model, relaxed atomics, so TSan knows such races are intended.
 */
#ifdef __SANITIZE_THREAD__
#define READ_ONCE(x)	__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELAXED)
#else
#define READ_ONCE(x)	(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))
#endif

#define BUILD_BUG_ON(c)	_Static_assert(!(c), #c)

#endif
