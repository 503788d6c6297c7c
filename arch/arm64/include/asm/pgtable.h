/* pgtable.h (arm64): the descriptor format behind the generic page-table core (mm/pgtable.c). */
#ifndef ASM_ARM64_PGTABLE_H
#define ASM_ARM64_PGTABLE_H

/*
 * 4 KiB granule, 48-bit VA: four levels, 512 entries each.
 *
 *   level 0 (PGD)  shift 39  512 GiB per entry   table only
 *   level 1 (PUD)  shift 30    1 GiB per entry   table or 1 GiB block
 *   level 2 (PMD)  shift 21    2 MiB per entry   table or 2 MiB block (16 contiguous: 32 MiB)
 *   level 3 (PTE)  shift 12    4 KiB per entry   page (16 contiguous: 64 KiB)
 *
 * The contract these functions meet is written at the top of include/mm/pgtable.h.
 */
#include <mm/prot.h>
#include <asm/pgtable-hwdef.h>
#include <asm/sysreg.h>
#include <asm/tlbflush.h>

typedef struct { u64 v; } pte_t;
#define __pte(x)	((pte_t){ (x) })
#define pte_val(p)	((p).v)

#define PT_LEVELS	4
#define PT_ARCH_NAME	"arm64"

static inline unsigned int pt_shift(int level) { return 39 - 9 * level; }
/* What every present mapping grants, whatever was asked: nothing (UXN/PXN are always there). */
static inline u32 arch_prot_implied(void) { return 0; }
static inline unsigned int pt_entries(int level) { return 512; }
/* Levels whose entries may be blocks (besides the last level's pages). */
static inline bool pt_level_has_block(int level) { return level == 1 || level == 2; }
/* Contiguous hint: entries per group at this level, 0 where the hint is not used (D8.6.1). */
static inline unsigned int pt_cont_entries(int level) { return level >= 2 ? 16 : 0; }

static inline bool pte_none(pte_t p) { return pte_val(p) == 0; }
static inline bool pte_valid(pte_t p) { return pte_val(p) & PTE_VALID; }
static inline bool pte_is_table(pte_t p, int level)
{
	return level < PT_LEVELS - 1 && (pte_val(p) & PTE_TYPE_MASK) == PTE_TYPE_TABLE;
}
static inline bool pte_is_leaf(pte_t p, int level) { return pte_valid(p) && !pte_is_table(p, level); }
static inline bool pte_cont(pte_t p) { return pte_val(p) & PTE_CONT; }
static inline pte_t pte_mkcont(pte_t p) { return __pte(pte_val(p) | PTE_CONT); }
static inline pte_t pte_mknoncont(pte_t p) { return __pte(pte_val(p) & ~PTE_CONT); }

static inline paddr_t pte_table_pa(pte_t p) { return pte_val(p) & PTE_ADDR_MASK; }
static inline paddr_t pte_leaf_pa(pte_t p, int level)
{
	return pte_val(p) & PTE_ADDR_MASK & ~((1ULL << pt_shift(level)) - 1);
}
/* Table descriptors carry no attributes: permissions come from the leaves. */
static inline pte_t pte_mk_table(paddr_t pa, int level) { return __pte((pa & PTE_ADDR_MASK) | PTE_TYPE_TABLE); }

static inline unsigned int arm64_mt_to_attrindx(u32 mt)
{
	switch (mt) {
	case MT_NORMAL_NC:	return MT_NORMAL_NC_IDX;
	case MT_DEVICE_nGnRnE:	return MT_DEVICE_nGnRnE_IDX;
	case MT_DEVICE_nGnRE:	return MT_DEVICE_nGnRE_IDX;
	default:		return MT_NORMAL_IDX;
	}
}

/*
 * pte_mk_leaf: THE place neutral protections become arm64 bits. A block at
 * levels 1-2, a page at level 3. AF always set (no access-flag faults); normal
 * memory inner shareable; device memory PXN|UXN whatever was asked; a mapping
 * without PROT_USER is UXN (EL0 never runs kernel code) and PROT_USER makes it
 * PXN (the kernel never runs user code); nG unless PROT_GLOBAL.
 */
static inline pte_t pte_mk_leaf(paddr_t pa, int level, u32 prot)
{
	u64 v = (pa & PTE_ADDR_MASK) | PTE_AF;
	u32 mt = prot_mt(prot);

	v |= level == PT_LEVELS - 1 ? PTE_TYPE_PAGE : PTE_TYPE_BLOCK;
	v |= PTE_ATTRINDX(arm64_mt_to_attrindx(mt));
	if (!prot_is_device(prot))
		v |= PTE_SHARED;
	if (!(prot & PROT_WRITE))
		v |= PTE_RDONLY;
	if (prot & PROT_USER)
		v |= PTE_USER | PTE_PXN;
	else
		v |= PTE_UXN;
	if (!(prot & PROT_EXEC) || prot_is_device(prot))
		v |= PTE_PXN | PTE_UXN;
	if (!(prot & PROT_GLOBAL))
		v |= PTE_NG;
	return __pte(v);
}

/* pte_wrprotect: the same leaf without write access (fork's copy-on-write; Linux's pte_wrprotect). */
static inline pte_t pte_wrprotect(pte_t p) { return __pte(pte_val(p) | PTE_RDONLY); }

/* pte_leaf_prot: THE place arm64 bits become neutral protections (queries, ptdump, W^X). */
static inline u32 pte_leaf_prot(pte_t p, int level)
{
	u64 v = pte_val(p);
	u32 prot = PROT_READ;

	if (!(v & PTE_RDONLY))
		prot |= PROT_WRITE;
	if (v & PTE_USER)
		prot |= PROT_USER;
	if (!(v & ((v & PTE_USER) ? PTE_UXN : PTE_PXN)))
		prot |= PROT_EXEC;
	if (!(v & PTE_NG))
		prot |= PROT_GLOBAL;
	switch ((v & PTE_ATTRINDX_MASK) >> 2) {
	case MT_NORMAL_NC_IDX:		prot |= MT_NORMAL_NC; break;
	case MT_DEVICE_nGnRnE_IDX:	prot |= MT_DEVICE_nGnRnE; break;
	case MT_DEVICE_nGnRE_IDX:	prot |= MT_DEVICE_nGnRE; break;
	default:			prot |= MT_NORMAL; break;
	}
	return prot;
}

/*
 * Stores that the table walker may see. arm64 writes an entry with one 64-bit
 * store; pte_barrier() (asm/tlbflush.h: DSB ISHST; ISB) makes it visible to the
 * walker before the next access through it.
 */
static inline void set_pte(pte_t *ptep, pte_t p)
{
	WRITE_ONCE(ptep->v, pte_val(p));
	pte_barrier();
}

static inline void pte_clear(pte_t *ptep)
{
	WRITE_ONCE(ptep->v, 0);
	pte_barrier();
}

static inline pte_t pte_read(const pte_t *ptep) { return __pte(READ_ONCE(ptep->v)); }

#endif
