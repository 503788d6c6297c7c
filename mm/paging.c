/* paging.c: paging_init — the kernel map built from a table of regions, then the arch's root switch. */
#include <mm/memblock.h>
#include <mm/paging.h>
#include <mm/pgalloc.h>
#include <mm/ptdump.h>
#include <kernel/arch.h>
#include <kernel/bug.h>
#include <kernel/printk.h>
#include <kernel/time.h>
#include <asm/memory.h>

/* The image's sections (both arches' linker scripts): text, rodata, then data + BSS. */
extern char _text[], _etext[], __start_rodata[], __end_rodata[], _end[];

/*
 * The kernel map, as TF-A platforms list theirs: gathered first, then mapped
 * in one pass. Linear-map entries are one per memblock range (two where the
 * image sits inside one), so a PC's e820 map and a Pi's one range both fit.
 */
#define KERNEL_MAP_MAX	64
static struct map_region kernel_map[KERNEL_MAP_MAX];
static unsigned int kernel_map_nr;

static void add_region(vaddr_t va, paddr_t pa, u64 size, u32 prot, const char *name)
{
	if (!size)
		return;
	if (kernel_map_nr == KERNEL_MAP_MAX)
		panic("paging_init: more than %d regions in the kernel map", KERNEL_MAP_MAX);
	kernel_map[kernel_map_nr++] = (struct map_region){ va, pa, size, prot, name };
}

static void add_regions(const struct map_region *r, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		add_region(r[i].va, r[i].pa, r[i].size, r[i].prot, r[i].name);
}

/* RAM [s, e) at __va(s), RW NX; the image's PAs are skipped where the image lives in the linear map. */
static void add_ram(paddr_t s, paddr_t e)
{
	paddr_t ks = __pa_symbol(_text), ke = __pa_symbol(_end);

	if ((void *)_text != __va(ks) || e <= ks || s >= ke) {
		add_region((vaddr_t)__va(s), s, e - s, PAGE_KERNEL, "RAM");
		return;
	}
	if (s < ks)
		add_region((vaddr_t)__va(s), s, ks - s, PAGE_KERNEL, "RAM");
	if (e > ke)
		add_region((vaddr_t)__va(ke), ke, e - ke, PAGE_KERNEL, "RAM");
}

/* The linear map from memblock (below limit, if any); false if memblock knew no RAM. */
static bool add_linear_map(paddr_t limit)
{
	paddr_t s, e;
	u64 i;
	bool any = false;

	for_each_mem_range(i, &s, &e) {
		if (limit)
			e = min(e, limit);
		if (s < e)
			add_ram(s, e);
		any = true;
	}
	if (!any && board_desc.default_ram_end)	/* the board's guess, until discovery fixes it */
		add_ram(board_desc.default_ram_start, board_desc.default_ram_end);
	return any;
}

static void add_image_section(char *start, char *end, u32 prot, const char *name)
{
	BUG_ON(!IS_ALIGNED((uintptr_t)start, PAGE_SIZE) || !IS_ALIGNED((uintptr_t)end, PAGE_SIZE));
	add_region((vaddr_t)start, __pa_symbol(start), end - start, prot, name);
}

/* The image W^X: text ro x, rodata ro NX, data and BSS RW NX (4 KiB pages at the seams). */
static void add_image(void)
{
	add_image_section(_text, _etext, PAGE_KERNEL_ROX, "kernel text");
	add_image_section(__start_rodata, __end_rodata, PAGE_KERNEL_RO, "kernel rodata");
	add_image_section(__end_rodata, _end, PAGE_KERNEL, "kernel data/bss");
}

static void map_kernel_map(void)
{
	const struct map_region *r;
	int err;

	for (r = kernel_map; r < kernel_map + kernel_map_nr; r++) {
		err = pt_map(&init_mm, r->va, r->pa, r->size, r->prot);
		if (err)
			panic("paging_init: cannot map %s (0x%016llx -> 0x%016llx, 0x%llx bytes): %d",
			      r->name, (unsigned long long)r->va, (unsigned long long)r->pa,
			      (unsigned long long)r->size, err);
	}
}

__weak void arch_paging_done(void)
{
}

/*
 * paging_init: builds the final kernel map in init_mm from the region table
 * (linear map, image, board devices, arch regions; table pages from the boot
 * pool or memblock, kept inside the linear map), lets the arch switch to it,
 * and checks W^X with the ptdump walk. Any failure this early panics.
 */
void paging_init(void)
{
	struct paging_arch a = { 0 };
	u64 t0 = arch_counter_read(), t1, t2;
	bool ram_known;

	arch_paging_setup(&a);
	if (a.linear_end)	/* memblock's table pages must be reachable through __va */
		memblock_set_current_limit(a.linear_end);
	if (mm_ctx_init(&init_mm, a.va_base, a.va_size, pagetable_boot_pool()))
		panic("paging_init: no table page for the root");
	ram_known = add_linear_map(a.linear_end);
	add_image();
	add_regions(board_desc.device_map, board_desc.nr_device_map);
	add_regions(a.regions, a.nr_regions);
	map_kernel_map();
	t1 = arch_counter_read();
	arch_switch_root(&init_mm);
	t2 = arch_counter_read();
	if (!ram_known && board_desc.default_ram_end)
		printk("paging_init: memblock has no RAM; assumed 0x%016llx-0x%016llx\n",
		       (unsigned long long)board_desc.default_ram_start,
		       (unsigned long long)board_desc.default_ram_end - 1);
	printk("paging_init: kernel map in %lu table pages, built in %llu ticks (%lu us), switched in %llu ticks\n",
	       init_mm.nr_tables, (unsigned long long)(t1 - t0), ticks_to_us(t1 - t0),
	       (unsigned long long)(t2 - t1));
	if (a.no_nx)
		printk("Checked W+X mappings: skipped, the CPU has no NX\n");
	else
		ptdump_check_wx(&init_mm);
	arch_paging_done();
}
