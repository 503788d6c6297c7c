/* percpu.h (arm64): this CPU's per-CPU offset lives in TPIDR_EL1 (set by head.S for every CPU). */
#ifndef ASM_ARM64_PERCPU_H
#define ASM_ARM64_PERCPU_H

static inline unsigned long __my_cpu_offset(void)
{
	unsigned long off;

	/* volatile + memory: a task never migrates yet, but the read must not be cached across a switch later. */
	__asm__ volatile("mrs %0, tpidr_el1" : "=r"(off) : : "memory");
	return off;
}

static inline void set_my_cpu_offset(unsigned long off)
{
	__asm__ volatile("msr tpidr_el1, %0" : : "r"(off) : "memory");
}

#endif
