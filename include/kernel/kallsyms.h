/* kallsyms.h: address -> "function+0xoff/0xsize", from the symbol table linked into the kernel. */
#ifndef PAGODA_KALLSYMS_H
#define PAGODA_KALLSYMS_H

#include <compiler.h>

/*
 * kallsyms_lookup: the name of the text symbol containing addr, with its size
 * and addr's offset in it; NULL if addr is outside the kernel's text.
 */
const char *kallsyms_lookup(unsigned long addr, unsigned long *size, unsigned long *offset);
/* sprint_symbol: "name+0x1c/0x40" (Linux's %pS), or "0x<addr>" if unknown. Returns buf. */
char *sprint_symbol(char *buf, size_t n, unsigned long addr);

#endif
