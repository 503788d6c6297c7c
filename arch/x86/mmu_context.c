/* mmu_context.c (x86): no user mode yet (issue 16's x86 slice: PDPT per process, ring 3, int $0x80). */
#include <errno.h>
#include <kernel/bug.h>
#include <kernel/process.h>
#include <kernel/uaccess.h>

/* exec reports "no user mode on this arch yet" and loads nothing further. */
int arch_mm_activate(struct mm_struct *mm)
{
	return -ENOSYS;
}

void arch_mm_deactivate(struct mm_struct *mm)
{
}

void arch_enter_user(unsigned long entry, unsigned long sp)
{
	panic("arch_enter_user: no user mode on x86 yet");
}

/* x86 keeps instruction fetches coherent with stores. */
void arch_sync_icache(unsigned long start, unsigned long end)
{
}

/* No process ever runs, so no user memory is reachable: nothing is copied. */
unsigned long __arch_copy_from_user(void *to, const void *from, unsigned long n)
{
	return n;
}

unsigned long __arch_copy_to_user(void *to, const void *from, unsigned long n)
{
	return n;
}

unsigned long search_exception_tables(unsigned long pc)
{
	return 0;
}
