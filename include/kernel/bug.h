/* bug.h: panic(), BUG_ON() and WARN_ON() — invariant violations and loud warnings. */
#ifndef PAGODA_BUG_H
#define PAGODA_BUG_H

#include <compiler.h>
#include <kernel/printk.h>

/* panic: print the reason and stop the machine (on the host: abort()). */
__printf(1, 2) __noreturn void panic(const char *fmt, ...);

#define BUG() panic("BUG at %s:%d (%s)", __FILE__, __LINE__, __func__)
#define BUG_ON(c) do { if (unlikely(c)) BUG(); } while (0)

/* WARN_ON: report a condition that should not happen and carry on; returns it. */
#define WARN_ON(c) ({ \
	bool __w = !!(c); \
	if (unlikely(__w)) \
		printk("WARNING: %s:%d %s: %s\n", __FILE__, __LINE__, __func__, #c); \
	__w; })

#endif
