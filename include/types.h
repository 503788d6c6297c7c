/* types.h: fixed-width integer types shared by the kernel and the host build of mm/. */
#ifndef PAGODA_TYPES_H
#define PAGODA_TYPES_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdarg.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

/* Physical addresses are 64-bit on every arch: PAE reaches past 4 GiB. */
typedef u64 paddr_t;
typedef u64 phys_addr_t;
typedef u64 dma_addr_t;
/* Virtual addresses are pointer-sized. */
typedef uintptr_t vaddr_t;
typedef u32 gfp_t;

#endif
