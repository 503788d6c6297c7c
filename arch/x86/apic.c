/* apic.c (x86): the local APIC — enabling it, the 8259s masked, the periodic tick, IPIs, and the interrupt vectors' handlers. */
#include <kernel/arch.h>
#include <kernel/irq.h>
#include <kernel/printk.h>
#include <kernel/smp.h>
#include <mm/io.h>
#include <asm/apic.h>
#include <asm/io.h>
#include <asm/irqflags.h>
#include <asm/memory.h>
#include <asm/processor.h>
#include <asm/ptrace.h>

/* 8259A PICs (ports and ICWs: the 8259A datasheet) */
#define PIC1_CMD	0x20
#define PIC1_DATA	0x21
#define PIC2_CMD	0xa0
#define PIC2_DATA	0xa1
#define PIC_ICW1_INIT	0x11		/* edge, cascade, ICW4 follows */
#define PIC_ICW4_8086	0x01
#define PIC_SPURIOUS	7		/* the IRQ line a PIC reports a spurious interrupt on */

#define MSR_IA32_APICBASE	0x1b
#define APICBASE_ENABLE		(1u << 11)
#define X86_FEATURE_EDX_APIC	(1u << 9)	/* CPUID 1 */
#define CALIBRATE_US		10000u		/* one tick's worth of the APIC timer, measured on the TSC */

/*
 * The tick: HZ (100) periodic interrupts per CPU, LOC in /proc/interrupts.
 * pagoda has no scheduler yet, so the tick only proves delivery and wakes
 * HLT; 100 Hz keeps its cost small on an emulator sharing a 2-core host with
 * seven others (each tick is a VM exit's worth of work for TCG), while LOC
 * still moves visibly within a test's second.
 */
/*
 * The rows, Linux's x86 labels, ranked in Linux's order: /proc/interrupts
 * reads LOC, SPU, RES, CAL, TLB, ERR.
 */
IRQ_ROW(loc, 0, "LOC", "Local timer interrupts");
IRQ_ROW(spu, 1, "SPU", "Spurious interrupts");
IRQ_ROW(res, 2, "RES", "Rescheduling interrupts");
IRQ_ROW(cal, 3, "CAL", "Function call interrupts");
IRQ_ROW(tlb, 4, "TLB", "TLB shootdowns");
IRQ_ROW(err, 5, "ERR", "APIC errors and unexpected vectors");

/*
 * Set once by the boot CPU (apic_init) before any AP starts, read-only after.
 * Each CPU's registers sit at the same address (the local APIC is per CPU);
 * the IRQ rows' counts are per CPU, bumped by their CPU in its handlers.
 */
static volatile u32 __iomem *lapic;	/* ioremap_np'd (UC) */
static u32 lapic_phys;
static u32 lapic_tick_count;		/* APIC timer counts per tick (divide by 16), from the calibration */
bool lapic_ticking;

u32 apic_read(u32 reg)
{
	return lapic[reg / 4];
}

void apic_write(u32 reg, u32 v)
{
	lapic[reg / 4] = v;
}

static void apic_eoi(void)
{
	apic_write(APIC_EOI, 0);
}

u32 boot_cpu_apic_id(void)
{
	u32 a, b, c, d;

	cpuid(1, &a, &b, &c, &d);
	return b >> 24;
}

void apic_set_base(u32 pa)
{
	lapic_phys = pa;
}

/* Both 8259s moved off the exception vectors (to 0x20-0x2f) and every line masked: the APIC delivers. */
static void pic_mask_all(void)
{
	outb(PIC_ICW1_INIT, PIC1_CMD);
	outb(PIC_ICW1_INIT, PIC2_CMD);
	outb(PIC_VECTOR_BASE, PIC1_DATA);
	outb(PIC_VECTOR_BASE + 8, PIC2_DATA);
	outb(1 << 2, PIC1_DATA);	/* the slave hangs on IRQ2 */
	outb(2, PIC2_DATA);
	outb(PIC_ICW4_8086, PIC1_DATA);
	outb(PIC_ICW4_8086, PIC2_DATA);
	outb(0xff, PIC1_DATA);
	outb(0xff, PIC2_DATA);
}

/* This CPU's APIC on: software-enabled with the spurious vector, LINT0 (the 8259's line) masked, errors to a vector. */
static void apic_setup_local(void)
{
	apic_write(APIC_TASKPRI, 0);
	apic_write(APIC_LVT0, APIC_LVT_MASKED);
	apic_write(APIC_LVTERR, ERROR_APIC_VECTOR);
	apic_write(APIC_ESR, 0);
	apic_write(APIC_ESR, 0);
	apic_write(APIC_SPIV, APIC_SPIV_ENABLE | SPURIOUS_APIC_VECTOR);
}

static void apic_start_tick(void)
{
	apic_write(APIC_TDCR, APIC_TDR_DIV_16);
	apic_write(APIC_LVTT, LOCAL_TIMER_VECTOR | APIC_LVT_TIMER_PERIODIC);
	apic_write(APIC_TMICT, lapic_tick_count);
}

/*
 * apic_sample: the APIC timer's current count with the TSC around the read;
 * false if the read took so long (the vCPU descheduled in between) that the
 * pair cannot be trusted.
 */
static bool apic_sample(u64 *tsc, u32 *count)
{
	u64 a = arch_counter_read(), b;

	*count = apic_read(APIC_TMCCT);
	b = arch_counter_read();
	*tsc = a + (b - a) / 2;
	return b - a < arch_counter_freq() / 10000;	/* 100 us */
}

/*
 * calibrate_tick: the APIC timer counts down from ~0 (at 62.5 MHz under QEMU
 * it would take a minute to wrap); two tight (TSC, count) samples at least
 * CALIBRATE_US apart give its rate against the TSC (arch/x86/time.c, itself
 * calibrated on the PIT), so a vCPU descheduled in between costs nothing.
 * Returns the counts in one tick at HZ, 0 if no tight sample came.
 */
static u32 calibrate_tick(void)
{
	u64 t0, t1, end;
	u32 c0, c1, tries = 0;

	apic_write(APIC_TDCR, APIC_TDR_DIV_16);
	apic_write(APIC_LVTT, APIC_LVT_MASKED | LOCAL_TIMER_VECTOR);
	apic_write(APIC_TMICT, 0xffffffffu);
	while (!apic_sample(&t0, &c0))
		if (++tries > 1000)
			return 0;
	end = t0 + arch_counter_freq() * CALIBRATE_US / 1000000;
	while (arch_counter_read() < end)
		cpu_relax();
	while (!apic_sample(&t1, &c1))
		if (++tries > 2000)
			return 0;
	apic_write(APIC_TMICT, 0);
	return (u32)((u64)(c0 - c1) * arch_counter_freq() / (t1 - t0) / HZ);
}

/*
 * apic_init: the boot CPU's local APIC, mapped uncached (ioremap_np: PAT UC)
 * at the address the MADT or MP table gave (else the APIC base MSR's), the
 * 8259s masked, the tick calibrated and started. False (one line) on a CPU
 * without an APIC: then there is no tick and no SMP.
 */
bool apic_init(void)
{
	u32 a, b, c, d;

	cpuid(1, &a, &b, &c, &d);
	if (!(d & X86_FEATURE_EDX_APIC)) {
		printk("APIC: the CPU has no local APIC; one CPU, no timer tick\n");
		return false;
	}
	if (!lapic_phys)
		lapic_phys = (u32)rdmsr(MSR_IA32_APICBASE) & ~0xfffu;
	lapic = ioremap_np(lapic_phys, PAGE_SIZE);
	if (!lapic) {
		printk("APIC: cannot map the local APIC at 0x%08x; one CPU, no timer tick\n", lapic_phys);
		return false;
	}
	pic_mask_all();
	apic_setup_local();
	lapic_tick_count = calibrate_tick();
	if (!lapic_tick_count) {
		printk("APIC timer: calibration against the TSC failed; one CPU, no timer tick\n");
		return false;
	}
	printk("APIC: local APIC version 0x%x at 0x%08x (ID 0x%02x); 8259 PICs masked\n",
	       apic_read(APIC_LVR) & 0xff, lapic_phys, apic_read(APIC_ID) >> 24);
	printk("APIC timer: HZ %u, %u counts per tick (divide by 16, calibrated on %u ms of the TSC)\n",
	       HZ, lapic_tick_count, CALIBRATE_US / 1000);
	apic_start_tick();
	lapic_ticking = true;
	return true;
}

/* Each AP, on its way into the kernel: the same local set-up and the boot CPU's calibrated tick. */
void apic_init_ap(void)
{
	apic_setup_local();
	apic_start_tick();
}

/* apic_send_ipi: one interrupt-command write (ICR2 then ICR), with interrupts masked so no handler's IPI splits the pair. */
void apic_send_ipi(u32 apic_id, u32 icr)
{
	unsigned long flags = arch_local_irq_save();

	while (apic_read(APIC_ICR) & APIC_ICR_BUSY)
		cpu_relax();
	apic_write(APIC_ICR2, apic_id << 24);
	apic_write(APIC_ICR, icr);
	arch_local_irq_restore(flags);
}

static const u8 ipi_vector[NR_IPI] = {
	[IPI_RESCHEDULE] = RESCHEDULE_VECTOR,
	[IPI_CALL_FUNC] = CALL_FUNCTION_VECTOR,
	[IPI_CPU_STOP] = REBOOT_VECTOR,
	[IPI_TLB_FLUSH] = TLB_FLUSH_VECTOR,
};

/* arch_send_ipi: fixed delivery, physical destination = cpu's APIC id, one vector per kind. */
void arch_send_ipi(unsigned int cpu, enum ipi_msg_type kind)
{
	if (lapic && cpu < CONFIG_NR_CPUS && kind < NR_IPI)
		apic_send_ipi(x86_cpu_apic_id[cpu], APIC_DM_FIXED | APIC_INT_ASSERT | ipi_vector[kind]);
}

void arch_send_call_function_ipi(unsigned int cpu)
{
	arch_send_ipi(cpu, IPI_CALL_FUNC);
}

/* An IPI: counted, acknowledged (so the next one can be taken while this one runs its work), run. */
static void ipi_irq(const struct irq_row *row, enum ipi_msg_type kind)
{
	if (row)
		irq_row_inc(row);
	apic_eoi();
	handle_IPI(kind);
}

/*
 * x86_handle_irq: vectors 32-255 (traps.c), interrupts masked (interrupt
 * gates). A spurious APIC interrupt and a masked 8259's spurious IRQ 7/15
 * take no EOI; anything else unexpected is counted as ERR and acknowledged.
 */
static void do_x86_irq(struct pt_regs *regs)
{
	u32 vec = regs->vector;

	switch (vec) {
	case LOCAL_TIMER_VECTOR:
		irq_row_inc(&irq_row_loc);
		apic_eoi();
		timer_tick();
		return;
	case CALL_FUNCTION_VECTOR:
		return ipi_irq(&irq_row_cal, IPI_CALL_FUNC);
	case TLB_FLUSH_VECTOR:
		return ipi_irq(&irq_row_tlb, IPI_TLB_FLUSH);
	case RESCHEDULE_VECTOR:
		return ipi_irq(&irq_row_res, IPI_RESCHEDULE);
	case REBOOT_VECTOR:
		return ipi_irq(NULL, IPI_CPU_STOP);
	case SPURIOUS_APIC_VECTOR:
	case PIC_VECTOR_BASE + PIC_SPURIOUS:
	case PIC_VECTOR_BASE + 8 + PIC_SPURIOUS:
		irq_row_inc(&irq_row_spu);
		return;
	case ERROR_APIC_VECTOR:
		apic_write(APIC_ESR, 0);
		break;
	}
	irq_row_inc(&irq_row_err);
	if (lapic)
		apic_eoi();
}

/* The saved registers are this CPU's irq regs while the handler runs (the stop IPI prints them). */
void x86_handle_irq(struct pt_regs *regs)
{
	struct pt_regs *old = set_irq_regs(regs);

	do_x86_irq(regs);
	set_irq_regs(old);
}

/*
 * x86_poll_interrupts: opens a one-instruction window (STI's shadow covers
 * the NOP) in which pending interrupts — IPIs, the tick — are taken, then
 * masks again. The console's input wait calls it, so a boot CPU waiting at
 * the prompt answers IPIs. It must not be called holding a lock an IPI
 * handler takes (the call queue's; the shootdown's is never held by a waiter).
 */
void x86_poll_interrupts(void)
{
	if (arch_irqs_disabled_flags(arch_local_save_flags()))
		__asm__ volatile("sti; nop; cli" ::: "memory");
}

/* The generic waits (the shell's input, taskset, between run= commands) let interrupts in here. */
void arch_irq_window(void)
{
	x86_poll_interrupts();
}

/* arch_cpu_halt: the stop IPI's end — this CPU's tick silenced, interrupts masked, HLT for good. */
void arch_cpu_halt(void)
{
	if (lapic)
		apic_write(APIC_LVTT, APIC_LVT_MASKED | LOCAL_TIMER_VECTOR);
	for (;;)
		__asm__ volatile("cli; hlt" ::: "memory");
}

/* arch_ioremap_devices (start_kernel, after vmalloc_init): the local APIC is x86's one MMIO device to map. */
void arch_ioremap_devices(void)
{
	apic_init();
}
