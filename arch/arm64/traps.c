/* traps.c (arm64): synchronous exceptions decoded like Linux, then recovery or panic. */
#include <asm/esr.h>
#include <asm/exception.h>
#include <asm/irq.h>
#include <asm/ptrace.h>
#include <asm/memory.h>
#include <kernel/atomic.h>
#include <kernel/bug.h>
#include <kernel/irq.h>
#include <kernel/smp.h>
#include <kernel/kallsyms.h>
#include <kernel/printk.h>
#include <kernel/setjmp.h>
#include <mm/kfence.h>
#include <mm/vmalloc.h>
#include <stdio.h>

void do_exception(struct pt_regs *regs, unsigned long kind);

static const char *const ec_names[64] = {
	[0x00] = "Unknown/Uncategorized",	[0x01] = "WFI/WFE",
	[0x07] = "SIMD/FP",			[0x0e] = "PSTATE.IL",
	[0x15] = "SVC (AArch64)",		[0x16] = "HVC (AArch64)",
	[0x17] = "SMC (AArch64)",		[0x18] = "MSR/MRS (AArch64)",
	[0x20] = "IABT (lower EL)",		[0x21] = "IABT (current EL)",
	[0x22] = "PC Alignment",		[0x24] = "DABT (lower EL)",
	[0x25] = "DABT (current EL)",		[0x26] = "SP Alignment",
	[0x2c] = "FP (AArch64)",		[0x2f] = "SError",
	[0x31] = "Breakpoint (current EL)",	[0x33] = "Software Step (current EL)",
	[0x35] = "Watchpoint (current EL)",	[0x3c] = "BRK (AArch64)",
};

static const char *ec_name(unsigned int ec)
{
	return ec_names[ec] ? ec_names[ec] : "UNRECOGNIZED EC";
}

/* The fault status code in words, as Linux's fault_info table names them. */
static void fsc_name(unsigned int fsc, char *buf, size_t n)
{
	unsigned int level = fsc & 3;

	switch (fsc & 0x3c) {
	case 0x00: snprintf(buf, n, "level %u address size fault", level); return;
	case 0x04: snprintf(buf, n, "level %u translation fault", level); return;
	case 0x08: snprintf(buf, n, "level %u access flag fault", level); return;
	case 0x0c: snprintf(buf, n, "level %u permission fault", level); return;
	case 0x14: snprintf(buf, n, "level %u (translation table walk)", level); return;
	}
	switch (fsc) {
	case 0x10: snprintf(buf, n, "synchronous external abort"); return;
	case 0x18: snprintf(buf, n, "synchronous parity or ECC error"); return;
	case 0x21: snprintf(buf, n, "alignment fault"); return;
	case 0x30: snprintf(buf, n, "TLB conflict abort"); return;
	}
	snprintf(buf, n, "unknown %u", fsc);
}

/*
 * dump_backtrace: follows the AAPCS64 frame records (x29 -> {prev x29, lr}),
 * built with -fno-omit-frame-pointer, while they stay inside this CPU's stack.
 */
static void dump_backtrace(const struct pt_regs *regs)
{
	u64 fp = regs->regs[29], lo, hi;
	char sym[96];
	int depth;

	arch_cpu_stack(smp_processor_id(), &lo, &hi);
	printk("Call trace:\n");
	printk(" %s\n", sprint_symbol(sym, sizeof(sym), regs->elr));
	for (depth = 0; depth < 16; depth++) {
		if (fp < lo || fp + 16 > hi || (fp & 15))
			break;
		u64 lr = ((const u64 *)fp)[1];
		if (!lr)
			break;
		printk(" %s\n", sprint_symbol(sym, sizeof(sym), lr - 4));
		fp = ((const u64 *)fp)[0];
	}
}

static void show_regs(const struct pt_regs *regs)
{
	char sym[96];
	int i;

	printk("pc : %s\n", sprint_symbol(sym, sizeof(sym), regs->elr));
	printk("lr : %s\n", sprint_symbol(sym, sizeof(sym), regs->regs[30]));
	printk("sp : %016llx\n", (unsigned long long)regs->sp);
	printk("far: %016llx pstate: %08llx\n", (unsigned long long)regs->far,
	       (unsigned long long)regs->spsr);
	for (i = 29; i >= 0; i -= 2) {
		if (i == 0)
			printk("x0 : %016llx\n", (unsigned long long)regs->regs[0]);
		else
			printk("x%-2d: %016llx x%-2d: %016llx\n", i, (unsigned long long)regs->regs[i],
			       i - 1, (unsigned long long)regs->regs[i - 1]);
	}
}

/* mem_abort_report: Linux's "Unable to handle kernel ..." block for a data/instruction abort. */
static void mem_abort_report(const struct pt_regs *regs)
{
	u64 esr = regs->esr, far = regs->far;
	unsigned int ec = ESR_EC(esr);
	char fsc[48], vmdesc[192];

	printk("Unable to handle kernel %s at virtual address %016llx\n",
	       far < PAGE_SIZE ? "NULL pointer dereference" : "paging request",
	       (unsigned long long)far);
	if (vmalloc_describe_fault(far, vmdesc, sizeof(vmdesc)))
		printk("vmalloc: %016llx is %s\n", (unsigned long long)far, vmdesc);
	printk("Mem abort info:\n");
	printk("  ESR = 0x%016llx\n", (unsigned long long)esr);
	printk("  EC = 0x%02x: %s, IL = %u bits\n", ec, ec_name(ec), (esr & ESR_IL) ? 32 : 16);
	printk("  SET = %llu, FnV = %llu\n", (unsigned long long)ESR_ISS_SET(esr),
	       (unsigned long long)ESR_ISS_FnV(esr));
	printk("  EA = %llu, S1PTW = %llu\n", (unsigned long long)ESR_ISS_EA(esr),
	       (unsigned long long)ESR_ISS_S1PTW(esr));
	fsc_name(ESR_ISS_FSC(esr), fsc, sizeof(fsc));
	printk("  FSC = 0x%02x: %s\n", (unsigned int)ESR_ISS_FSC(esr), fsc);
	if (ec == ESR_EC_DABT_CUR || ec == ESR_EC_DABT_LOW) {
		printk("Data abort info:\n");
		printk("  ISV = %llu, ISS = 0x%08llx\n", (unsigned long long)ESR_ISS_ISV(esr),
		       (unsigned long long)ESR_ISS(esr));
		printk("  CM = %llu, WnR = %llu\n", (unsigned long long)ESR_ISS_CM(esr),
		       (unsigned long long)ESR_ISS_WnR(esr));
	}
}

/* The stop IPI's report (kernel/panic.c): where this CPU was, as an Oops shows it. */
void arch_show_regs(struct pt_regs *regs)
{
	if (!regs) {
		printk("(no registers: not stopped from an interrupt)\n");
		return;
	}
	show_regs(regs);
	dump_backtrace(regs);
}

/*
 * dump_stack: the calling CPU's number and call trace from its caller, for
 * panic() (as Linux's, no registers: none were saved).
 */
void dump_stack(void)
{
	struct pt_regs regs = { 0 };
	u64 *fp = __builtin_frame_address(0);

	regs.regs[29] = fp[0];
	regs.elr = fp[1] - 4;
	printk("CPU: %u\n", smp_processor_id());
	dump_backtrace(&regs);
}

static atomic_t oops_count;

/*
 * do_exception: every vector lands here. A trapped semihosting call (no
 * -semihosting) returns -1 to its caller; anything else is reported and ends
 * the shell command that caused it (fault_recover), or panics outside one.
 */
void do_exception(struct pt_regs *regs, unsigned long kind)
{
	unsigned int ec = ESR_EC(regs->esr);

	if (kind == VECTOR_EL1h_IRQ || kind == VECTOR_EL0_IRQ) {
		handle_arch_irq(regs);
		return;
	}
	if (kind >= VECTOR_EL0_SYNC) {
		do_el0_exception(regs, kind);	/* returns only to resume the process */
		return;
	}
	if (kind == VECTOR_EL1h_SYNC && ec == ESR_EC_DABT_CUR && fixup_user_access(regs))
		return;

	if ((kind == 4 || kind == 0) && ec == ESR_EC_UNKNOWN &&
	    *(const u32 *)regs->elr == INSN_HLT_SEMIHOST) {
		regs->regs[0] = (u64)-1;
		regs->elr += 4;
		return;
	}
	if ((kind & 3) == 0 && ec == ESR_EC_DABT_CUR && ESR_FSC_TYPE(regs->esr) == ESR_FSC_TRANSLATION &&
	    kfence_handle_page_fault(regs->far, ESR_ISS_WnR(regs->esr), regs))
		return;		/* reported; the page is mapped now and the access completes */
	if ((kind & 3) == 0 && ec >= ESR_EC_IABT_LOW && ec <= ESR_EC_DABT_CUR && ec != 0x22)
		mem_abort_report(regs);
	else
		printk("Unhandled %s exception: ESR 0x%016llx -- %s\n",
		       (kind & 3) == 0 ? "synchronous" : (kind & 3) == 1 ? "IRQ" :
		       (kind & 3) == 2 ? "FIQ" : "SError",
		       (unsigned long long)regs->esr, ec_name(ec));
	printk("Internal error: Oops: %016llx [#%d]\n", (unsigned long long)regs->esr,
	       atomic_add_return(1, &oops_count));
	printk("CPU: %u\n", smp_processor_id());
	show_regs(regs);
	dump_backtrace(regs);
	fault_recover("Oops");
}
