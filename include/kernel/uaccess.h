/* uaccess.h: the only way the kernel reads or writes user memory (unprivileged accesses with fixups). */
#ifndef PAGODA_UACCESS_H
#define PAGODA_UACCESS_H

#include <types.h>
#include <asm/memory.h>

/*
 * The arch's loops (arm64: LDTR/STTR, so the MMU checks EL0's permissions:
 * the A53 has no PAN). Each returns the number of bytes NOT copied: a fault
 * on a user address is first given to the process's fault handler (a page not
 * touched yet is supplied), and if that fails the exception table
 * (__ex_table: faulting instruction -> fixup) ends the copy, never an Oops.
 */
unsigned long __arch_copy_from_user(void *to, const void *from, unsigned long n);
unsigned long __arch_copy_to_user(void *to, const void *from, unsigned long n);

/* access_ok: [addr, addr+n) lies in the user half. */
static inline bool access_ok(const void *addr, unsigned long n)
{
	unsigned long a = (unsigned long)addr;

	return a < TASK_SIZE && n <= TASK_SIZE - a;
}

/* copy_from_user/copy_to_user: bytes not copied (0: all of them), as Linux's. */
static inline unsigned long copy_from_user(void *to, const void *from, unsigned long n)
{
	return access_ok(from, n) ? __arch_copy_from_user(to, from, n) : n;
}

static inline unsigned long copy_to_user(void *to, const void *from, unsigned long n)
{
	return access_ok(to, n) ? __arch_copy_to_user(to, from, n) : n;
}

/*
 * search_exception_tables: if the instruction at pc has an __ex_table entry,
 * the address to resume at instead; 0 otherwise (kernel/extable.c, for the arch's fault handler).
 */
unsigned long search_exception_tables(unsigned long pc);
/* strncpy_from_user (kernel/sys_file.c): the NUL-terminated user string at u into buf[n]; its length or -EFAULT/-ENAMETOOLONG. */
long strncpy_from_user(char *buf, unsigned long u, size_t n);

#endif
