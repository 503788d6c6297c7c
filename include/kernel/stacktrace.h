/* stacktrace.h: saving the current call chain (frame-pointer walk) and printing it as Linux's call traces do. */
#ifndef PAGODA_STACKTRACE_H
#define PAGODA_STACKTRACE_H

#include <types.h>

/*
 * stack_trace_save: stores up to size return addresses of the current call
 * chain in store, innermost first, leaving out the skipnr innermost callers
 * (stack_trace_save itself is never stored). Returns how many it stored.
 * Safe in any context (no locks, no allocation): it stops at the first frame
 * record that is misaligned, does not move outward on the stack, or returns
 * outside the kernel's text.
 */
unsigned int stack_trace_save(unsigned long *store, unsigned int size, unsigned int skipnr);

/* stack_trace_print: one " func+0x../0x.." line per entry, indented by spaces (Linux's layout). */
void stack_trace_print(const unsigned long *entries, unsigned int nr, int spaces);

#endif
