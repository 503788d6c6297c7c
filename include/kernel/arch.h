/* arch.h: the hooks every architecture implements for the generic kernel (kernel/, mm/). */
#ifndef PAGODA_ARCH_H
#define PAGODA_ARCH_H

#include <compiler.h>

/* setup_arch: consoles, traps, memory discovery into memblock, paging_init. */
void setup_arch(void);
/* The free-running counter and its frequency in Hz (arm64: CNTPCT/CNTFRQ; x86: TSC). */
u64 arch_counter_read(void);
u64 arch_counter_freq(void);
/*
 * arch_poweroff: end the machine with status (0 = success). Under QEMU it exits
 * QEMU with that status where the machine lets it (semihosting, isa-debug-exit);
 * otherwise it parks the CPU.
 */
__noreturn void arch_poweroff(int status);
/*
 * The largest status arch_poweroff hands on unchanged: 255 for arm64
 * semihosting (an exit code is a byte), 127 for x86's isa-debug-exit (QEMU
 * exits with (status << 1) | 1, so the top bit would be lost).
 */
extern const int arch_poweroff_status_max;
/* A line for /proc/version and the boot banner, e.g. "aarch64" or "i686 (PAE)". */
extern const char arch_name[];

#endif
