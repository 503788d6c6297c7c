/* kmap_window.c (host): kmap and kmap_local slots made real host addresses, filled on fault like a TLB. */
#define _GNU_SOURCE
#include <asm/memory.h>
#include <asm/tlbflush.h>
#include <kernel/bug.h>
#include <mm/pgtable.h>
#include <signal.h>
#include <sys/mman.h>
#include <test_machine.h>

#ifdef ARCH_HAS_HIGHMEM
/*
 * The x86 slots (0xff800000 up) fall in the ASan shadow gap of a 64-bit host,
 * so mm/highmem.c alone is built with the window at HOST_KMAP_WINDOW (the
 * shadow asm/memory.h). The window is reserved PROT_NONE. A touch of a slot
 * faults here: the handler looks the slot up in init_mm, as a TLB miss walks
 * the tables, and maps the page's RAM there (the memfd of physmem.c, at its PA).
 * A TLB flush (flush_tlb_kernel_range, flush_tlb_all) drops those host
 * mappings again, so a use of a slot that was not flushed shows the old page,
 * as a stale TLB entry would. Any other fault goes to the handler before ours
 * (AddressSanitizer's report).
 */
extern int host_ram_fd;
static struct sigaction prev_segv;

static bool in_window(uintptr_t va)
{
	return va >= HOST_KMAP_WINDOW && va < HOST_KMAP_WINDOW_END;
}

static void window_fill(int sig, siginfo_t *si, void *uc)
{
	uintptr_t va = (uintptr_t)si->si_addr & ~(uintptr_t)(PAGE_SIZE - 1);
	struct pt_query q;

	if (in_window(va) && !pt_query(&init_mm, va, &q) &&
	    mmap((void *)va, PAGE_SIZE, PROT_READ | (q.prot & PROT_WRITE ? PROT_WRITE : 0),
		 MAP_SHARED | MAP_FIXED, host_ram_fd, (off_t)q.pa) == (void *)va)
		return;
	sigaction(SIGSEGV, &prev_segv, NULL);	/* not a slot: the access faults again, there */
}

static void window_drop(vaddr_t start, vaddr_t end)
{
	uintptr_t s = max((uintptr_t)start, (uintptr_t)HOST_KMAP_WINDOW);
	uintptr_t e = min((uintptr_t)end, (uintptr_t)HOST_KMAP_WINDOW_END);

	if (s < e)
		BUG_ON(mmap((void *)s, e - s, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE,
			    -1, 0) != (void *)s);
}

/* Reserves the window and installs the fill and the drop; once, before the first kmap. */
void host_kmap_window_init(void)
{
	struct sigaction sa = { .sa_sigaction = window_fill, .sa_flags = SA_SIGINFO | SA_NODEFER };
	void *w;

	if (host_tlb_drop_hook)
		return;
	w = mmap((void *)HOST_KMAP_WINDOW, HOST_KMAP_WINDOW_END - HOST_KMAP_WINDOW, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE | MAP_NORESERVE, -1, 0);
	BUG_ON(w != (void *)HOST_KMAP_WINDOW);
	sigemptyset(&sa.sa_mask);
	BUG_ON(sigaction(SIGSEGV, &sa, &prev_segv));
	host_tlb_drop_hook = window_drop;
}
#else
void host_kmap_window_init(void)
{
}
#endif
