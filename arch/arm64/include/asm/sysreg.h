/* sysreg.h (arm64): system-register access and the register bits pagoda sets (ARM ARM D13/D17). */
#ifndef ASM_ARM64_SYSREG_H
#define ASM_ARM64_SYSREG_H

#include <const.h>
#ifndef __ASSEMBLER__
#include <compiler.h>
#endif

/* SCTLR_EL1 (ARM ARM D13.2.118) */
#define SCTLR_M		_BITUL(0)		/* MMU enable */
#define SCTLR_A		_BITUL(1)		/* alignment check */
#define SCTLR_C		_BITUL(2)		/* data cache */
#define SCTLR_SA	_BITUL(3)		/* SP alignment check */
#define SCTLR_I		_BITUL(12)		/* instruction cache */
#define SCTLR_WXN	_BITUL(19)		/* write implies XN */
#define SCTLR_EE	_BITUL(25)
#define SCTLR_EL1_RES1	(_BITUL(11) | _BITUL(20) | _BITUL(22) | _BITUL(23) | _BITUL(28) | _BITUL(29))

/* MAIR_EL1 attribute indexes (the AttrIndx field of a descriptor) and their encodings */
#define MT_NORMAL_IDX		0
#define MT_NORMAL_NC_IDX	1
#define MT_DEVICE_nGnRnE_IDX	2
#define MT_DEVICE_nGnRE_IDX	3
#define MAIR_ATTR_NORMAL	_UL(0xff)	/* Normal, inner/outer write-back non-transient, RW-allocate */
#define MAIR_ATTR_NORMAL_NC	_UL(0x44)	/* Normal, inner/outer non-cacheable */
#define MAIR_ATTR_DEVICE_nGnRnE	_UL(0x00)
#define MAIR_ATTR_DEVICE_nGnRE	_UL(0x04)
#define MAIR_EL1_VALUE	((MAIR_ATTR_NORMAL << (8 * MT_NORMAL_IDX)) | \
			 (MAIR_ATTR_NORMAL_NC << (8 * MT_NORMAL_NC_IDX)) | \
			 (MAIR_ATTR_DEVICE_nGnRnE << (8 * MT_DEVICE_nGnRnE_IDX)) | \
			 (MAIR_ATTR_DEVICE_nGnRE << (8 * MT_DEVICE_nGnRE_IDX)))

/* TCR_EL1 (ARM ARM D13.2.120): 48-bit VA both halves, 4 KiB granule, inner-shareable WB walks */
#define TCR_T0SZ(n)	((_UL(64) - (n)) << 0)
#define TCR_T1SZ(n)	((_UL(64) - (n)) << 16)
#define TCR_IRGN0_WBWA	(_UL(1) << 8)
#define TCR_ORGN0_WBWA	(_UL(1) << 10)
#define TCR_SH0_INNER	(_UL(3) << 12)
#define TCR_TG0_4K	(_UL(0) << 14)
#define TCR_EPD0	(_UL(1) << 7)	/* no walks through TTBR0 */
#define TCR_IRGN1_WBWA	(_UL(1) << 24)
#define TCR_ORGN1_WBWA	(_UL(1) << 26)
#define TCR_SH1_INNER	(_UL(3) << 28)
#define TCR_TG1_4K	(_UL(2) << 30)
#define TCR_IPS_SHIFT	32		/* set from ID_AA64MMFR0_EL1.PARange at boot */
#define TCR_A1		(_UL(1) << 22)
#define TCR_AS		(_UL(1) << 36)
#define TCR_EL1_VALUE	(TCR_T0SZ(48) | TCR_T1SZ(48) | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA | \
			 TCR_SH0_INNER | TCR_TG0_4K | TCR_IRGN1_WBWA | TCR_ORGN1_WBWA | \
			 TCR_SH1_INNER | TCR_TG1_4K)

/* HCR_EL2 */
#define HCR_RW		_BITUL(31)		/* EL1 is AArch64 */
/* SPSR: EL1h with DAIF masked */
#define SPSR_EL1h_DAIF	_UL(0x3c5)
/* CPACR_EL1.FPEN: no trapping of FP/SIMD (libfdt may use SIMD registers) */
#define CPACR_FPEN	(_UL(3) << 20)
/* CNTHCTL_EL2: EL1 may read the physical counter and timer */
#define CNTHCTL_EL1PCEN_EL1PCTEN _UL(3)

#ifndef __ASSEMBLER__
#define read_sysreg(r) ({ u64 __v; __asm__ volatile("mrs %0, " #r : "=r"(__v)); __v; })
#define write_sysreg(v, r) __asm__ volatile("msr " #r ", %0" : : "r"((u64)(v)))
#endif

#endif
