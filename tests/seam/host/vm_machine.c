/* vm_machine.c (host): init_mm and the vmalloc space over the simulated machine, for vm_test_init(). */
#include <mm/mm.h>
#include <mm/pgtable.h>
#include <mm/vmalloc.h>
#include <test_machine.h>

/*
 * The host has no boot: the first caller gets the simulated machine, then an
 * init_mm covering the top-level span that holds the vmalloc area (tables from
 * the one table-page allocator, mm/pgalloc.c: the buddy, as the kernel's after boot), then vmalloc_init(), then the kmap window
 * (kmap_window.c) where the format has HighMem. Later calls find all of it.
 */
int vm_test_init(void)
{
	u64 span = (u64)pt_entries(0) * pt_level_size(0);

	if (mm_test_machine())
		return -1;
	if (!init_mm.root &&
	    mm_ctx_init(&init_mm, (vaddr_t)(VMALLOC_START & ~(span - 1)), span, NULL))
		return -1;
	vmalloc_init();
	host_kmap_window_init();
	return 0;
}
