/* setjmp.h: non-local return, so a fault inside a shell command can end just that command. */
#ifndef PAGODA_SETJMP_H
#define PAGODA_SETJMP_H

#include <compiler.h>
#include <asm/setjmp.h>		/* typedef ... jmp_buf[] (the callee-saved registers) */
#include <kernel/percpu.h>

int setjmp(jmp_buf env) __attribute__((returns_twice));
__noreturn void longjmp(jmp_buf env, int val);

/*
 * Fault recovery: a caller that can survive a fault sets fault_recovery to a
 * jmp_buf it setjmp()ed; the arch's fault handler, after printing its report,
 * calls fault_recover(), which longjmp()s there (value 1) or panics if unset.
 * It is per CPU (a command run on another CPU by taskset recovers on that
 * CPU's stack), read and written only by its CPU.
 */
DECLARE_PER_CPU(jmp_buf *, fault_recovery_pcpu);
#define fault_recovery	(*this_cpu_ptr(fault_recovery_pcpu))
__noreturn void fault_recover(const char *what);

#endif
