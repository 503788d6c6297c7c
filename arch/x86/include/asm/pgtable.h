/* pgtable.h (x86): the PAE entry format behind the generic page-table core (mm/pgtable.c). */
#ifndef ASM_X86_PGTABLE_H
#define ASM_X86_PGTABLE_H

/*
 * PAE paging, 32-bit VA, 64-bit entries: three levels.
 *
 *   level 0 (PDPT)  shift 30   1 GiB per entry    4 entries, table only; Present + address,
 *                                                 every other bit reserved (loaded at CR3 load)
 *   level 1 (PMD)   shift 21   2 MiB per entry    512 entries, table or 2 MiB page (PS=1)
 *   level 2 (PTE)   shift 12   4 KiB per entry    512 entries, page
 *
 * Memory types go through PAT (arch/x86/mmu.c programs it like Linux):
 * PCD:PWT = 00 WB (MT_NORMAL), 01 WC (MT_NORMAL_NC), 10 UC- (MT_DEVICE_nGnRE),
 * 11 UC (MT_DEVICE_nGnRnE). The contract is at the top of include/mm/pgtable.h.
 */
#include <mm/prot.h>
#include <asm/barrier.h>
#include <asm/pgtable-hwdef.h>
#include <asm/tlbflush.h>

typedef struct { u64 v; } pte_t;
#define __pte(x)	((pte_t){ (x) })
#define pte_val(p)	((p).v)

#define PT_LEVELS	3
#define PT_ARCH_NAME	"x86"
#define PT_PA_BITS	52

static inline unsigned int pt_shift(int level) { return 30 - 9 * level; }
static inline unsigned int pt_entries(int level) { return level == 0 ? 4 : 512; }
static inline bool pt_level_has_block(int level) { return level == 1; }
static inline unsigned int pt_cont_entries(int level) { return 0; }

/*
 * NX exists only with EFER.NXE (set by arch/x86/mmu.c when CPUID has it);
 * otherwise bit 63 is reserved and must stay clear. __supported_pte_mask is
 * Linux's name; where nothing defines it (the host build of mm/) every bit is
 * supported.
 */
extern u64 __supported_pte_mask __attribute__((weak));
static inline u64 pte_nx_bit(void)
{
	return (&__supported_pte_mask ? __supported_pte_mask : ~0ULL) & _PAGE_NX;
}

/* What every present mapping grants, whatever was asked: PROT_EXEC on a CPU without NX. */
static inline u32 arch_prot_implied(void)
{
	return pte_nx_bit() ? 0 : PROT_EXEC;
}

static inline bool pte_none(pte_t p) { return pte_val(p) == 0; }
static inline bool pte_valid(pte_t p) { return pte_val(p) & _PAGE_PRESENT; }
static inline bool pte_is_table(pte_t p, int level)
{
	return pte_valid(p) && (level == 0 || (level == 1 && !(pte_val(p) & _PAGE_PSE)));
}
static inline bool pte_is_leaf(pte_t p, int level) { return pte_valid(p) && !pte_is_table(p, level); }
static inline bool pte_cont(pte_t p) { return false; }
static inline pte_t pte_mkcont(pte_t p) { return p; }
static inline pte_t pte_mknoncont(pte_t p) { return p; }

static inline paddr_t pte_table_pa(pte_t p) { return pte_val(p) & PTE_PFN_MASK; }
static inline paddr_t pte_leaf_pa(pte_t p, int level)
{
	return pte_val(p) & (level == 1 ? PMD_PAGE_MASK : PTE_PFN_MASK);
}

/*
 * pte_mk_table: a PDPT entry is Present + address only (RW/US/NX there are
 * reserved bits in PAE mode). A PDE pointing to a page table allows
 * everything (P|RW|US|A, no NX), so that the leaf alone decides, as Linux's
 * _PAGE_TABLE does.
 */
static inline pte_t pte_mk_table(paddr_t pa, int level)
{
	u64 v = (pa & PTE_PFN_MASK) | _PAGE_PRESENT;

	if (level > 0)
		v |= _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED;
	return __pte(v);
}

static inline u64 x86_mt_to_cache_bits(u32 mt)
{
	switch (mt) {
	case MT_NORMAL_NC:	return _PAGE_PWT;		/* PAT 1: WC */
	case MT_DEVICE_nGnRE:	return _PAGE_PCD;		/* PAT 2: UC- */
	case MT_DEVICE_nGnRnE:	return _PAGE_PCD | _PAGE_PWT;	/* PAT 3: UC */
	default:		return 0;			/* PAT 0: WB */
	}
}

/*
 * pte_mk_leaf: THE place neutral protections become PAE bits. A 2 MiB page
 * (PS) at level 1, a 4 KiB page at level 2. Accessed and Dirty are preset so
 * the CPU never writes an entry behind the walker's back. Device memory is
 * always NX; without EFER.NXE nothing can be NX.
 */
static inline pte_t pte_mk_leaf(paddr_t pa, int level, u32 prot)
{
	u64 v = (pa & (level == 1 ? PMD_PAGE_MASK : PTE_PFN_MASK)) |
		_PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_DIRTY;

	if (level == 1)
		v |= _PAGE_PSE;
	v |= x86_mt_to_cache_bits(prot_mt(prot));
	if (prot & PROT_WRITE)
		v |= _PAGE_RW;
	if (prot & PROT_USER)
		v |= _PAGE_USER;
	if (prot & PROT_GLOBAL)
		v |= _PAGE_GLOBAL;
	if (!(prot & PROT_EXEC) || prot_is_device(prot))
		v |= pte_nx_bit();
	return __pte(v);
}

/* pte_wrprotect: the same leaf without write access (fork's copy-on-write; Linux's pte_wrprotect). */
static inline pte_t pte_wrprotect(pte_t p) { return __pte(pte_val(p) & ~_PAGE_RW); }

/* pte_leaf_prot: THE place PAE bits become neutral protections (queries, ptdump, W^X). */
static inline u32 pte_leaf_prot(pte_t p, int level)
{
	u64 v = pte_val(p);
	u32 prot = PROT_READ;

	if (v & _PAGE_RW)
		prot |= PROT_WRITE;
	if (v & _PAGE_USER)
		prot |= PROT_USER;
	if (!(v & _PAGE_NX))
		prot |= PROT_EXEC;
	if (v & _PAGE_GLOBAL)
		prot |= PROT_GLOBAL;
	switch (v & _PAGE_CACHE_MASK) {
	case _PAGE_PWT:			prot |= MT_NORMAL_NC; break;
	case _PAGE_PCD:			prot |= MT_DEVICE_nGnRE; break;
	case _PAGE_PCD | _PAGE_PWT:	prot |= MT_DEVICE_nGnRnE; break;
	default:			prot |= MT_NORMAL; break;
	}
	if (prot_is_device(prot))
		prot &= ~PROT_EXEC;
	return prot;
}

/*
 * Stores the walker may see. A 64-bit entry is two 32-bit stores on i386, so
 * the order matters: making an entry present writes the high word (NX, upper
 * address bits) first and the low word (with Present) last; clearing writes
 * the low word first, so the walker never uses half of an entry.
 */
static inline void set_pte(pte_t *ptep, pte_t p)
{
	volatile u32 *w = (volatile u32 *)ptep;

	w[1] = (u32)(pte_val(p) >> 32);
	barrier();
	w[0] = (u32)pte_val(p);
	pte_barrier();
}

static inline void pte_clear(pte_t *ptep)
{
	volatile u32 *w = (volatile u32 *)ptep;

	w[0] = 0;
	barrier();
	w[1] = 0;
	pte_barrier();
}

/* Reads high, low, high again until stable: a concurrent two-store update is never seen torn. */
static inline pte_t pte_read(const pte_t *ptep)
{
	const volatile u32 *w = (const volatile u32 *)ptep;
	u32 hi, lo;

	do {
		hi = w[1];
		lo = w[0];
	} while (hi != w[1]);
	return __pte(((u64)hi << 32) | lo);
}

#endif
