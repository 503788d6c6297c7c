/* percpu.h (x86): pagoda runs one CPU on x86, so the per-CPU offset is CPU 0's (a %fs segment later). */
#ifndef ASM_X86_PERCPU_H
#define ASM_X86_PERCPU_H

static inline unsigned long __my_cpu_offset(void)
{
	return 0;
}

static inline void set_my_cpu_offset(unsigned long off)
{
	(void)off;
}

#endif
