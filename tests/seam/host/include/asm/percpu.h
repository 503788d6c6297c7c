/* percpu.h (host seam): each thread stands for a CPU; its per-CPU offset is thread-local (tests/host/smp_seam.c). */
#ifndef HOST_ASM_PERCPU_H
#define HOST_ASM_PERCPU_H

extern __thread unsigned long host_cpu_offset;	/* 0 in every thread until it sets its own */

static inline unsigned long __my_cpu_offset(void)
{
	return host_cpu_offset;
}

static inline void set_my_cpu_offset(unsigned long off)
{
	host_cpu_offset = off;
}

#endif
