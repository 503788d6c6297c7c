/* pgtable-hwdef.h (x86): PAE paging-structure entry bits (Intel SDM vol. 3, 4.4 and tables 4-8..4-11). */
#ifndef ASM_X86_PGTABLE_HWDEF_H
#define ASM_X86_PGTABLE_HWDEF_H

#include <compiler.h>

#define _PAGE_PRESENT	BIT_ULL(0)
#define _PAGE_RW	BIT_ULL(1)	/* writable (supervisor too: CR0.WP is set) */
#define _PAGE_USER	BIT_ULL(2)
#define _PAGE_PWT	BIT_ULL(3)	/* PAT index bit 0 */
#define _PAGE_PCD	BIT_ULL(4)	/* PAT index bit 1 */
#define _PAGE_ACCESSED	BIT_ULL(5)
#define _PAGE_DIRTY	BIT_ULL(6)
#define _PAGE_PSE	BIT_ULL(7)	/* in a PDE: a 2 MiB page, not a table */
#define _PAGE_PAT	BIT_ULL(7)	/* in a 4 KiB PTE: PAT index bit 2 */
#define _PAGE_GLOBAL	BIT_ULL(8)	/* survives CR3 reloads (CR4.PGE) */
#define _PAGE_PAT_LARGE	BIT_ULL(12)	/* in a 2 MiB PDE: PAT index bit 2 */
#define _PAGE_NX	BIT_ULL(63)	/* execute-disable; a reserved bit unless EFER.NXE */

/* Address bits 51:12 (MAXPHYADDR is at most 52); a 2 MiB page uses 51:21. */
#define PTE_PFN_MASK	GENMASK_ULL(51, 12)
#define PMD_PAGE_MASK	GENMASK_ULL(51, 21)

/* The PAT index bits of a leaf (PAT bit itself unused: pagoda's types live in entries 0-3). */
#define _PAGE_CACHE_MASK (_PAGE_PWT | _PAGE_PCD)

#endif
