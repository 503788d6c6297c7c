/* cpuinfo.c (x86): /proc/cpuinfo (Linux's x86 fields, every online CPU) and /sys/kernel/debug/mmu (CR0/CR3/CR4/EFER/PAT in words). */
#include <kernel/arch.h>
#include <kernel/debugfs.h>
#include <kernel/smp.h>
#include <asm/memory.h>
#include <asm/processor.h>
#include <asm/setup.h>
#include <string.h>

extern bool x86_has_nx;

/* CPUID 1 EDX bit names, as /proc/cpuinfo spells them (NULL: reserved). */
static const char *const edx1_flags[32] = {
	"fpu", "vme", "de", "pse", "tsc", "msr", "pae", "mce", "cx8", "apic", NULL, "sep",
	"mtrr", "pge", "mca", "cmov", "pat", "pse36", "pn", "clflush", NULL, "dts", "acpi", "mmx",
	"fxsr", "sse", "sse2", "ss", "ht", "tm", "ia64", "pbe",
};

void x86_cpu_brand(char buf[49])
{
	u32 r[12], a, b, c, d, i;

	cpuid(0x80000000, &a, &b, &c, &d);
	if (a < 0x80000004) {
		strcpy(buf, "unknown");
		return;
	}
	for (i = 0; i < 3; i++)
		cpuid(0x80000002 + i, &r[4 * i], &r[4 * i + 1], &r[4 * i + 2], &r[4 * i + 3]);
	memcpy(buf, r, 48);
	buf[48] = '\0';
}

/*
 * One processor's block. Its signature (family, model, stepping) is what it
 * read itself as it came up (cpu_model); the other fields are read here, on
 * the CPU that shows the file: QEMU's CPUs, like a real SMP board's, are
 * identical in everything else.
 */
static void show_one_cpu(struct seq_buf *s, unsigned int cpu)
{
	u32 a, b, c, d, ext_d = 0, max_ext, i, sig = (u32)per_cpu(cpu_model, cpu);
	u32 vendor[4] = { 0 };
	u64 hz = arch_counter_freq();
	char brand[49];

	cpuid(0, &a, &vendor[0], &vendor[2], &vendor[1]);
	cpuid(0x80000000, &max_ext, &b, &c, &ext_d);
	ext_d = 0;
	if (max_ext >= 0x80000001)
		cpuid(0x80000001, &a, &b, &c, &ext_d);
	cpuid(1, &a, &b, &c, &d);
	x86_cpu_brand(brand);
	seq_buf_printf(s, "processor\t: %u\nvendor_id\t: %s\n", cpu, (const char *)vendor);
	seq_buf_printf(s, "cpu family\t: %u\nmodel\t\t: %u\nmodel name\t: %s\nstepping\t: %u\n",
		       (sig >> 8) & 0xf, ((sig >> 4) & 0xf) | ((sig >> 12) & 0xf0), brand, sig & 0xf);
	seq_buf_printf(s, "cpu MHz\t\t: %llu.%03llu\n", (unsigned long long)(hz / 1000000),
		       (unsigned long long)(hz / 1000 % 1000));
	seq_buf_printf(s, "apicid\t\t: %u\ninitial apicid\t: %u\n", x86_cpu_apic_id[cpu], x86_cpu_apic_id[cpu]);
	seq_buf_printf(s, "flags\t\t:");
	for (i = 0; i < 32; i++)
		if ((d & (1u << i)) && edx1_flags[i])
			seq_buf_printf(s, " %s", edx1_flags[i]);
	if (ext_d & X86_FEATURE_EDX_NX)
		seq_buf_printf(s, " nx");
	seq_buf_printf(s, "\nbogomips\t: %llu.%02llu\n", (unsigned long long)(2 * hz / 1000000),
		       (unsigned long long)(2 * hz / 10000 % 100));
	if (max_ext >= 0x80000008) {
		cpuid(0x80000008, &a, &b, &c, &d);
		seq_buf_printf(s, "address sizes\t: %u bits physical, %u bits virtual\n", a & 0xff,
			       (a >> 8) & 0xff);
	}
}

/* Linux's /proc/cpuinfo: one block per online CPU, a blank line after each. */
static void show_cpuinfo(struct seq_buf *s)
{
	unsigned int cpu;

	for_each_online_cpu(cpu) {
		show_one_cpu(s, cpu);
		seq_buf_printf(s, "\n");
	}
}
DEBUGFS_FILE(cpuinfo, "/proc/cpuinfo", show_cpuinfo);

static const char *pat_type_name(unsigned int t)
{
	static const char *const names[8] = { "UC", "WC", "reserved", "reserved", "WT", "WP", "WB", "UC-" };

	return names[t & 7];
}

/* The translation regime in words: CR0, CR3 (the PDPT and its four entries), CR4, EFER, PAT. */
static void show_mmu(struct seq_buf *s)
{
	static const char *const mt_names[4] = { "MT_NORMAL", "MT_NORMAL_NC", "MT_DEVICE_nGnRE",
						 "MT_DEVICE_nGnRnE" };
	unsigned long cr0 = read_cr0(), cr3 = read_cr3(), cr4 = read_cr4();
	const volatile u64 *pdpt = __va(cr3 & ~0x1fUL);
	u64 efer = x86_has_nx ? rdmsr(MSR_EFER) : 0, pat = rdmsr(MSR_IA32_CR_PAT);
	unsigned int i;

	seq_buf_printf(s, "CR0 = 0x%08lx\n  PG  (paging)             %s\n  WP  (write protect)      %s\n"
		       "  CD  (cache disable)      %s\n", cr0, cr0 & X86_CR0_PG ? "on" : "off",
		       cr0 & X86_CR0_WP ? "on: read-only pages bind the kernel too" : "off",
		       cr0 & (1u << 30) ? "on" : "off");
	seq_buf_printf(s, "CR3 = 0x%08lx (the PDPT, init_mm's root)\n", cr3);
	for (i = 0; i < 4; i++)
		seq_buf_printf(s, "  PDPT[%u] = 0x%016llx  0x%08x-0x%08x\n", i, (unsigned long long)pdpt[i],
			       i << 30, (i << 30) + 0x3fffffffu);
	seq_buf_printf(s, "CR4 = 0x%08lx\n  PAE                      %s\n  PGE (global pages)       %s\n",
		       cr4, cr4 & X86_CR4_PAE ? "on" : "off", cr4 & X86_CR4_PGE ? "on" : "off");
	seq_buf_printf(s, "EFER = 0x%016llx\n  NXE (execute disable)    %s\n", (unsigned long long)efer,
		       efer & EFER_NXE ? "on" : "off (the CPU has no NX: every page is executable)");
	seq_buf_printf(s, "PAT = 0x%016llx\n", (unsigned long long)pat);
	for (i = 0; i < 8; i++)
		seq_buf_printf(s, "  PA%u = %-3s (PAT=%u PCD=%u PWT=%u)  %s\n", i, pat_type_name(pat >> (8 * i)),
			       i >> 2, (i >> 1) & 1, i & 1, i < 4 ? mt_names[i] : "");
}
DEBUGFS_FILE(mmu, "/sys/kernel/debug/mmu", show_mmu);
