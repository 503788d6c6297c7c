/* boot.h (arm64): what head.S leaves for C about the boot — DTB copy outcome, early debug switches. */
#ifndef ASM_ARM64_BOOT_H
#define ASM_ARM64_BOOT_H

/* boot_dtb_err: why head.S did not copy the DTB x0 pointed at. */
#define DTB_ERR_NONE		0	/* copied (or x0 was 0: no DTB at all) */
#define DTB_ERR_ADDR		1	/* not 8-byte aligned, or not in the first GiB */
#define DTB_ERR_MAGIC		2	/* no 0xd00dfeed there */
#define DTB_ERR_TOO_BIG		3	/* its content is larger than boot_dtb_copy (BOOT_DTB_MAX) */

/* early_debug (the word at Image offset 64, 0 in every build): a deliberate fault before C. */
#define EARLY_DEBUG_FAULT_ENTRY	1	/* at the EL the loader entered us at */
#define EARLY_DEBUG_FAULT_EL1	2	/* at EL1, MMU still off */

#endif
