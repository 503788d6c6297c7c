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

struct pt_regs;
/*
 * stack_trace_save_regs: the call chain of the code an exception interrupted:
 * its pc first, then the return addresses from its frame pointer outward
 * (a leaf function that saved no frame record shows its caller's caller
 * next). Same rules as stack_trace_save.
 */
unsigned int stack_trace_save_regs(struct pt_regs *regs, unsigned long *store, unsigned int size,
				   unsigned int skipnr);

/* stack_trace_print: one " func+0x../0x.." line per entry, indented by spaces (Linux's layout). */
void stack_trace_print(const unsigned long *entries, unsigned int nr, int spaces);

#endif
