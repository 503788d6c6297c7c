/* fault_cmds.c: `fault KIND` — deliberate faults, to see the reports and that the shell survives. */
#include <kernel/bug.h>
#include <kernel/printk.h>
#include <kernel/smp.h>
#include <kernel/shell.h>
#include <mm/pgtable.h>
#include <mm/vmalloc.h>
#include <string.h>

extern char _text[], __start_rodata[];

/* Each kind is one access the kernel map must refuse. */
/* Through a volatile, so the compiler can neither see nor fold the bad address. */
static volatile uintptr_t low_addr[2] = { 0, 8 };

static void fault_null_read(void) { (void)*(volatile unsigned long *)low_addr[0]; }
static void fault_null_write(void) { *(volatile unsigned long *)low_addr[1] = 1; }
static void fault_write_text(void) { *(volatile unsigned int *)_text = 0; }
static void fault_write_rodata(void) { *(volatile char *)__start_rodata = 0; }
/* One byte past a fresh one-page vmalloc area: its guard page (the area is left behind). */
static void fault_vmalloc_guard(void)
{
	volatile char *p = vmalloc(PAGE_SIZE);

	if (p)
		p[PAGE_SIZE] = 1;
}
/* Not a fault: panic() itself, to see the stop IPI (every other CPU's registers, then the power-off). */
static void fault_panic(void)
{
	panic("fault: panic requested on CPU%u", smp_processor_id());
}

static void panic_here(void *waiting)
{
	panic("fault: panic requested on CPU%u while CPU%u waits with interrupts masked",
	      smp_processor_id(), *(unsigned int *)waiting);
}

/*
 * Not a fault: another CPU panics while this one waits for it in a cross call
 * with interrupts masked (a command's context), so the stop IPI cannot reach
 * this CPU: panic names it ("SMP: failed to stop secondary CPUs N") and goes
 * on. The path a CPU stuck with interrupts masked takes.
 */
static void fault_panic_other(void)
{
	unsigned int me = smp_processor_id(), cpu;

	for_each_online_cpu(cpu)
		if (cpu != me) {
			smp_call_function_single(cpu, panic_here, &me, 1);
			return;
		}
	kprintf("fault: panic-other: no other CPU is online\n");
}

static unsigned int exec_data_insn[4] __aligned(16);	/* in .bss: NX after paging_init */

static void fault_exec_data(void)
{
	void (*fn)(void) = (void (*)(void))(void *)exec_data_insn;

	fn();
}

/*
 * Only a map that refuses execution can show the fault: on a CPU without NX
 * (x86 -cpu pentium3) BSS is executable and the zeros would run as code.
 * Returns true if the kind must not run here (and says why).
 */
static bool fault_refused(const char *kind)
{
	struct pt_query q;

	if (strcmp(kind, "exec-data"))
		return false;
	if (pt_query(&init_mm, (vaddr_t)exec_data_insn, &q) || !(q.prot & PROT_EXEC))
		return false;
	kprintf("fault: exec-data: kernel data is executable on this CPU (no NX); not run\n");
	return true;
}

static const struct {
	const char *kind;
	void (*fn)(void);
	const char *what;
} faults[] = {
	{ "null", fault_null_read, "read from address 0 (nothing is mapped there)" },
	{ "write-null", fault_null_write, "write to address 8" },
	{ "write-text", fault_write_text, "write to kernel text (read-only)" },
	{ "write-rodata", fault_write_rodata, "write to kernel rodata (read-only)" },
	{ "exec-data", fault_exec_data, "execute from kernel data (execute-never)" },
	{ "vmalloc-guard", fault_vmalloc_guard, "write to the guard page after a vmalloc area" },
	{ "panic", fault_panic, "panic (stops every CPU and the machine)" },
	{ "panic-other", fault_panic_other,
	  "another CPU panics while this one waits with interrupts masked (it cannot be stopped)" },
};

static int cmd_fault(int argc, char **argv)
{
	unsigned int i;

	for (i = 0; argc == 2 && i < ARRAY_SIZE(faults); i++) {
		if (strcmp(argv[1], faults[i].kind))
			continue;
		if (fault_refused(faults[i].kind))
			return 1;
		kprintf("fault: %s\n", faults[i].what);
		faults[i].fn();
		kprintf("fault: %s did NOT fault\n", faults[i].kind);
		return 1;
	}
	kprintf("usage: fault KIND, KIND one of:");
	for (i = 0; i < ARRAY_SIZE(faults); i++)
		kprintf(" %s", faults[i].kind);
	kprintf("\n");
	return 1;
}
SHELL_CMD(fault, "fault", "fault KIND", "make a deliberate fault (the report, then a new prompt)", cmd_fault);
