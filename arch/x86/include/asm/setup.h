/* setup.h (x86): what the x86 boot pieces (arch/x86/, drivers/serial/8250.c) call in each other. */
#ifndef ASM_X86_SETUP_H
#define ASM_X86_SETUP_H

#include <types.h>

/* head.S: what the Multiboot loader handed over. */
extern u32 multiboot_magic, multiboot_info_pa;

void serial8250_init(void);		/* drivers/serial/8250.c: COM1 console */
void trap_init(void);			/* traps.c: the IDT, every vector to its entry.S stub */
void x86_load_idt(void);		/* traps.c: this CPU's IDTR := that IDT */
void tsc_init(void);			/* time.c: TSC frequency from the PIT */
void multiboot_parse(void);		/* memory.c: command line, memory map -> memblock */
const char *multiboot_loader_name(void);
void x86_cpu_brand(char buf[49]);	/* cpuinfo.c: CPUID's brand string, or "unknown" */
void x86_cpu_init(void);		/* mmu.c: NX (EFER.NXE), PAT, global pages */
void x86_cpu_init_ap(void);		/* mmu.c: an AP's PAT */
__attribute__((noreturn)) void x86_start_kernel(void);

struct pt_regs;
void do_trap(struct pt_regs *regs);	/* traps.c, called by entry.S */

#endif
