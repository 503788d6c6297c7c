/* esr.h (arm64): Exception Syndrome Register fields (ARM ARM D17.2.37). */
#ifndef ASM_ARM64_ESR_H
#define ASM_ARM64_ESR_H

#define ESR_EC_SHIFT		26
#define ESR_EC(esr)		(((esr) >> ESR_EC_SHIFT) & 0x3f)
#define ESR_IL			(1UL << 25)
#define ESR_ISS(esr)		((esr) & 0x1ffffff)
#define ESR_EC_UNKNOWN		0x00
#define ESR_EC_IABT_LOW		0x20
#define ESR_EC_IABT_CUR		0x21
#define ESR_EC_DABT_LOW		0x24
#define ESR_EC_DABT_CUR		0x25
#define ESR_EC_SVC64		0x15		/* SVC from AArch64 state */
/* Data/instruction abort ISS fields */
#define ESR_ISS_ISV(esr)	(((esr) >> 24) & 1)
#define ESR_ISS_SET(esr)	(((esr) >> 11) & 3)
#define ESR_ISS_FnV(esr)	(((esr) >> 10) & 1)
#define ESR_ISS_EA(esr)		(((esr) >> 9) & 1)
#define ESR_ISS_CM(esr)		(((esr) >> 8) & 1)
#define ESR_ISS_S1PTW(esr)	(((esr) >> 7) & 1)
#define ESR_ISS_WnR(esr)	(((esr) >> 6) & 1)
#define ESR_ISS_FSC(esr)	((esr) & 0x3f)
#define ESR_FSC_TYPE(esr)	(ESR_ISS_FSC(esr) & 0x3c)	/* the kind, without the level */
#define ESR_FSC_TRANSLATION	0x04				/* translation fault: nothing mapped */
#define ESR_FSC_PERMISSION	0x0c				/* permission fault: mapped, access not allowed */
/* HLT #0xf000, the semihosting trap: UNDEFINED when no debugger/semihosting claims it. */
#define INSN_HLT_SEMIHOST	0xd45e0000u

#endif
