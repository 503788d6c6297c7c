/* cpuinfo.c (arm64): /proc/cpuinfo and /sys/kernel/debug/mmu (the live translation regime in words). */
#include <asm/sysreg.h>
#include <kernel/arch.h>
#include <kernel/debugfs.h>
#include <kernel/smp.h>
#include <libfdt.h>

extern const void *boot_fdt;

/* One processor's block, from the MIDR it read itself (kernel/smp.c's cpu_model). */
static void show_processor(struct seq_buf *s, unsigned int cpu, u64 freq)
{
	u64 midr = per_cpu(cpu_model, cpu);

	seq_buf_printf(s, "processor\t: %u\n", cpu);
	seq_buf_printf(s, "BogoMIPS\t: %lu.%02lu\n", (unsigned long)(2 * freq / 1000000),
		       (unsigned long)(2 * freq / 10000 % 100));
	seq_buf_printf(s, "Features\t: fp asimd evtstrm crc32 cpuid\n");
	seq_buf_printf(s, "CPU implementer\t: 0x%02llx\n", (unsigned long long)(midr >> 24) & 0xff);
	seq_buf_printf(s, "CPU architecture: 8\n");
	seq_buf_printf(s, "CPU variant\t: 0x%llx\n", (unsigned long long)(midr >> 20) & 0xf);
	seq_buf_printf(s, "CPU part\t: 0x%03llx\n", (unsigned long long)(midr >> 4) & 0xfff);
	seq_buf_printf(s, "CPU revision\t: %llu\n\n", (unsigned long long)midr & 0xf);
}

/* Every online CPU, as Linux lists them; then the board. */
static void show_cpuinfo(struct seq_buf *s)
{
	const char *model = boot_fdt ? fdt_getprop(boot_fdt, 0, "model", NULL) : NULL;
	u64 freq = arch_counter_freq();
	unsigned int cpu;

	if (!per_cpu(cpu_model, 0))	/* before smp_init: the boot CPU's own */
		per_cpu(cpu_model, 0) = read_sysreg(midr_el1);
	for_each_online_cpu(cpu)
		show_processor(s, cpu, freq);
	seq_buf_printf(s, "Hardware\t: BCM2835\n");
	seq_buf_printf(s, "Model\t\t: %s\n", model ? model : "unknown (no DTB)");
}
DEBUGFS_FILE(cpuinfo, "/proc/cpuinfo", show_cpuinfo);

static const char *mair_attr_name(unsigned int a)
{
	switch (a) {
	case 0x00: return "Device-nGnRnE";
	case 0x04: return "Device-nGnRE";
	case 0x08: return "Device-nGRE";
	case 0x0c: return "Device-GRE";
	case 0x44: return "Normal, Inner/Outer Non-cacheable";
	case 0xbb: return "Normal, Inner/Outer Write-Through RW-allocate";
	case 0xff: return "Normal, Inner/Outer Write-Back RW-allocate";
	}
	return "other";
}

static const char *const mt_names[] = { "MT_NORMAL", "MT_NORMAL_NC", "MT_DEVICE_nGnRnE", "MT_DEVICE_nGnRE" };
static const char *const cache_names[] = { "Non-cacheable", "WB RW-allocate", "WT", "WB no-W-allocate" };
static const char *const sh_names[] = { "Non-shareable", "reserved", "Outer Shareable", "Inner Shareable" };
static const char *const tg0_names[] = { "4K", "64K", "16K", "reserved" };
static const char *const tg1_names[] = { "reserved", "16K", "4K", "64K" };
static const char *const pa_names[] = { "32 bits, 4GB", "36 bits, 64GB", "40 bits, 1TB", "42 bits, 4TB",
					"44 bits, 16TB", "48 bits, 256TB", "52 bits, 4PB", "reserved" };

/* One TCR half: T0SZ/T1SZ, walk cacheability/shareability, granule, EPD. */
static void show_tcr_half(struct seq_buf *s, u64 tcr, int half)
{
	unsigned int sh = half ? 16 : 0;
	unsigned int tg = (tcr >> (sh + 14)) & 3;

	seq_buf_printf(s, "  TTBR%d: T%dSZ=%llu (%llu-bit VA), walks %s, inner %s, outer %s, granule %s%s\n",
		       half, half, (unsigned long long)(tcr >> sh) & 0x3f,
		       64 - ((unsigned long long)(tcr >> sh) & 0x3f),
		       (tcr >> (sh + 7)) & 1 ? "DISABLED (EPD)" : "enabled",
		       cache_names[(tcr >> (sh + 8)) & 3], cache_names[(tcr >> (sh + 10)) & 3],
		       half ? tg1_names[tg] : tg0_names[tg], "");
	seq_buf_printf(s, "         shareability %s\n", sh_names[(tcr >> (sh + 12)) & 3]);
}

static void show_mmu(struct seq_buf *s)
{
	u64 sctlr = read_sysreg(sctlr_el1), tcr = read_sysreg(tcr_el1), mair = read_sysreg(mair_el1);
	unsigned int i;

	seq_buf_printf(s, "SCTLR_EL1 = 0x%016llx\n", (unsigned long long)sctlr);
	seq_buf_printf(s, "  M   (MMU)               %s\n", sctlr & SCTLR_M ? "on" : "off");
	seq_buf_printf(s, "  C   (data cache)        %s\n", sctlr & SCTLR_C ? "on" : "off");
	seq_buf_printf(s, "  I   (instruction cache) %s\n", sctlr & SCTLR_I ? "on" : "off");
	seq_buf_printf(s, "  A   (alignment check)   %s\n", sctlr & SCTLR_A ? "on" : "off");
	seq_buf_printf(s, "  SA  (SP alignment)      %s\n", sctlr & SCTLR_SA ? "on" : "off");
	seq_buf_printf(s, "  WXN (write implies XN)  %s\n", sctlr & SCTLR_WXN ? "on" : "off");
	seq_buf_printf(s, "  EE  (EL1 endianness)    %s\n", sctlr & SCTLR_EE ? "big" : "little");
	seq_buf_printf(s, "TCR_EL1 = 0x%016llx\n", (unsigned long long)tcr);
	show_tcr_half(s, tcr, 0);
	show_tcr_half(s, tcr, 1);
	seq_buf_printf(s, "  IPS=%llu (%s), ASID size %s, ASID from TTBR%d\n",
		       (unsigned long long)(tcr >> 32) & 7, pa_names[(tcr >> 32) & 7],
		       (tcr & TCR_AS) ? "16 bits" : "8 bits", (tcr & TCR_A1) ? 1 : 0);
	seq_buf_printf(s, "MAIR_EL1 = 0x%016llx\n", (unsigned long long)mair);
	for (i = 0; i < 8; i++) {
		unsigned int a = (mair >> (8 * i)) & 0xff;

		seq_buf_printf(s, "  Attr%u = 0x%02x  %-44s %s\n", i, a, mair_attr_name(a),
			       i < ARRAY_SIZE(mt_names) ? mt_names[i] : "");
	}
	seq_buf_printf(s, "TTBR0_EL1 = 0x%016llx\nTTBR1_EL1 = 0x%016llx\n",
		       (unsigned long long)read_sysreg(ttbr0_el1), (unsigned long long)read_sysreg(ttbr1_el1));
}
DEBUGFS_FILE(mmu, "/sys/kernel/debug/mmu", show_mmu);
