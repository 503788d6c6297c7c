/* memory.c (arm64): Pi 3 memory discovery (DTB, else mailbox, else a default) and the boot reservations. */
#include <asm/board.h>
#include <asm/memory.h>
#include <asm/mmzone.h>
#include <drivers/bcm2835_mbox.h>
#include <drivers/of_fdt.h>
#include <mm/ioport.h>
#include <mm/memblock.h>
#include <mm/pgtable.h>
#include <mm/prot.h>
#include <kernel/printk.h>

extern char _text[], __start_data[], _end[];
extern u64 boot_dtb_pa, boot_dtb_size;	/* head.S: where the loader put the DTB, its size */

/*
 * Without a DTB the board's default RAM (board_desc, arch/arm64/boards/rpi3.c:
 * a Pi 3 with gpu_mem=64) is assumed until the mailbox answers; the mailbox
 * may shrink or grow it.
 */
#define BOARD_RAM_END		((unsigned long long)board_desc.default_ram_end)

static bool ram_is_default;

/* RAM cannot reach into the peripherals (a DTB that says 1 GiB forgot the VideoCore's share). */
static void clip_at_peripherals(void)
{
	paddr_t end = memblock_end_of_DRAM();

	if (end <= PERIPH_PHYS)
		return;
	printk("memory: RAM 0x%016llx-0x%016llx overlaps the peripherals at 0x%08lx: clipped there\n",
	       (unsigned long long)memblock_start_of_DRAM(), (unsigned long long)end - 1, PERIPH_PHYS);
	memblock_remove(PERIPH_PHYS, end - PERIPH_PHYS);
}

/*
 * arm64_memblock_init: memory from the DTB (checked; a bad one is reported in
 * one line by early_init_dt_scan_phys and ignored), else the default above
 * pending the mailbox. Then the boot reservations, each with its owner:
 *   kernel      _text.._end: code, data, BSS — which holds head.S's early page
 *               tables, paging_init's table pool and the DTB copy, so they need
 *               no reservation of their own
 *   spin-table  PA 0..0x1000, where the secondary cores wait (firmware stub and
 *               the cpu-release-addr words)
 *   dtb         the loader's DTB, whole pages (done by the DT scan)
 * Returns true if the DTB was used; false if there was none or it was
 * rejected (then nothing of it is reserved, and the caller must not use it).
 */
bool arm64_memblock_init(const void *dtb)
{
	paddr_t ktext = __pa_symbol(_text), kend = __pa_symbol(_end);
	bool used;

	/* First, so that they keep their names where the DTB's /memreserve/ says the same. */
	memblock_reserve(ktext, kend - ktext, "kernel");
	memblock_reserve_board();	/* the spin-table page */
	used = dtb && !early_init_dt_scan_phys(dtb, boot_dtb_pa, boot_dtb_size);
	if (used) {
		printk("memory: from the device tree\n");
	} else {
		memblock_add(board_desc.default_ram_start, BOARD_RAM_END - board_desc.default_ram_start);
		ram_is_default = true;
		printk("memory: no usable device tree; assuming 0x0-0x%llx until the firmware mailbox answers\n",
		       BOARD_RAM_END - 1);
	}
	clip_at_peripherals();
	request_mem_region(ktext, __pa_symbol(__start_data) - ktext, "Kernel code");
	request_mem_region(__pa_symbol(__start_data), kend - __pa_symbol(__start_data), "Kernel data");
	request_mem_region(MBOX_PHYS, MBOX_SIZE, "mailbox");
	return used;
}

/* Grows the RAM (and the linear map) from the default end to end. */
static bool grow_ram(paddr_t end)
{
	int err = pt_map(&init_mm, (vaddr_t)__va(BOARD_RAM_END), BOARD_RAM_END,
			    end - BOARD_RAM_END, PAGE_KERNEL);

	if (err) {
		printk("memory: cannot map 0x%llx-0x%llx into the linear map (%d); it stays unused\n",
		       BOARD_RAM_END, (unsigned long long)end - 1, err);
		return false;
	}
	return !memblock_add(BOARD_RAM_END, end - BOARD_RAM_END);
}

/*
 * The DTB's RAM may still be the file's 1 GiB when nothing fixed it up (the
 * firmware does; a DTB loaded by hand from the card does not): the VideoCore's
 * share at the top must not reach the buddy. With a firmware answer that ends
 * lower, trust the firmware. Only memory is trimmed: nothing has been allocated
 * from memblock yet (paging_init's tables come from the image's BSS).
 */
static void check_dtb_ram(paddr_t base, paddr_t end)
{
	paddr_t dram_end = memblock_end_of_DRAM();

	if (base || end >= dram_end || end < SZ_16M)
		return;
	printk("WARNING: memory: the device tree's RAM ends at 0x%llx but the firmware gives the ARM "
	       "0x0-0x%llx: trusting the firmware\n", (unsigned long long)dram_end - 1,
	       (unsigned long long)end - 1);
	memblock_remove(end, dram_end - end);
}

/*
 * arm64_memblock_late_init: asks the firmware (GET_ARM_MEMORY) now that
 * paging_init has mapped the mailbox. Without a DTB its answer replaces the
 * default (which stays, with a warning, if there is no answer); with one, it
 * only trims RAM that the firmware says the ARM does not have.
 */
void arm64_memblock_late_init(void)
{
	u32 v[2] = { 0, 0 };
	paddr_t base, end;
	bool answered = !rpi_firmware_property(RPI_FIRMWARE_GET_ARM_MEMORY, v, sizeof(v)) && v[1];

	base = v[0];
	end = min((paddr_t)v[0] + v[1], (paddr_t)PERIPH_PHYS);
	if (!ram_is_default) {
		if (answered)
			check_dtb_ram(base, end);
		return;
	}
	if (!answered) {
		printk("WARNING: memory: no device tree and no mailbox answer: using the default 0x0-0x%llx "
		       "(a Pi 3 with gpu_mem=64)\n", BOARD_RAM_END - 1);
		return;
	}
	printk("memory: firmware mailbox: ARM memory 0x%08llx-0x%08llx (%llu MiB)\n",
	       (unsigned long long)base, (unsigned long long)end - 1, (unsigned long long)(end - base) >> 20);
	if (base)
		memblock_remove(0, base);
	if (end < BOARD_RAM_END)
		memblock_remove(end, BOARD_RAM_END - end);
	else if (end > BOARD_RAM_END)
		grow_ram(end);
	ram_is_default = false;
}
