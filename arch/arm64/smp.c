/* smp.c (arm64): the secondary cores — read from the DTB, released from the spin table into head.S's secondary entry. */
#include <asm/barrier.h>
#include <asm/board.h>
#include <asm/cacheflush.h>
#include <asm/memory.h>
#include <asm/smp.h>
#include <asm/irq.h>
#include <asm/sysreg.h>
#include <kernel/irq.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <mm/fixmap.h>
#include <mm/memblock.h>
#include <mm/pgtable.h>
#include <libfdt.h>
#include <string.h>

extern char secondary_entry[], secondary_park[], idmap_pg_dir[];

u64 cpu_logical_map[CONFIG_NR_CPUS];
static u64 cpu_release_addr[CONFIG_NR_CPUS];
static void *cpu_stack[CONFIG_NR_CPUS];
static unsigned int nr_possible = 1;

/* One slot per CPU, found by MPIDR; the core's MMU is off when it reads its slot (SD_* in asm/smp.h). */
struct secondary_data secondary_data[CONFIG_NR_CPUS] __aligned(64);

/*
 * write_release: writes entry (a PA) where cpu's firmware stub polls and wakes
 * it (cleaned to the PoC: the core reads with its MMU and caches off). Only
 * release words in the first page are accepted — that page is the firmware's,
 * reserved in memblock as "spin-table" — and it is reached through an
 * early_memremap window, not the linear map, which a DTB whose RAM starts
 * above PA 0 leaves it out of. Returns false (and says why) if it cannot.
 */
static bool write_release(unsigned int cpu, u64 entry)
{
	u64 release = cpu_release_addr[cpu], *slot;

	slot = early_memremap(release, sizeof(*slot));
	if (!slot) {
		printk("CPU%u: cannot map the spin-table page; left in the firmware's loop\n", cpu);
		return false;
	}
	WRITE_ONCE(*slot, entry);
	dcache_clean_inval_range((unsigned long)slot, (unsigned long)(slot + 1));
	dsb(sy);
	__asm__ volatile("sev" ::: "memory");
	early_memunmap(slot, sizeof(*slot));
	return true;
}

/* Records one secondary (hardware id, release word) and gives it a stack; says why if not. */
static void add_cpu(u64 hwid, u64 release)
{
	unsigned int cpu = nr_possible;

	if (release >= PAGE_SIZE || (release & 7)) {
		printk("smp: CPU 0x%llx: cpu-release-addr 0x%llx outside the spin-table page; left alone\n",
		       (unsigned long long)hwid, (unsigned long long)release);
		return;
	}
	if (cpu >= CONFIG_NR_CPUS) {
		printk("smp: CPU 0x%llx: more than %u CPUs (CONFIG_NR_CPUS); left alone\n",
		       (unsigned long long)hwid, CONFIG_NR_CPUS);
		return;
	}
	cpu_stack[cpu] = memblock_alloc(SECONDARY_STACK_SIZE, 16, "secondary-stack");
	if (!cpu_stack[cpu]) {
		printk("smp: CPU 0x%llx: no memory for its stack; left alone\n", (unsigned long long)hwid);
		return;
	}
	cpu_logical_map[cpu] = hwid;
	cpu_release_addr[cpu] = release;
	nr_possible++;
}

/* The DTB's cpu nodes with enable-method "spin-table", the boot CPU left out. */
static void cpus_from_fdt(const void *fdt)
{
	int cpus = fdt_path_offset(fdt, "/cpus"), node, len;

	fdt_for_each_subnode(node, fdt, cpus) {
		const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
		const char *method = fdt_getprop(fdt, node, "enable-method", NULL);
		const fdt64_t *rel = fdt_getprop(fdt, node, "cpu-release-addr", &len);

		if (!reg || fdt32_to_cpu(*reg) == cpu_logical_map[0] || !method || strcmp(method, "spin-table"))
			continue;
		if (!rel || len != sizeof(*rel))
			continue;
		add_cpu(fdt32_to_cpu(*reg), fdt64_to_cpu(*rel));
	}
}

void smp_init_cpus(const void *fdt)
{
	unsigned int i;

	cpu_logical_map[0] = read_sysreg(mpidr_el1) & MPIDR_HWID_MASK;
	if (fdt)
		cpus_from_fdt(fdt);
	else
		for (i = 0; i < board_nr_cpu_release_addr; i++)	/* the board's, as its DTB says */
			add_cpu(i + 1, board_cpu_release_addr[i]);
}

unsigned int arch_nr_possible_cpus(void)
{
	return nr_possible;
}

/*
 * arch_cpu_up: fills secondary_data for cpu — its stack, its per-CPU offset,
 * the boot CPU's MMU registers and the final kernel tables (init_mm, so after
 * paging_init) — cleans it to the PoC and releases the core into head.S's
 * secondary_entry.
 */
bool arch_cpu_up(unsigned int cpu)
{
	struct secondary_data *sd = &secondary_data[cpu];

	sd->stack = (u64)cpu_stack[cpu] + SECONDARY_STACK_SIZE;
	sd->cpu = per_cpu_offset(cpu);
	sd->mair = read_sysreg(mair_el1);
	sd->tcr = read_sysreg(tcr_el1) & ~TCR_EPD0;
	sd->sctlr = read_sysreg(sctlr_el1);
	sd->ttbr1 = init_mm.root_pa;
	sd->idmap = __pa_symbol(idmap_pg_dir);
	sd->ttbr0 = read_sysreg(ttbr0_el1);	/* paging_init's empty table */
	sd->mpidr = cpu_logical_map[cpu] | SD_MPIDR_VALID;
	dcache_clean_inval_range((unsigned long)sd, (unsigned long)(sd + 1));
	dsb(sy);
	return write_release(cpu, __pa_symbol(secondary_entry));
}

/* Given up on: if the core answers after all, it finds no slot and parks (head.S). */
void arch_cpu_up_failed(unsigned int cpu)
{
	struct secondary_data *sd = &secondary_data[cpu];

	WRITE_ONCE(sd->mpidr, 0);
	dcache_clean_inval_range((unsigned long)sd, (unsigned long)(sd + 1));
	dsb(sy);
}

/* A CPU left out (nosmp, maxcpus=): into head.S's WFI park, so it does not spin in the firmware's WFE loop. */
void arch_cpu_park(unsigned int cpu)
{
	write_release(cpu, __pa_symbol(secondary_park));
}

unsigned long arch_cpu_id(unsigned int cpu)
{
	return cpu_logical_map[cpu];
}

unsigned long arch_cpu_model(void)
{
	return read_sysreg(midr_el1);
}

extern char boot_stack[], boot_stack_top[];

/* The bounds of cpu's stack (the boot CPU's in the image, a secondary's from memblock). */
void arch_cpu_stack(unsigned int cpu, u64 *lo, u64 *hi)
{
	if (cpu == 0 || cpu >= CONFIG_NR_CPUS || !cpu_stack[cpu]) {
		*lo = (u64)boot_stack;
		*hi = (u64)boot_stack_top;
		return;
	}
	*lo = (u64)cpu_stack[cpu];
	*hi = *lo + SECONDARY_STACK_SIZE;
}

/*
 * Idle: this CPU's mailbox and timer raise IRQs, then it runs the processes
 * of its run queue (kernel/sched.c) or sleeps in WFI until an interrupt is
 * pending, and takes it; the IPI handler runs the call queue. No polling of the
 * queue is needed: a call is queued before its mailbox bit is set, the bit is
 * level-triggered and is cleared only by this CPU's handler before it reads
 * the queue, so no call can be left behind while the CPU sleeps.
 */
void arch_secondary_idle(void)
{
	bcm2836_starting_cpu();
	arch_timer_starting_cpu();
	cpu_idle_enter();
	for (;;) {
		/* masked: a process queued between the check and WFI still wakes it (the tick is pending) */
		__asm__ volatile("msr daifset, #2" ::: "memory");
		if (sched_idle_has_work()) {
			cpu_idle_exit();
			schedule();	/* runs this CPU's processes until its queue is empty */
			cpu_idle_enter();
		} else {
			__asm__ volatile("wfi" ::: "memory");
		}
		__asm__ volatile("msr daifclr, #2" ::: "memory");	/* IRQs on: the pending one is taken */
	}
}

/*
 * The boot CPU's window for pending interrupts (its console wait, between
 * run= commands, taskset's wait): unmask IRQs, synchronise so a pending one
 * is taken here, mask again. Until init_IRQ has run there is nothing to take.
 */
void arch_irq_window(void)
{
	__asm__ volatile("msr daifclr, #2\n\tisb\n\tmsr daifset, #2" ::: "memory");
}

/* A CPU stopped for good: its tick and mailbox silenced (so WFI sleeps), IRQs masked. */
void arch_cpu_halt(void)
{
	__asm__ volatile("msr daifset, #3" ::: "memory");
	arch_timer_dying_cpu();
	bcm2836_dying_cpu();
	for (;;)
		__asm__ volatile("wfi" ::: "memory");
}
