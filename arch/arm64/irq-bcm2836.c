/* irq-bcm2836.c (arm64): the BCM2836 ARM-local interrupt controller — a core mailbox per CPU as its IPI doorbell, each core's virtual-timer line, the IRQ entry. */
#include <asm/barrier.h>
#include <asm/board.h>
#include <asm/irqflags.h>
#include <asm/irq.h>
#include <asm/ptrace.h>
#include <asm/smp.h>
#include <kernel/irq.h>
#include <kernel/printk.h>
#include <kernel/seq_buf.h>
#include <kernel/smp.h>
#include <mm/io.h>
#include <libfdt.h>

/*
 * Registers of the ARM-local block (BCM2836 "QA7" ARM Quad A7 core, rev 3.4,
 * §4.6-4.10; checked against QEMU's hw/intc/bcm2836_control.c), per physical
 * core c (MPIDR Aff0) and mailbox m:
 */
#define LOCAL_TIMER_INT_CONTROL(c)	(0x40 + 4 * (c))	/* bit n: route timer line n as IRQ */
#define LOCAL_MAILBOX_INT_CONTROL(c)	(0x50 + 4 * (c))	/* bit m: mailbox m raises an IRQ */
#define LOCAL_IRQ_PENDING(c)		(0x60 + 4 * (c))	/* the core's IRQ sources, read-only */
#define LOCAL_MAILBOX_SET(c, m)		(0x80 + 16 * (c) + 4 * (m))	/* write 1s: set bits */
#define LOCAL_MAILBOX_RDCLR(c, m)	(0xc0 + 16 * (c) + 4 * (m))	/* read; write 1s: clear bits */
/* Source numbers, in the timer control and the pending register alike. */
#define LOCAL_IRQ_CNTPSIRQ	0
#define LOCAL_IRQ_CNTPNSIRQ	1
#define LOCAL_IRQ_CNTHPIRQ	2
#define LOCAL_IRQ_CNTVIRQ	3
#define LOCAL_IRQ_MAILBOX0	4
#define LOCAL_IRQ_GPU		8
#define BCM2836_LOCAL_REGS	0x100	/* the DTB's local_intc reg size */

/*
 * The BCM2835 (GPU-side) interrupt controller's disable registers (BCM2835 ARM
 * Peripherals §7.5, at 0x7E00B200 on the bus): write 1s to disable lines.
 */
#define ARMCTRL_IC_PHYS		_UL(0x3f00b200)
#define ARMCTRL_DISABLE_IRQ1	0x1c
#define ARMCTRL_DISABLE_IRQ2	0x20
#define ARMCTRL_DISABLE_BASIC	0x24

/* The mailbox pagoda uses for IPIs: mailbox 0 of each core, one bit per enum ipi_msg_type (as Linux). */
#define IPI_MAILBOX	0

static void __iomem *local_base;

/* The IPI rows (Linux's arm64 labels and names) and the timer's device row. */
IRQ_ROW(ipi0, 0, "IPI0", "Rescheduling interrupts");
IRQ_ROW(ipi1, 1, "IPI1", "Function call interrupts");
IRQ_ROW(ipi2, 2, "IPI2", "CPU stop interrupts");
IRQ_ROW_HW(timer, "3", "bcm2836-timer", LOCAL_IRQ_CNTVIRQ, "Level", "arch_timer");

static const struct irq_row *const ipi_rows[NR_IPI] = {
	[IPI_RESCHEDULE] = &irq_row_ipi0, [IPI_CALL_FUNC] = &irq_row_ipi1, [IPI_CPU_STOP] = &irq_row_ipi2,
};

/* IRQs that came with no source pending (Linux's "Err:" row: irq_err_count). */
static unsigned long irq_err_count;


/* The physical core of a logical CPU: what the ARM-local registers are indexed by. */
static unsigned int core_of(unsigned int cpu)
{
	return cpu_logical_map[cpu] & 0xff;
}

static void __iomem *reg(unsigned long off)
{
	return (char __iomem *)local_base + off;
}

/*
 * The block's address: the DTB's brcm,bcm2836-l1-intc node (its soc ranges are
 * an identity map on the Pi 3), if it lies inside the board's ARM-local block,
 * which the board's device map maps at LOCAL_VADDR; else the board's address.
 */
static unsigned long local_intc_phys(const void *fdt)
{
	int node = fdt ? fdt_node_offset_by_compatible(fdt, -1, "brcm,bcm2836-l1-intc") : -1, len;
	const fdt32_t *r = node >= 0 ? fdt_getprop(fdt, node, "reg", &len) : NULL;
	unsigned long pa;

	if (!r || len < 4)
		return LOCAL_PHYS;
	pa = fdt32_to_cpu(r[0]);
	if (pa < LOCAL_PHYS || pa + BCM2836_LOCAL_REGS > LOCAL_PHYS + LOCAL_SIZE) {
		printk("irq-bcm2836: DTB puts local_intc at 0x%lx, outside the ARM-local block; using 0x%lx\n",
		       pa, (unsigned long)LOCAL_PHYS);
		return LOCAL_PHYS;
	}
	return pa;
}

/*
 * This CPU's sources: its mailbox 0 and its virtual timer raise IRQs (not
 * FIQs). The mailbox is not cleared here: a secondary is online (and may be
 * sent calls) before it gets here, and a bit set meanwhile must raise its
 * IRQ once routed. Nothing else writes these mailboxes (zero from reset).
 */
void bcm2836_starting_cpu(void)
{
	unsigned int core = core_of(smp_processor_id());

	writel(1u << IPI_MAILBOX, reg(LOCAL_MAILBOX_INT_CONTROL(core)));
	writel(1u << LOCAL_IRQ_CNTVIRQ, reg(LOCAL_TIMER_INT_CONTROL(core)));
}

/* Silences this CPU's sources (a CPU that stops for good). */
void bcm2836_dying_cpu(void)
{
	unsigned int core = core_of(smp_processor_id());

	writel(0, reg(LOCAL_MAILBOX_INT_CONTROL(core)));
	writel(0, reg(LOCAL_TIMER_INT_CONTROL(core)));
}

extern const void *boot_fdt;

/*
 * pagoda drives no peripheral interrupt yet: every line of the GPU-side
 * controller is disabled, so one a loader left enabled cannot raise the GPU
 * IRQ (routed to core 0) for ever with nobody to clear it.
 */
static void armctrl_disable_all(void)
{
	char __iomem *ic = periph_va(ARMCTRL_IC_PHYS);

	writel(0xffffffff, ic + ARMCTRL_DISABLE_IRQ1);
	writel(0xffffffff, ic + ARMCTRL_DISABLE_IRQ2);
	writel(0xffffffff, ic + ARMCTRL_DISABLE_BASIC);
}

/* init_IRQ (start_kernel): the boot CPU's sources; each secondary routes its own in its idle entry. */
void init_IRQ(void)
{
	unsigned long pa = local_intc_phys(boot_fdt);

	local_base = (char __iomem *)LOCAL_VADDR + (pa - LOCAL_PHYS);
	armctrl_disable_all();
	bcm2836_starting_cpu();
	printk("irq-bcm2836: ARM-local interrupt controller at 0x%lx: IPIs through core mailbox %d, "
	       "virtual timer on line %d\n", pa, IPI_MAILBOX, LOCAL_IRQ_CNTVIRQ);
}

/*
 * arch_send_ipi: sets kind's bit in cpu's mailbox. What the IPI announces (a
 * queued call) was written before: the DSB makes it visible to the target
 * before the mailbox write can raise its interrupt.
 */
void arch_send_ipi(unsigned int cpu, enum ipi_msg_type kind)
{
	dsb(ishst);
	writel(1u << kind, reg(LOCAL_MAILBOX_SET(core_of(cpu), IPI_MAILBOX)));
}

void arch_send_call_function_ipi(unsigned int cpu)
{
	arch_send_ipi(cpu, IPI_CALL_FUNC);
}

/*
 * The mailbox's bits are cleared before their kinds are handled: a kind sent
 * again meanwhile sets its bit again and is not lost. The DSB keeps the
 * handler's reads (the call queue) after the mailbox read.
 */
static void handle_mailbox(unsigned int core)
{
	u32 bits = readl(reg(LOCAL_MAILBOX_RDCLR(core, IPI_MAILBOX)));
	unsigned int kind;

	writel(bits, reg(LOCAL_MAILBOX_RDCLR(core, IPI_MAILBOX)));
	dsb(ld);
	for (kind = 0; kind < NR_IPI; kind++) {
		if (!(bits & (1u << kind)))
			continue;
		if (ipi_rows[kind])
			irq_row_inc(ipi_rows[kind]);
		handle_IPI(kind);
	}
}

/*
 * handle_arch_irq: the IRQ vector's C (do_exception, interrupts masked, regs
 * on this CPU's stack). It reads which sources are pending for this core and
 * serves the mailbox and the timer; neither allocates.
 */
void handle_arch_irq(struct pt_regs *regs)
{
	unsigned int core = core_of(smp_processor_id());
	struct pt_regs *old = set_irq_regs(regs);
	u32 pending = readl(reg(LOCAL_IRQ_PENDING(core)));

	if (pending & (1u << (LOCAL_IRQ_MAILBOX0 + IPI_MAILBOX)))
		handle_mailbox(core);
	if (pending & (1u << LOCAL_IRQ_CNTVIRQ)) {
		irq_row_inc(&irq_row_timer);
		arch_timer_handle_irq();
	}
	if (!(pending & ((1u << (LOCAL_IRQ_MAILBOX0 + IPI_MAILBOX)) | (1u << LOCAL_IRQ_CNTVIRQ))))
		irq_err_count++;	/* racy across CPUs, as Linux's; a hint, never zero when it happened */
	set_irq_regs(old);
}

/* Linux's arm64 last row: "Err:" with one total. */
void arch_show_interrupts(struct seq_buf *s, int prec)
{
	seq_buf_printf(s, "%*s: %10lu\n", prec, "Err", READ_ONCE(irq_err_count));
}
