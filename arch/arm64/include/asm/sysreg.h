/* sysreg.h (arm64): system-register access and the register bits pagoda sets (ARM ARM D13/D17). */
#ifndef ASM_ARM64_SYSREG_H
#define ASM_ARM64_SYSREG_H

#include <compiler.h>

/* SCTLR_EL1 (ARM ARM D13.2.118) */
#define SCTLR_M		BIT(0)		/* MMU enable */
#define SCTLR_A		BIT(1)		/* alignment check */
#define SCTLR_C		BIT(2)		/* data cache */
#define SCTLR_SA	BIT(3)		/* SP alignment check */
#define SCTLR_I		BIT(12)		/* instruction cache */
#define SCTLR_WXN	BIT(19)		/* write implies XN */
#define SCTLR_EE	BIT(25)
#define SCTLR_EL1_RES1	(BIT(11) | BIT(20) | BIT(22) | BIT(23) | BIT(28) | BIT(29))

/* MAIR_EL1 attribute indexes (the AttrIndx field of a descriptor) and their encodings */
#define MT_NORMAL_IDX		0
#define MT_NORMAL_NC_IDX	1
#define MT_DEVICE_nGnRnE_IDX	2
#define MT_DEVICE_nGnRE_IDX	3
#define MAIR_ATTR_NORMAL	0xffUL	/* Normal, inner/outer write-back non-transient, RW-allocate */
#define MAIR_ATTR_NORMAL_NC	0x44UL	/* Normal, inner/outer non-cacheable */
#define MAIR_ATTR_DEVICE_nGnRnE	0x00UL
#define MAIR_ATTR_DEVICE_nGnRE	0x04UL
#define MAIR_EL1_VALUE	((MAIR_ATTR_NORMAL << (8 * MT_NORMAL_IDX)) | \
			 (MAIR_ATTR_NORMAL_NC << (8 * MT_NORMAL_NC_IDX)) | \
			 (MAIR_ATTR_DEVICE_nGnRnE << (8 * MT_DEVICE_nGnRnE_IDX)) | \
			 (MAIR_ATTR_DEVICE_nGnRE << (8 * MT_DEVICE_nGnRE_IDX)))

/* TCR_EL1 (ARM ARM D13.2.120): 48-bit VA both halves, 4 KiB granule, inner-shareable WB walks */
#define TCR_T0SZ(n)	((u64)(64 - (n)) << 0)
#define TCR_T1SZ(n)	((u64)(64 - (n)) << 16)
#define TCR_IRGN0_WBWA	(1UL << 8)
#define TCR_ORGN0_WBWA	(1UL << 10)
#define TCR_SH0_INNER	(3UL << 12)
#define TCR_TG0_4K	(0UL << 14)
#define TCR_EPD0	(1UL << 7)	/* no walks through TTBR0 */
#define TCR_IRGN1_WBWA	(1UL << 24)
#define TCR_ORGN1_WBWA	(1UL << 26)
#define TCR_SH1_INNER	(3UL << 28)
#define TCR_TG1_4K	(2UL << 30)
#define TCR_IPS_SHIFT	32		/* set from ID_AA64MMFR0_EL1.PARange at boot */
#define TCR_A1		(1UL << 22)
#define TCR_AS		(1UL << 36)
#define TCR_EL1_VALUE	(TCR_T0SZ(48) | TCR_T1SZ(48) | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA | \
			 TCR_SH0_INNER | TCR_TG0_4K | TCR_IRGN1_WBWA | TCR_ORGN1_WBWA | \
			 TCR_SH1_INNER | TCR_TG1_4K)

/* HCR_EL2 */
#define HCR_RW		BIT(31)		/* EL1 is AArch64 */
/* SPSR: EL1h with DAIF masked */
#define SPSR_EL1h_DAIF	0x3c5UL
/* CPACR_EL1.FPEN: no trapping of FP/SIMD (libfdt may use SIMD registers) */
#define CPACR_FPEN	(3UL << 20)
/* CNTHCTL_EL2: EL1 may read the physical counter and timer */
#define CNTHCTL_EL1PCEN_EL1PCTEN 3UL

#ifndef __ASSEMBLER__
#define read_sysreg(r) ({ u64 __v; __asm__ volatile("mrs %0, " #r : "=r"(__v)); __v; })
#define write_sysreg(v, r) __asm__ volatile("msr " #r ", %0" : : "r"((u64)(v)))
#endif

#endif
