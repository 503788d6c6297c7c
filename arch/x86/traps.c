/* traps.c (x86): the IDT (exceptions and interrupt vectors), and exception reports in Linux's words (#PF decoded from CR2 and the error code). */
#include <kernel/irq.h>
#include <kernel/printk.h>
#include <kernel/setjmp.h>
#include <mm/kfence.h>
#include <mm/vmalloc.h>
#include <asm/apic.h>
#include <asm/memory.h>
#include <asm/processor.h>
#include <asm/ptrace.h>
#include <asm/setup.h>
#include <asm/syscall.h>
#include <stdio.h>

#define NR_EXCEPTIONS	32
#define NR_VECTORS	256		/* entry.S has a stub for each */
#define TRAP_STUB_SIZE	16		/* entry.S */
#define GATE_INTR32	0x8e		/* present, DPL 0, 32-bit interrupt gate */
#define GATE_INTR32_USER 0xee		/* the same with DPL 3: int $0x80 from ring 3 */
#define X86_TRAP_PF	14

/* #PF error code bits (Intel SDM vol. 3, 4.7) */
#define X86_PF_PROT	(1u << 0)	/* 0: not-present page, 1: protection violation */
#define X86_PF_WRITE	(1u << 1)
#define X86_PF_USER	(1u << 2)
#define X86_PF_RSVD	(1u << 3)
#define X86_PF_INSTR	(1u << 4)
#define X86_PF_PK	(1u << 5)

struct idt_entry {
	u16 offset_lo, selector;
	u8 zero, type;
	u16 offset_hi;
} __attribute__((packed));

static struct idt_entry idt[256] __attribute__((aligned(8)));
extern const char trap_stubs[];
static int die_counter;

static const char *const trap_names[NR_EXCEPTIONS] = {
	"divide error", "debug", "nmi", "int3", "overflow", "bounds",
	"invalid opcode", "device not available", "double fault",
	"coprocessor segment overrun", "invalid TSS", "segment not present",
	"stack segment", "general protection fault", "page fault", "spurious",
	"coprocessor error", "alignment check", "machine check",
	"simd exception", "virtualization exception", "control protection",
};

/* x86_load_idt: this CPU's IDTR := the one IDT every CPU shares (the boot CPU in trap_init, each AP on entry). */
void x86_load_idt(void)
{
	struct { u16 limit; u32 base; } __attribute__((packed)) desc;

	desc.limit = sizeof(idt) - 1;
	desc.base = (u32)(uintptr_t)idt;
	__asm__ __volatile__("lidt %0" :: "m"(desc));
}

/*
 * trap_init: an interrupt gate (IF cleared on entry) for every vector, each to
 * its entry.S stub; only int $0x80's may be called from ring 3 (DPL 3): an
 * INT n to any other from ring 3 is a #GP.
 */
void trap_init(void)
{
	int i;

	for (i = 0; i < NR_VECTORS; i++) {
		u32 addr = (u32)(uintptr_t)trap_stubs + i * TRAP_STUB_SIZE;

		idt[i] = (struct idt_entry){ addr & 0xffff, __KERNEL_CS, 0,
					     i == IA32_SYSCALL_VECTOR ? GATE_INTR32_USER : GATE_INTR32, addr >> 16 };
	}
	x86_load_idt();
}

static void show_regs(const struct pt_regs *r);

/* The stop IPI's report of where this CPU was (kernel/panic.c); nothing if it was not interrupted. */
void arch_show_regs(struct pt_regs *regs)
{
	if (regs)
		show_regs(regs);
}

static void show_regs(const struct pt_regs *r)
{
	printk("EIP: %04x:%08x EFLAGS: %08x\n", r->cs, r->eip, r->eflags);
	printk("EAX: %08x EBX: %08x ECX: %08x EDX: %08x\n", r->eax, r->ebx, r->ecx, r->edx);
	printk("ESI: %08x EDI: %08x EBP: %08x ESP: %08x\n", r->esi, r->edi, r->ebp, regs_sp(r));
	printk("DS: %04x ES: %04x FS: %04x GS: %04x SS: %04x\n",
	       r->ds & 0xffff, r->es & 0xffff, r->fs & 0xffff, r->gs & 0xffff,
	       user_mode(r) ? r->ss & 0xffff : __KERNEL_DS);
	printk("CR0: %08lx CR2: %08lx CR3: %08lx CR4: %08lx\n",
	       read_cr0(), read_cr2(), read_cr3(), read_cr4());
}

/* Reads a 64-bit entry of the live tables (they are all in lowmem, see paging_init). */
static u64 read_entry(u64 table_pa, unsigned int index)
{
	const volatile u32 *p = (const volatile u32 *)__va(table_pa + 8 * index);

	return ((u64)p[1] << 32) | p[0];
}

/* Linux's dump_pagetable(): the entries that translate address, top down, on one line. */
static void dump_pagetable(u32 address)
{
	u64 addr_mask = 0x000ffffffffff000ULL;
	u64 pdpt = read_entry(read_cr3() & ~0x1fUL, address >> 30), pde, pte;
	char line[96];
	int n;

	n = snprintf(line, sizeof(line), "*pdpt = %016llx ", (unsigned long long)pdpt);
	if (pdpt & 1) {
		pde = read_entry(pdpt & addr_mask, (address >> 21) & 511);
		n += snprintf(line + n, sizeof(line) - n, "*pde = %016llx ", (unsigned long long)pde);
		if ((pde & 1) && !(pde & 0x80)) {
			pte = read_entry(pde & addr_mask, (address >> 12) & 511);
			snprintf(line + n, sizeof(line) - n, "*pte = %016llx ", (unsigned long long)pte);
		}
	}
	printk("%s\n", line);
}

/* show_fault_oops: the three #PF lines Linux prints, then the tables. */
static void show_fault_oops(const struct pt_regs *regs, u32 error_code, u32 address)
{
	char vmdesc[192];

	if ((error_code & (X86_PF_INSTR | X86_PF_PROT)) == (X86_PF_INSTR | X86_PF_PROT))
		printk("kernel tried to execute NX-protected page - exploit attempt? (uid: 0)\n");
	if (address < PAGE_SIZE)
		printk("BUG: kernel NULL pointer dereference, address: %08x\n", address);
	else
		printk("BUG: unable to handle page fault for address: %08x\n", address);
	if (vmalloc_describe_fault(address, vmdesc, sizeof(vmdesc)))
		printk("vmalloc: %08x is %s\n", address, vmdesc);
	printk("#PF: %s %s in %s mode\n",
	       (error_code & X86_PF_USER) ? "user" : "supervisor",
	       (error_code & X86_PF_INSTR) ? "instruction fetch" :
	       (error_code & X86_PF_WRITE) ? "write access" : "read access",
	       (regs->cs & 3) ? "user" : "kernel");
	printk("#PF: error_code(0x%04x) - %s\n", error_code,
	       !(error_code & X86_PF_PROT) ? "not-present page" :
	       (error_code & X86_PF_RSVD) ? "reserved bit violation" :
	       (error_code & X86_PF_PK) ? "protection keys violation" :
	       "permissions violation");
	dump_pagetable(address);
}

/*
 * do_trap: called by entry.S for every vector; exceptions and int $0x80 from
 * ring 3 go to x86_user_trap (entry-common.c), interrupts (32 and up) to
 * x86_handle_irq (apic.c), kernel faults in the uaccess helpers to their fixups. For an exception it prints the report (Linux's
 * wording: "BUG: unable to handle page fault ...", "general protection fault:
 * 0000 [#1]", the registers) and hands over to fault_recover(), which ends the
 * shell command that faulted or panics.
 */
void do_trap(struct pt_regs *regs)
{
	u32 vec = regs->vector;
	const char *name = vec < NR_EXCEPTIONS && trap_names[vec] ? trap_names[vec] : "reserved trap";

	if (user_mode(regs) && (vec < NR_EXCEPTIONS || vec == IA32_SYSCALL_VECTOR)) {
		x86_user_trap(regs);	/* entry-common.c: never an Oops */
		return;
	}
	if (vec >= NR_EXCEPTIONS) {
		x86_handle_irq(regs);
		return;
	}
	if (vec == X86_TRAP_PF && x86_fixup_user_access(regs, read_cr2()))
		return;		/* a uaccess helper: the page supplied, or its fixup */
	if (vec == X86_TRAP_PF && !(regs->error_code & (X86_PF_PROT | X86_PF_USER | X86_PF_INSTR)) &&
	    kfence_handle_page_fault(read_cr2(), regs->error_code & X86_PF_WRITE, regs))
		return;		/* reported; the page is mapped now and the access completes */
	if (vec == X86_TRAP_PF) {
		show_fault_oops(regs, regs->error_code, (u32)read_cr2());
		printk("Oops: %04x [#%d]\n", regs->error_code, ++die_counter);
	} else {
		printk("%s: %04x [#%d]\n", name, regs->error_code, ++die_counter);
	}
	show_regs(regs);
	fault_recover(name);
}
