/* barrier.h (x86): memory barriers. x86 orders normal stores; these fence what it doesn't. */
#ifndef ASM_X86_BARRIER_H
#define ASM_X86_BARRIER_H

#define barrier()	__asm__ __volatile__("" ::: "memory")
#define mb()		__sync_synchronize()	/* mfence, or a locked add where there is no SSE2 */
#define rmb()		mb()
#define wmb()		barrier()	/* stores are not reordered with stores (SDM 8.2.2) */
/* Between CPUs only store->load needs a fence (SDM 8.2.3.4); the others are compiler barriers. */
#define smp_mb()	mb()
#define smp_rmb()	barrier()
#define smp_wmb()	barrier()
#define dsb(opt)	mb()
#define isb()		barrier()

#endif
