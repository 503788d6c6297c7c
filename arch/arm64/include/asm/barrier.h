/* barrier.h (arm64): memory barriers and instruction synchronisation. */
#ifndef ASM_ARM64_BARRIER_H
#define ASM_ARM64_BARRIER_H

#define isb()		__asm__ volatile("isb" : : : "memory")
#define dsb(opt)	__asm__ volatile("dsb " #opt : : : "memory")
#define dmb(opt)	__asm__ volatile("dmb " #opt : : : "memory")
#define mb()		dsb(sy)
#define wmb()		dsb(st)
#define rmb()		dsb(ld)
#define cpu_relax()	__asm__ volatile("yield" : : : "memory")

#endif
