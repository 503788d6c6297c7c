/* percpu.h (x86): this CPU's per-CPU offset, read through %fs (Linux's x86-32 per-CPU segment). */
#ifndef ASM_X86_PERCPU_H
#define ASM_X86_PERCPU_H

/*
 * Every CPU loads %fs with its own GDT segment (arch/x86/smpboot.c:
 * x86_load_percpu_segment) whose base is its struct x86_percpu; the offset is
 * that struct's first word, so one %fs-relative load gives it, whichever CPU
 * runs. The boot CPU sets %fs before any C that asks (x86_start_kernel's
 * first call).
 */
static inline unsigned long __my_cpu_offset(void)
{
	unsigned long off;

	/* volatile + memory: no task migrates yet, but the read must not be cached across a switch later. */
	__asm__ volatile("movl %%fs:0, %0" : "=r"(off) : : "memory");
	return off;
}

/* The offset is fixed per CPU when its segment is loaded; there is nothing to set later. */
static inline void set_my_cpu_offset(unsigned long off)
{
	(void)off;
}

#endif
