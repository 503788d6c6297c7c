/* mmu_context.c (x86): a process's PDPT (its user PMDs, the kernel's shared), the CR3 switch, the TSS and its esp0. */
#include <errno.h>
#include <string.h>
#include <kernel/bug.h>
#include <kernel/debugfs.h>
#include <kernel/percpu.h>
#include <kernel/process.h>
#include <kernel/sched.h>
#include <mm/pgtable.h>
#include <asm/memory.h>
#include <asm/processor.h>
#include <asm/smp.h>
#include <asm/syscall.h>
#include <asm/tlbflush.h>

/*
 * The PDPT of a process is its mm's root (mm->ctx: the generic walker's
 * context for [0, TASK_SIZE), PAE level 0 with 4 entries). Entries 0-2 are
 * the user's PMDs, made and freed by mm/pgtable.c; entry 3, outside the
 * context's range, is init_mm's entry 3 (the kernel's PMD: the linear map,
 * vmalloc, the fixmap), copied at the first activation — the only entry of
 * a process table written here, and before any CPU can walk it. The kernel
 * PMD is made at boot and never freed, so the copy stays good.
 *
 * PAE loads the four PDPT entries into registers at each CR3 load (Intel SDM
 * vol. 3, 4.4.1): an entry the walker makes present later (a fault in a GiB
 * that had nothing) counts only after a CR3 reload, and one it clears (its
 * PMD freed) is still used until then. So:
 *  - x86_user_fault_done reloads CR3 after a fault that was supplied in a GiB
 *    whose entry was absent at the last load (pdpt_loaded, per CPU);
 *  - a flush after tables changed in user space (mm/pgtable.c may have freed
 *    a PMD: x86_flush_tlb_range with tables) reloads CR3 on the CPU running
 *    the mm.
 * No PCIDs: every CR3 load drops all non-global (user) TLB entries, so
 * arch_mm_deactivate's switch back to init_mm's PDPT is the TLB flush that
 * lets the next process reuse the addresses; mm->asid stays 0.
 *
 * Concurrency: processes run on every CPU under the scheduler (kernel/
 * sched.c), the kernel with interrupts masked (they are taken in ring 3 and
 * in the idle waits). cur_user_mm and pdpt_loaded are this CPU's: written by
 * it alone, in activate (schedule's switch to a process, fork, execve),
 * arch_mm_switch_idle/deactivate (a switch to the idle task, exit) and its
 * own fault or flush paths (interrupt handlers never touch them), so
 * cur_user_mm always names the mm CR3 holds. x86_flush_tlb_range reads the
 * other CPUs' cur_user_mm (READ_ONCE, after a full barrier) as the mm
 * cpumask; a CPU publishes its new mm before the serialising CR3 load, so a
 * CPU it misses loads the tables after the change.
 */
static DEFINE_PER_CPU(struct mm_struct *, cur_user_mm);	/* the mm CR3 holds, NULL: init_mm's */
static DEFINE_PER_CPU(unsigned int, pdpt_loaded);	/* bit i: PDPT entry i present at the last CR3 load */
static DEFINE_PER_CPU(unsigned long, reloads_fault);	/* CR3 reloads for a new PDPT entry */
static DEFINE_PER_CPU(unsigned long, reloads_tables);	/* CR3 reloads after user tables changed */

#define PDPT_USER_ENTRIES	(TASK_SIZE >> 30)	/* 3: entry 3 is the kernel's */

/* pdpt_present: which of the mm's user PDPT entries hold a PMD now (pt_query stops at level 0 if not). */
static unsigned int pdpt_present(struct mm_struct *mm)
{
	unsigned int i, mask = 0;
	struct pt_query q;

	for (i = 0; i < PDPT_USER_ENTRIES; i++)
		if (!(pt_query(&mm->ctx, (vaddr_t)i << 30, &q) == -ENOENT && q.level == 0))
			mask |= 1u << i;
	return mask;
}

/* load_user_cr3: CR3 := mm's PDPT (which reloads its entries and drops the user TLB entries). */
static void load_user_cr3(struct mm_struct *mm)
{
	*this_cpu_ptr(pdpt_loaded) = pdpt_present(mm);
	write_cr3((unsigned long)mm->ctx.root_pa);
}

/*
 * arch_mm_activate: mm's PDPT gets the kernel's entry 3 (once), then CR3 :=
 * it. Called with interrupts masked. Always 0 (no ids to run out of).
 */
int arch_mm_activate(struct mm_struct *mm)
{
	pte_t *kernel_pmd = &init_mm.root[PDPT_USER_ENTRIES];

	BUG_ON(mm->ctx.root_pa >> 32 || (mm->ctx.root_pa & 31));	/* CR3 holds 32 bits, 32-byte aligned */
	if (!pte_valid(pte_read(&mm->ctx.root[PDPT_USER_ENTRIES])))
		set_pte(&mm->ctx.root[PDPT_USER_ENTRIES], pte_read(kernel_pmd));
	WRITE_ONCE(*this_cpu_ptr(cur_user_mm), mm);	/* before the CR3 load: see Concurrency */
	load_user_cr3(mm);
	return 0;
}

/*
 * arch_mm_switch_idle: CR3 := init_mm's PDPT (the idle task's: no user
 * half); the load drops every user TLB entry (no PCIDs), so this CPU leaves
 * the mm cpumask. Interrupts masked.
 */
void arch_mm_switch_idle(void)
{
	WRITE_ONCE(*this_cpu_ptr(cur_user_mm), NULL);
	*this_cpu_ptr(pdpt_loaded) = 0;
	write_cr3((unsigned long)init_mm.root_pa);
}

/* arch_mm_deactivate: mm leaves this CPU (exit, execve): as a switch to the idle task; no ids to free. */
void arch_mm_deactivate(struct mm_struct *mm)
{
	(void)mm;
	arch_mm_switch_idle();
}

/*
 * x86_user_fault_done: a fault at addr was just supplied for this CPU's
 * process. If its GiB had no PDPT entry at the last CR3 load, reload CR3 so
 * the retried access sees the new PMD (else it would fault forever).
 */
void x86_user_fault_done(unsigned long addr)
{
	struct mm_struct *mm = *this_cpu_ptr(cur_user_mm);

	if (mm && addr < TASK_SIZE && !(*this_cpu_ptr(pdpt_loaded) & (1u << (addr >> 30)))) {
		load_user_cr3(mm);
		(*this_cpu_ptr(reloads_fault))++;
	}
}

/* local_flush_user: this CPU's entries for [start, end) (INVLPG, or a CR3 reload if many or if tables changed). */
static void local_flush_user(vaddr_t start, vaddr_t end, bool tables)
{
	vaddr_t va;

	if (tables || (end - start) >> PAGE_SHIFT > MAX_INVLPG_OPS) {
		*this_cpu_ptr(pdpt_loaded) = 0;	/* unknown until the next supplied fault recounts */
		write_cr3(read_cr3());
		if (tables)
			(*this_cpu_ptr(reloads_tables))++;
		return;
	}
	for (va = start; va < end; va += PAGE_SIZE)
		flush_tlb_one_kernel(va);
}

/*
 * x86_flush_tlb_range: see asm/tlbflush.h. Called with the mm's
 * page_table_lock held (so no pt_query here: pdpt_loaded just becomes 0 when
 * CR3 is reloaded). The mm is not passed, but a user range is always
 * flushed either for the mm this CPU runs (its process's syscall or fault,
 * fork write-protecting the parent) or for an mm no CPU runs (exec building
 * one, exit and execve freeing one after arch_mm_deactivate). A process is
 * one thread, so its mm runs on one CPU at a time, and a CPU that left an
 * mm holds none of its entries (the CR3 load). So the CPUs to flush are this
 * one and those whose cur_user_mm is this CPU's (none while an mm has one
 * thread): no IPI to a CPU running another process or idle.
 */
void x86_flush_tlb_range(vaddr_t start, vaddr_t end, bool tables)
{
	struct mm_struct *mine = *this_cpu_ptr(cur_user_mm);
	unsigned int cpu, me = smp_processor_id();
	bool others = false;

	if (end <= start || start >= TASK_SIZE || end > TASK_SIZE) {
		flush_tlb_kernel_range(start, end);
		return;
	}
	smp_mb();	/* the table change before the others' cur_user_mm (store -> load) */
	for (cpu = 0; mine && cpu < CONFIG_NR_CPUS; cpu++)
		if (cpu != me && READ_ONCE(per_cpu(cur_user_mm, cpu)) == mine)
			others = true;
	if (others)
		flush_tlb_kernel_range(start, end);
	if (mine)
		local_flush_user(start, end, tables);
}

/*
 * /sys/kernel/debug/pdpt: the CR3 reloads PAE's PDPT registers cost, summed
 * over the CPUs ("name value" lines, as vmstat): after a fault that made a
 * new PDPT entry, and after user tables were freed or changed. Each CPU's
 * counters are its own; the sum is read without a lock (a snapshot).
 */
static void pdpt_show(struct seq_buf *s)
{
	unsigned long fault = 0, tables = 0;
	unsigned int cpu;

	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++) {
		fault += READ_ONCE(per_cpu(reloads_fault, cpu));
		tables += READ_ONCE(per_cpu(reloads_tables, cpu));
	}
	seq_buf_printf(s, "cr3_reload_new_pdpte %lu\ncr3_reload_tables %lu\n", fault, tables);
}
DEBUGFS_FILE(pdpt, "/sys/kernel/debug/pdpt", pdpt_show);

/*
 * The TSS: only ss0:esp0 is used (where a trap from ring 3 switches stacks:
 * the running process's kernel stack top, set at each switch to it;
 * no hardware task switching, no I/O bitmap: io_bitmap_base past the limit,
 * so IN/OUT from ring 3 fault, IOPL being 0). Each CPU's is written by itself.
 */
struct x86_tss {
	u32 link, esp0, ss0, esp1, ss1, esp2, ss2, cr3, eip, eflags;
	u32 eax, ecx, edx, ebx, esp, ebp, esi, edi, es, cs, ss, ds, fs, gs, ldt;
	u16 trap, io_bitmap_base;
} __attribute__((packed, aligned(128)));
static struct x86_tss cpu_tss[CONFIG_NR_CPUS];
extern u64 gdt_table[GDT_ENTRIES];
#define SEG_TSS32_AVAIL	0x89u	/* present, DPL 0, 32-bit TSS, not busy */

void x86_load_tss(unsigned int cpu)
{
	u32 base = (u32)(uintptr_t)&cpu_tss[cpu], limit = sizeof(struct x86_tss) - 1;

	_Static_assert(sizeof(struct x86_tss) == 128, "the TSS is 104 bytes, padded to its alignment");
	cpu_tss[cpu].ss0 = __KERNEL_DS;
	cpu_tss[cpu].io_bitmap_base = sizeof(struct x86_tss);
	gdt_table[GDT_ENTRY_TSS + cpu] = (limit & 0xffff) | (u64)(base & 0xffffff) << 16 |
		(u64)SEG_TSS32_AVAIL << 40 | (u64)((limit >> 16) & 0xf) << 48 | (u64)(base >> 24) << 56;
	__asm__ volatile("ltr %w0" :: "r"(__TSS_SEG(cpu)) : "memory");
}

/* x86_set_esp0: this CPU's TSS.esp0 := top (the scheduler's switch: the next process's kernel stack). */
void x86_set_esp0(unsigned long top)
{
	cpu_tss[smp_processor_id()].esp0 = (u32)top;
}

/* x86 keeps instruction fetches coherent with stores. */
void arch_sync_icache(unsigned long start, unsigned long end)
{
}
