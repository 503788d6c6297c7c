/* smp.h (arm64): the secondary cores' parking (arch/arm64/smp.c). */
#ifndef ASM_ARM64_SMP_H
#define ASM_ARM64_SMP_H

/* Releases cores 1-3 from the firmware's spin table into a WFI park (needs the linear map). */
void smp_park_secondaries(const void *fdt);

#endif
