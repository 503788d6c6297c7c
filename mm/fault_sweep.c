/* fault_sweep.c: what the fault sweep checks after each run — the allocators' invariants and their holdings. */
#include <mm/fault-inject.h>
#include <mm/gfp.h>
#include <mm/mmzone.h>
#include <mm/page_alloc_debug.h>
#include <mm/slab.h>
#include <mm/vmalloc.h>
#include <stdio.h>
#include <string.h>
#include "slab_internal.h"

/*
 * What must be the same before and after a run whose one allocation failed:
 * the free pages (after the slab caches are shrunk and the per-CPU page lists
 * drained, so only real holdings remain), the allocated slab objects, and the
 * vmalloc areas.
 */
void sweep_snapshot(struct sweep_snapshot *s)
{
	struct kmem_cache *c;
	struct slabinfo si;

	kmem_cache_shrink_all();
	drain_all_pages(NULL);
	s->free_pages = nr_free_pages();
	s->slab_objs = 0;
	list_for_each_entry(c, &slab_caches, list) {
		kmem_cache_get_info(c, &si);
		s->slab_objs += si.active_objs;
	}
	s->vm_areas = vmalloc_nr_areas();
}

/* The invariant checkers: the buddy's free lists, every slab cache, the vmalloc trees. */
bool sweep_verify(char *why, size_t n)
{
	const struct zone *z;
	struct kmem_cache *c;
	const char *vm;

	for_each_zone(z)
		if (z->managed_pages && buddy_verify_zone(z, why, n) < 0)
			return false;
	list_for_each_entry(c, &slab_caches, list)
		if (kmem_cache_validate(c)) {
			snprintf(why, n, "slab cache %s fails validation (report above)", c->name);
			return false;
		}
	vm = vmalloc_check();
	if (vm) {
		snprintf(why, n, "vmalloc: %s", vm);
		return false;
	}
	return true;
}

