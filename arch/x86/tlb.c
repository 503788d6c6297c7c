/* tlb.c (x86): kernel TLB shootdown — the local flush, then one IPI per range to every other online CPU, acknowledged. */
#include <kernel/irq.h>
#include <kernel/smp.h>
#include <kernel/spinlock.h>
#include <mm/vmstat.h>
#include <asm/memory.h>
#include <asm/tlbflush.h>

/*
 * Who must flush. Every CPU runs on init_mm's tables (one PDPT: the kernel
 * half is the same on all of them), and kernel entries are global (PGE), so
 * any CPU may hold any kernel translation, whatever it last ran: "no IPI to
 * CPUs that cannot hold the entry" excludes no online CPU for a kernel
 * mapping. Offline CPUs (never started, parked in wait-for-SIPI) hold none:
 * INIT and the trampoline's CR3 loads start them with an empty TLB.
 *
 * One shootdown at a time, under tlb_shootdown_lock: the initiator writes
 * the range, sets a bit per target in tlb_shootdown_pending and sends each an
 * IPI_TLB_FLUSH; a target flushes, then clears its bit (that is its
 * acknowledgement); the initiator returns when no bit is left.
 *
 * Callers may have interrupts masked (the generic mm code changes mappings
 * inside spin_lock_irqsave, and cross calls run with interrupts masked), so
 * a target may be spinning with interrupts off — on a lock, or waiting for
 * this very initiator. x86's cpu_relax() therefore also answers a pending
 * shootdown (asm/processor.h): every spin loop acknowledges, so two CPUs
 * flushing at once, or one waiting for the other's cross call, cannot
 * deadlock. Flushing a TLB early or twice is always harmless.
 */
static DEFINE_SPINLOCK(tlb_shootdown_lock);
static vaddr_t shootdown_start, shootdown_end;	/* protected by tlb_shootdown_lock; read by targets */
unsigned long tlb_shootdown_pending;		/* bit n: CPU n still has to flush (atomic ops only) */

/* This CPU's TLB for [start, end): INVLPG each page, or everything above MAX_INVLPG_OPS pages. */
static bool do_flush(vaddr_t start, vaddr_t end)
{
	vaddr_t pages = (end - start) >> PAGE_SHIFT, i;

	if (end == TLB_FLUSH_ALL || pages > MAX_INVLPG_OPS) {
		local_flush_tlb_all();
		return true;
	}
	for (i = 0; i < pages; i++)
		flush_tlb_one_kernel(start + (i << PAGE_SHIFT));
	return false;
}

/*
 * x86_tlb_poll: if a shootdown waits for this CPU, flush and acknowledge it.
 * From the IPI handler and from cpu_relax(); the bit is cleared atomically
 * after the flush, so an IPI nested inside a poll (or the reverse) flushes
 * twice but counts once.
 */
void x86_tlb_poll(void)
{
	unsigned long bit = 1UL << smp_processor_id();

	if (!(__atomic_load_n(&tlb_shootdown_pending, __ATOMIC_ACQUIRE) & bit))
		return;
	do_flush(READ_ONCE(shootdown_start), READ_ONCE(shootdown_end));
	if (__atomic_fetch_and(&tlb_shootdown_pending, ~bit, __ATOMIC_RELEASE) & bit)
		count_vm_event(NR_TLB_REMOTE_FLUSH_RECEIVED);
}

void arch_handle_tlb_flush_ipi(void)
{
	x86_tlb_poll();
}

/* The others' part: one IPI each for the whole range, then wait for every acknowledgement. */
static void shootdown_others(cpumask_t others, vaddr_t start, vaddr_t end)
{
	unsigned int cpu;

	spin_lock(&tlb_shootdown_lock);	/* its wait answers our own pending bit (cpu_relax) */
	WRITE_ONCE(shootdown_start, start);
	WRITE_ONCE(shootdown_end, end);
	__atomic_store_n(&tlb_shootdown_pending, others, __ATOMIC_RELEASE);
	count_vm_event(NR_TLB_REMOTE_FLUSH);
	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
		if (others & cpumask_of(cpu))
			arch_send_ipi(cpu, IPI_TLB_FLUSH);
	while (__atomic_load_n(&tlb_shootdown_pending, __ATOMIC_ACQUIRE))
		cpu_relax();
	spin_unlock(&tlb_shootdown_lock);
}

void flush_tlb_kernel_range(vaddr_t start, vaddr_t end)
{
	unsigned long flags;
	cpumask_t others;

	local_irq_save(flags);
	if (do_flush(start, end))
		count_vm_event(NR_TLB_LOCAL_FLUSH_ALL);
	else
		count_vm_events(NR_TLB_LOCAL_FLUSH_ONE, (end - start) >> PAGE_SHIFT);
	others = cpu_online_mask() & ~cpumask_of(smp_processor_id());
	if (others)
		shootdown_others(others, start, end);
	local_irq_restore(flags);
}

void flush_tlb_all(void)
{
	flush_tlb_kernel_range(0, TLB_FLUSH_ALL);
}
