/* barrier.h (arm64): memory barriers and instruction synchronisation. */
#ifndef ASM_ARM64_BARRIER_H
#define ASM_ARM64_BARRIER_H

#define isb()		__asm__ volatile("isb" : : : "memory")
#define dsb(opt)	__asm__ volatile("dsb " #opt : : : "memory")
#define dmb(opt)	__asm__ volatile("dmb " #opt : : : "memory")
#define mb()		dsb(sy)
#define wmb()		dsb(st)
#define rmb()		dsb(ld)
/*
 * SMP barriers order accesses between CPUs of the inner-shareable domain (all
 * four A53 cores): DMB, not DSB — no completion of device or TLB work is needed.
 */
#define smp_mb()	dmb(ish)
#define smp_rmb()	dmb(ishld)
#define smp_wmb()	dmb(ishst)
#define cpu_relax()	__asm__ volatile("yield" : : : "memory")

#endif
