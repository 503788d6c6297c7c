/* smp.h (x86): pagoda runs one CPU on x86 (no APs started yet). */
#ifndef ASM_X86_SMP_H
#define ASM_X86_SMP_H

#define CONFIG_NR_CPUS		1

#endif
