/* smp.c (arm64): secondary cores — released from the firmware's spin table into a WFI park. */
#include <asm/barrier.h>
#include <asm/board.h>
#include <asm/cacheflush.h>
#include <asm/memory.h>
#include <asm/smp.h>
#include <kernel/printk.h>
#include <mm/fixmap.h>
#include <libfdt.h>
#include <string.h>

extern char secondary_park[];

/*
 * release_cpu: writes secondary_park's PA where the firmware's stub polls and
 * wakes it (clean to the point of coherency: the core reads with its MMU and
 * caches off). Only release words in the first page are accepted: that page is
 * the firmware's, reserved in memblock as "spin-table"; a DTB pointing anywhere
 * else is not trusted to scribble on RAM. The page is reached through an
 * early_memremap window, not the linear map: a DTB whose RAM starts above PA 0
 * leaves that page out of the linear map. Returns false (and says why) if the
 * word cannot be written.
 */
static bool release_cpu(unsigned int cpu, u64 release)
{
	u64 *slot;

	if (release >= PAGE_SIZE || (release & 7)) {
		printk("SMP: cpu %u: cpu-release-addr 0x%llx outside the spin-table page; left alone\n",
		       cpu, (unsigned long long)release);
		return false;
	}
	slot = early_memremap(release, sizeof(*slot));
	if (!slot) {
		printk("SMP: cpu %u: cannot map the spin-table page; left in the firmware's loop\n", cpu);
		return false;
	}
	WRITE_ONCE(*slot, __pa_symbol(secondary_park));
	dcache_clean_inval_range((unsigned long)slot, (unsigned long)(slot + 1));
	dsb(sy);
	__asm__ volatile("sev" ::: "memory");
	early_memunmap(slot, sizeof(*slot));
	return true;
}

/* The cpu nodes' release addresses, from the DTB; returns how many were released. */
static unsigned int park_from_fdt(const void *fdt)
{
	int cpus = fdt_path_offset(fdt, "/cpus"), node, len;
	unsigned int n = 0;

	fdt_for_each_subnode(node, fdt, cpus) {
		const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
		const char *method = fdt_getprop(fdt, node, "enable-method", NULL);
		const fdt64_t *rel = fdt_getprop(fdt, node, "cpu-release-addr", &len);

		if (!reg || fdt32_to_cpu(*reg) == 0 || !method || strcmp(method, "spin-table"))
			continue;
		if (!rel || len != sizeof(*rel))
			continue;
		n += release_cpu(fdt32_to_cpu(*reg), fdt64_to_cpu(*rel));
	}
	return n;
}

/*
 * smp_park_secondaries: pagoda runs on core 0 only for now. Cores 1-3 are
 * moved from the firmware's polling loop into secondary_park's WFI, so they
 * stay parked without spinning. Needs paging_init's fixmap (early_memremap).
 */
void smp_park_secondaries(const void *fdt)
{
	unsigned int n = 0, i;

	if (fdt)
		n = park_from_fdt(fdt);
	else
		for (i = 0; i < board_nr_cpu_release_addr; i++)	/* the board's, as its DTB says */
			n += release_cpu(i + 1, board_cpu_release_addr[i]);
	printk("SMP: %u secondary CPU(s) parked in WFI (pagoda runs on CPU 0; no SMP yet)\n", n);
}
