/* fpu.c (x86): the user's x87/MMX/SSE state — CR0/CR4 on each CPU, FXSAVE/FXRSTOR at every switch, a clean state at execve. */
#include <string.h>
#include <kernel/printk.h>
#include <kernel/process.h>
#include <asm/processor.h>
#include <asm/switch_to.h>

/*
 * The state is switched eagerly (as Linux does since 4.x): a task with an mm
 * has its registers saved when it leaves a CPU and loaded when it comes back,
 * whether or not it used them, so no #NM trap and no lazy owner to track
 * across CPUs. Tasks without an mm (the idle tasks, a process past exit's
 * mm release) run only kernel code, which is built with -mgeneral-regs-only:
 * their switches skip the save and the load.
 *
 * Without FXSR (a CPU before the Pentium II), CR0.EM stays set: an x87
 * instruction in a user program raises #NM and ends that program with the
 * usual trap line, never another process's registers.
 */
static bool use_fxsr;		/* set by the boot CPU before any process exists, then read-only */

/* FXSAVE's layout (Intel SDM vol. 1, 10.5.1): FCW at 0, MXCSR at 24; a zero FTW byte is an empty stack. */
static struct { u8 b[512]; } init_fx __attribute__((aligned(16)));

static inline void fxsave(void *area)
{
	__asm__ __volatile__("fxsave (%0)" :: "r"(area) : "memory");
}

static inline void fxrstor(const void *area)
{
	__asm__ __volatile__("fxrstor (%0)" :: "r"(area) : "memory");
}

static void init_fx_fill(bool sse)
{
	u16 fcw = 0x037f;		/* every x87 exception masked, 64-bit precision, round to nearest */
	u32 mxcsr = 0x1f80;		/* every SSE exception masked, round to nearest */

	memcpy(&init_fx.b[0], &fcw, sizeof(fcw));
	if (sse)
		memcpy(&init_fx.b[24], &mxcsr, sizeof(mxcsr));
}

void fpu_init_cpu(bool boot)
{
	u32 a, b, c, d;
	unsigned long cr0 = read_cr0() & ~(unsigned long)X86_CR0_TS;

	cpuid(1, &a, &b, &c, &d);
	if (!(d & X86_FEATURE_EDX_FPU) || !(d & X86_FEATURE_EDX_FXSR)) {
		write_cr0(cr0 | X86_CR0_EM);
		if (boot)
			printk("x86/fpu: no FXSAVE on this CPU: a user program's x87/SSE instruction ends it (#NM)\n");
		return;
	}
	write_cr0((cr0 & ~(unsigned long)X86_CR0_EM) | X86_CR0_MP | X86_CR0_NE);
	write_cr4(read_cr4() | X86_CR4_OSFXSR | (d & X86_FEATURE_EDX_SSE ? X86_CR4_OSXMMEXCPT : 0));
	__asm__ __volatile__("fninit");
	if (!boot)
		return;
	init_fx_fill(d & X86_FEATURE_EDX_SSE);
	use_fxsr = true;
	printk("x86/fpu: x87 FPU will use FXSAVE\n");
}

void fpu_switch(struct process *prev, struct process *next)
{
	if (!use_fxsr)
		return;
	if (prev->mm)
		fxsave(fx_area(&prev->thread));
	if (next->mm)
		fxrstor(fx_area(&next->thread));
}

void fpu_fork(struct thread_struct *child)
{
	if (use_fxsr)
		fxsave(fx_area(child));
}

void fpu_init_state(struct thread_struct *t)
{
	memcpy(fx_area(t), &init_fx, sizeof(init_fx));
}

void fpu_exec(void)
{
	if (use_fxsr)
		fxrstor(&init_fx);
}
