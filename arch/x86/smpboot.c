/* smpboot.c (x86): the application processors — found in the firmware's tables, started by INIT-SIPI-SIPI, given per-CPU segments. */
#include <kernel/arch.h>
#include <kernel/irq.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <mm/memblock.h>
#include <mm/pgtable.h>
#include <asm/apic.h>
#include <asm/memory.h>
#include <asm/processor.h>
#include <asm/switch_to.h>
#include <asm/setup.h>
#include <string.h>

extern const char trampoline_start[], trampoline_end[];
extern u64 gdt_table[GDT_ENTRIES];
extern char early_pdpt[];
extern bool x86_has_nx;

#define INIT_DEASSERT_US	10000u	/* SDM vol. 3, 8.4.4.1: INIT, 10 ms, SIPI, 200 us, SIPI, 200 us */
#define SIPI_WAIT_US		200u
#define SEG_DATA_RW_ACCESSED	0x93u	/* present, DPL 0, data read/write, accessed */
#define SEG_FLAGS_32		0x4u	/* D/B = 32-bit, byte granularity */

/*
 * Concurrency: x86_percpu[cpu] is written by cpu itself (its segment load);
 * the tables below are written by the boot CPU in setup_arch and smp_init,
 * before the CPU they describe runs, and only read afterwards. The
 * trampoline page serves one AP at a time: smp_init starts the next only
 * once the last is online or given up (arch_cpu_up_failed closes the page).
 */
struct x86_percpu x86_percpu[CONFIG_NR_CPUS];
u32 x86_cpu_apic_id[CONFIG_NR_CPUS];
static void *cpu_stack[CONFIG_NR_CPUS];
static unsigned int nr_possible = 1;
static bool trampoline_ok;

extern char init_stack_top[];

/* The bounds [lo, hi) of cpu's stack (the boot CPU's in head.S's .bss, an AP's from memblock). */
void arch_cpu_stack(unsigned int cpu, u64 *lo, u64 *hi)
{
	if (cpu == 0 || cpu >= CONFIG_NR_CPUS || !cpu_stack[cpu]) {
		*hi = (u64)(uintptr_t)init_stack_top;
		*lo = *hi - SECONDARY_STACK_SIZE;	/* head.S's init_stack is as large */
		return;
	}
	*lo = (u64)(uintptr_t)cpu_stack[cpu];
	*hi = *lo + SECONDARY_STACK_SIZE;
}

/*
 * x86_load_percpu_segment: cpu's GDT slot := a data segment over its struct
 * x86_percpu, loaded into %fs; and cpu's TSS into the task register. Each CPU calls it for itself before any C
 * that asks smp_processor_id() (the boot CPU first thing in x86_start_kernel).
 */
void x86_load_percpu_segment(unsigned int cpu)
{
	u32 base = (u32)(uintptr_t)&x86_percpu[cpu], limit = sizeof(struct x86_percpu) - 1;
	u16 sel = __PERCPU_SEG(cpu);

	x86_percpu[cpu].cpu_offset = per_cpu_offset(cpu);
	gdt_table[GDT_ENTRY_PERCPU + cpu] = (limit & 0xffff) | (u64)(base & 0xffffff) << 16 |
		(u64)SEG_DATA_RW_ACCESSED << 40 | (u64)((limit >> 16) & 0xf) << 48 |
		(u64)SEG_FLAGS_32 << 52 | (u64)(base >> 24) << 56;
	__asm__ volatile("movw %0, %%fs" :: "r"(sel) : "memory");
	x86_load_tss(cpu);
}

static void udelay(u32 us)
{
	u64 end = arch_counter_read() + arch_counter_freq() * us / 1000000;

	while (arch_counter_read() < end)
		cpu_relax();
}

/* The firmware's CPU list: the ACPI MADT, else the MP table; malformed is a line and one CPU. */
static bool firmware_cpus(struct fw_cpus *fc)
{
	enum fw_result r = acpi_find_cpus(fc);

	if (r == FW_NONE)
		r = mptable_find_cpus(fc);
	if (r == FW_NONE)
		printk("smp: no ACPI MADT and no MP table: one CPU\n");
	if (r == FW_BAD)
		printk("smp: the firmware's CPU table is malformed: one CPU\n");
	return r == FW_OK;
}

/* Records one AP (APIC id, stack from memblock); says why if it cannot. */
static void add_cpu(u32 apic_id)
{
	unsigned int cpu = nr_possible, i;

	for (i = 0; i < nr_possible; i++)
		if (x86_cpu_apic_id[i] == apic_id) {
			if (i)
				printk("smp: APIC id 0x%02x listed twice; once is used\n", apic_id);
			return;
		}
	cpu_stack[cpu] = memblock_alloc(SECONDARY_STACK_SIZE, 16, "secondary-stack");
	if (!cpu_stack[cpu]) {
		printk("smp: APIC id 0x%02x: no memory for its stack; left alone\n", apic_id);
		return;
	}
	x86_cpu_apic_id[cpu] = apic_id;
	nr_possible++;
}

/*
 * x86_smp_init_cpus (setup_arch, after paging_init, while memblock still
 * allocates): the CPUs and the local APIC's address from the firmware (ACPI
 * first: it is what current firmware maintains, and it tells enabled CPUs from
 * hot-pluggable ones; the MP table is the fallback for firmware without ACPI),
 * a stack for each AP, and the trampoline page reserved as "trampoline".
 */
void x86_smp_init_cpus(void)
{
	struct fw_cpus fc = { 0 };
	unsigned int i;

	x86_cpu_apic_id[0] = x86_percpu[0].apic_id = boot_cpu_apic_id();
	if (!firmware_cpus(&fc))
		return;
	apic_set_base(fc.lapic_base);
	printk("smp: %u CPU%s in the %s, local APIC at 0x%08x\n", fc.nr, fc.nr == 1 ? "" : "s",
	       fc.source, fc.lapic_base);
	if (fc.nr_disabled)
		printk("smp: %u more listed disabled (hot-pluggable): not started\n", fc.nr_disabled);
	for (i = 0; i < fc.nr; i++)
		add_cpu(fc.apic_id[i]);
	if (nr_possible == 1)
		return;
	if (memblock_free(TRAMPOLINE_PA, PAGE_SIZE) || memblock_reserve(TRAMPOLINE_PA, PAGE_SIZE, "trampoline")) {
		printk("smp: cannot reserve the trampoline page at 0x%x: one CPU\n", TRAMPOLINE_PA);
		nr_possible = 1;
		return;
	}
	trampoline_ok = true;
}

unsigned int arch_nr_possible_cpus(void)
{
	return nr_possible;
}

/* The trampoline and its parameters for cpu, in the reserved page below 1 MiB (reached through the linear map). */
static struct trampoline_params *setup_trampoline(unsigned int cpu)
{
	u8 *page = __va(TRAMPOLINE_PA);
	struct trampoline_params *tp = (struct trampoline_params *)(page + TR_PARAMS);

	BUILD_BUG_ON(sizeof(struct trampoline_params) != TR_ANSWERED + 4 - TR_PARAMS);
	memcpy(page, trampoline_start, trampoline_end - trampoline_start);
	*tp = (struct trampoline_params){
		.apic_id = x86_cpu_apic_id[cpu],
		.early_cr3 = (u32)__pa_symbol(early_pdpt),
		.cr3 = (u32)init_mm.root_pa,
		.cr4 = read_cr4() & (X86_CR4_PAE | X86_CR4_PGE),
		.nx = x86_has_nx,
		.stack = (u32)(uintptr_t)cpu_stack[cpu] + SECONDARY_STACK_SIZE,
		.cpu = cpu,
	};
	smp_mb();	/* all of it in memory before the INIT */
	return tp;
}

/*
 * arch_cpu_up: INIT, then two STARTUP IPIs naming the trampoline's page, with
 * the SDM's delays. The AP then runs the trampoline, head.S's
 * secondary_startup_32 and x86_secondary_start; kernel/smp.c waits for it.
 */
bool arch_cpu_up(unsigned int cpu)
{
	struct trampoline_params *tp;
	u32 id = x86_cpu_apic_id[cpu];

	if (!trampoline_ok || !lapic_ticking) {
		printk("CPU%u: no trampoline or no local APIC; not started\n", cpu);
		return false;
	}
	tp = setup_trampoline(cpu);
	apic_send_ipi(id, APIC_DM_INIT | APIC_INT_LEVELTRIG | APIC_INT_ASSERT);
	udelay(INIT_DEASSERT_US);
	apic_send_ipi(id, APIC_DM_STARTUP | (TRAMPOLINE_PA >> 12));
	udelay(SIPI_WAIT_US);
	if (!READ_ONCE(tp->answered)) {
		apic_send_ipi(id, APIC_DM_STARTUP | (TRAMPOLINE_PA >> 12));
		udelay(SIPI_WAIT_US);
	}
	return true;
}

/*
 * arch_cpu_up_failed: no AP may take cpu's place from now on (one that answers
 * late finds another APIC id in the page and halts), and INIT sends cpu back
 * to wait-for-SIPI in case it is somewhere in between.
 */
void arch_cpu_up_failed(unsigned int cpu)
{
	struct trampoline_params *tp = (struct trampoline_params *)((u8 *)__va(TRAMPOLINE_PA) + TR_PARAMS);

	if (!trampoline_ok)
		return;
	WRITE_ONCE(tp->apic_id, TR_APIC_ID_NONE);
	smp_mb();
	apic_send_ipi(x86_cpu_apic_id[cpu], APIC_DM_INIT | APIC_INT_LEVELTRIG | APIC_INT_ASSERT);
}

/* A CPU left out (nosmp, maxcpus=): INIT puts it in wait-for-SIPI, where it runs nothing (the firmware left it halting). */
void arch_cpu_park(unsigned int cpu)
{
	if (lapic_ticking)
		apic_send_ipi(x86_cpu_apic_id[cpu], APIC_DM_INIT | APIC_INT_LEVELTRIG | APIC_INT_ASSERT);
}

unsigned long arch_cpu_id(unsigned int cpu)
{
	return x86_cpu_apic_id[cpu];
}

/* CPUID 1's EAX: the processor signature (family, model, stepping). */
unsigned long arch_cpu_model(void)
{
	u32 a, b, c, d;

	cpuid(1, &a, &b, &c, &d);
	return a;
}

/*
 * x86_secondary_start: an AP's first C, on its own stack, paging on with the
 * final tables. Its %fs, the IDT, PAT (as the boot CPU's), its local APIC
 * and tick; then the generic part says hello and marks it online.
 */
void x86_secondary_start(unsigned int cpu)
{
	x86_load_percpu_segment(cpu);
	x86_percpu[cpu].apic_id = x86_cpu_apic_id[cpu];
	x86_load_idt();
	x86_cpu_init_ap();
	fpu_init_cpu(false);
	apic_init_ap();
	secondary_start_kernel(cpu);
}

/*
 * Idle: the IPI handlers do the work (the call queue, shootdowns) and this
 * CPU's run queue is run here: schedule() returns when the queue is empty
 * and no process of this CPU can go on. Between interrupts the AP halts
 * with interrupts masked outside the window: STI's one-instruction shadow
 * makes "sti; hlt" atomic, so a process queued (or an IPI sent) after the
 * check wakes the HLT (a new or woken process comes with the doorbell IPI).
 */
void arch_secondary_idle(void)
{
	cpu_idle_enter();
	for (;;) {
		generic_smp_call_function_interrupt();
		if (sched_idle_has_work()) {
			cpu_idle_exit();
			schedule();	/* runs this CPU's processes until its queue is empty */
			cpu_idle_enter();
		} else {
			__asm__ volatile("sti; hlt; cli" ::: "memory");
		}
	}
}
