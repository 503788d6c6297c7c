/* apic.h (x86): the local APIC (xAPIC, MMIO) — registers, pagoda's vectors, and what the firmware says about the CPUs. */
#ifndef ASM_X86_APIC_H
#define ASM_X86_APIC_H

#include <asm/smp.h>

/* Local APIC registers, offsets from its base (Intel SDM vol. 3, table 10-1). */
#define APIC_ID			0x020	/* bits 31:24 */
#define APIC_LVR		0x030	/* version */
#define APIC_TASKPRI		0x080
#define APIC_EOI		0x0b0
#define APIC_SPIV		0x0f0	/* spurious vector, bit 8: APIC software enable */
#define APIC_ESR		0x280
#define APIC_ICR		0x300	/* interrupt command, low word (writing it sends) */
#define APIC_ICR2		0x310	/* high word: destination in bits 31:24 */
#define APIC_LVTT		0x320	/* timer */
#define APIC_LVT0		0x350	/* LINT0 */
#define APIC_LVT1		0x360	/* LINT1 */
#define APIC_LVTERR		0x370
#define APIC_TMICT		0x380	/* timer initial count */
#define APIC_TMCCT		0x390	/* timer current count */
#define APIC_TDCR		0x3e0	/* timer divide configuration */

#define APIC_SPIV_ENABLE	(1u << 8)
#define APIC_LVT_MASKED		(1u << 16)
#define APIC_LVT_TIMER_PERIODIC	(1u << 17)
#define APIC_TDR_DIV_16		0x3
#define APIC_DM_FIXED		0x000
#define APIC_DM_INIT		0x500
#define APIC_DM_STARTUP		0x600
#define APIC_ICR_BUSY		(1u << 12)	/* delivery status: send pending */
#define APIC_INT_ASSERT		(1u << 14)
#define APIC_INT_LEVELTRIG	(1u << 15)
#define APIC_DEFAULT_PHYS_BASE	0xfee00000u

/* Vectors, Linux's where it has them (arch/x86/include/asm/irq_vectors.h); 0x20-0x2f: the masked 8259s. */
#define PIC_VECTOR_BASE		0x20
#define LOCAL_TIMER_VECTOR	0xec
#define TLB_FLUSH_VECTOR	0xf0
#define REBOOT_VECTOR		0xf8	/* IPI_CPU_STOP */
#define CALL_FUNCTION_VECTOR	0xfb
#define RESCHEDULE_VECTOR	0xfd
#define ERROR_APIC_VECTOR	0xfe
#define SPURIOUS_APIC_VECTOR	0xff

/* pagoda's periodic tick on every CPU (apic.c explains the choice). */
#define HZ			100

#ifndef __ASSEMBLER__
#include <types.h>

/* The CPUs the firmware lists (acpi.c), the boot CPU among them. */
struct fw_cpus {
	const char *source;		/* "ACPI MADT" or "MP table" */
	u32 lapic_base;			/* the local APIC's PA */
	unsigned int nr;		/* entries in apic_id */
	unsigned int nr_disabled;	/* CPUs listed but not enabled (hot-pluggable): never started */
	u32 apic_id[CONFIG_NR_CPUS];	/* enabled CPUs only, in the table's order */
};

enum fw_result { FW_NONE, FW_OK, FW_BAD };

/*
 * acpi_find_cpus / mptable_find_cpus: read the enabled CPUs out of the ACPI
 * MADT or the MP configuration table through early_memremap. FW_NONE: no such
 * table; FW_BAD: one is there but malformed (a line says how); FW_OK: fc is
 * filled (CPUs beyond CONFIG_NR_CPUS are left out with a line).
 */
enum fw_result acpi_find_cpus(struct fw_cpus *fc);
enum fw_result mptable_find_cpus(struct fw_cpus *fc);
/* The tables' parsers, on a table already in memory (len bytes); what the two above use. */
enum fw_result madt_parse(const u8 *t, u32 len, struct fw_cpus *fc);
enum fw_result mpc_parse(const u8 *t, u32 len, struct fw_cpus *fc);

/* apic.c */
extern bool lapic_ticking;		/* this kernel runs the LAPIC timer (so HLT wakes) */
u32 apic_read(u32 reg);
void apic_write(u32 reg, u32 v);
void apic_set_base(u32 pa);		/* setup_arch: where the MADT/MP table put it */
bool apic_init(void);			/* boot CPU: map, enable, mask the 8259s, calibrate and start the tick */
void apic_init_ap(void);		/* each AP: enable its APIC, start its tick */
void apic_send_ipi(u32 apic_id, u32 icr);	/* ICR: vector | delivery mode | level bits */
u32 boot_cpu_apic_id(void);		/* from CPUID (works before the APIC is mapped) */

struct pt_regs;
void x86_handle_irq(struct pt_regs *regs);	/* traps.c: vectors 32-255 */
void x86_poll_interrupts(void);		/* take what is pending (the console's input wait) */
#endif

#endif
