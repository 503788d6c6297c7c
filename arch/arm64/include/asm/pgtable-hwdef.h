/* pgtable-hwdef.h (arm64): VMSAv8-64 stage-1 descriptor bits, 4 KiB granule (ARM ARM D8.3). */
#ifndef ASM_ARM64_PGTABLE_HWDEF_H
#define ASM_ARM64_PGTABLE_HWDEF_H

#include <compiler.h>

/* Descriptor type, bits[1:0] (D8.3.1): invalid x0, block 01 (levels 1-2), table/page 11. */
#define PTE_VALID		BIT_ULL(0)
#define PTE_TABLE_BIT		BIT_ULL(1)	/* table (levels 0-2) or page (level 3) */
#define PTE_TYPE_MASK		(PTE_VALID | PTE_TABLE_BIT)
#define PTE_TYPE_BLOCK		PTE_VALID
#define PTE_TYPE_TABLE		(PTE_VALID | PTE_TABLE_BIT)
#define PTE_TYPE_PAGE		(PTE_VALID | PTE_TABLE_BIT)

/* Lower attributes of block and page descriptors (D8.3.2). */
#define PTE_ATTRINDX(i)		((u64)(i) << 2)	/* MAIR_EL1 index, asm/sysreg.h MT_*_IDX */
#define PTE_ATTRINDX_MASK	(7ULL << 2)
#define PTE_NS			BIT_ULL(5)
#define PTE_USER		BIT_ULL(6)	/* AP[1]: EL0 may access */
#define PTE_RDONLY		BIT_ULL(7)	/* AP[2]: read-only */
#define PTE_SHARED		(3ULL << 8)	/* SH[1:0] = 11: inner shareable */
#define PTE_AF			BIT_ULL(10)	/* access flag (no AF faults: always set) */
#define PTE_NG			BIT_ULL(11)	/* not global: tagged with the ASID */
/* Upper attributes. */
#define PTE_DBM			BIT_ULL(51)
#define PTE_CONT		BIT_ULL(52)	/* one of 16 adjacent aligned entries (D8.6.1) */
#define PTE_PXN			BIT_ULL(53)	/* privileged execute-never */
#define PTE_UXN			BIT_ULL(54)	/* unprivileged execute-never */
#define PTE_GP			BIT_ULL(50)	/* BTI guarded page (unused, shown by ptdump) */

/* Output address, bits[47:12] (48-bit PA); a block's address is aligned to its size. */
#define PTE_ADDR_MASK		GENMASK_ULL(47, 12)
#define PT_PA_BITS		48

#endif
