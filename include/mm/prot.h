/* prot.h: neutral page protections and memory types, the words generic code maps memory with. */
#ifndef PAGODA_MM_PROT_H
#define PAGODA_MM_PROT_H

/*
 * A protection is one u32: PROT_* access bits | one MT_* memory type. Only
 * arch/<arch>/include/asm/pgtable.h turns it into descriptor bits (pte_mk_leaf)
 * and back (pte_leaf_prot); both directions must round-trip exactly.
 *
 * Rules every arch follows (written here, where the flags are defined):
 *  - PROT_READ is required: neither arm64 nor x86 can map "present but not readable".
 *  - PROT_WRITE implies nothing else; W^X is the caller's choice, checked by ptdump.
 *  - Device memory (MT_DEVICE_*) is always execute-never: PROT_EXEC is dropped and a
 *    query reports the mapping without it.
 *  - PROT_GLOBAL: the mapping is the same in every address space (arm64 nG=0, x86 G=1).
 *    Kernel mappings pass it (PAGE_KERNEL* below).
 */
#define PROT_READ	0x01u
#define PROT_WRITE	0x02u
#define PROT_EXEC	0x04u
#define PROT_USER	0x08u
#define PROT_GLOBAL	0x10u
#define PROT_ACCESS_MASK 0x1fu

#define MT_SHIFT	8
#define MT_NORMAL	(0u << MT_SHIFT)	/* write-back cacheable RAM */
#define MT_NORMAL_NC	(1u << MT_SHIFT)	/* non-cacheable normal memory (DMA buffers) */
#define MT_DEVICE_nGnRnE (2u << MT_SHIFT)	/* strongly ordered device registers */
#define MT_DEVICE_nGnRE	(3u << MT_SHIFT)	/* device registers, early write acknowledgement */
#define MT_MASK		(7u << MT_SHIFT)
#define PROT_VALID_MASK	(PROT_ACCESS_MASK | (3u << MT_SHIFT))

#define prot_mt(p)	((p) & MT_MASK)
#define prot_is_device(p) (prot_mt(p) == MT_DEVICE_nGnRnE || prot_mt(p) == MT_DEVICE_nGnRE)

/* The kernel's usual protections (Linux's PAGE_KERNEL family). */
#define PAGE_KERNEL		(PROT_READ | PROT_WRITE | PROT_GLOBAL | MT_NORMAL)
#define PAGE_KERNEL_RO		(PROT_READ | PROT_GLOBAL | MT_NORMAL)
#define PAGE_KERNEL_ROX		(PROT_READ | PROT_EXEC | PROT_GLOBAL | MT_NORMAL)
#define PAGE_KERNEL_NC		(PROT_READ | PROT_WRITE | PROT_GLOBAL | MT_NORMAL_NC)
#define PAGE_KERNEL_DEVICE	(PROT_READ | PROT_WRITE | PROT_GLOBAL | MT_DEVICE_nGnRE)
#define PAGE_KERNEL_DEVICE_nGnRnE (PROT_READ | PROT_WRITE | PROT_GLOBAL | MT_DEVICE_nGnRnE)

#endif
