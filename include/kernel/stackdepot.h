/* stackdepot.h: each distinct call chain stored once, named by a 32-bit handle (Linux's stack depot). */
#ifndef PAGODA_STACKDEPOT_H
#define PAGODA_STACKDEPOT_H

#include <types.h>

/* 0 is "no stack" (not saved: the depot is full, or nr was 0). */
typedef u32 depot_stack_handle_t;

#define STACK_DEPOT_MAX_FRAMES	16

/*
 * stack_depot_save: returns the handle of entries[0..nr) (nr is cut to
 * STACK_DEPOT_MAX_FRAMES), storing it if it is new. Safe in any context and
 * on any CPU (a spinlock with interrupts masked; no allocation: the depot is a
 * fixed pool, and when it is full new stacks get handle 0 and one line says so).
 */
depot_stack_handle_t stack_depot_save(const unsigned long *entries, unsigned int nr);

/* stack_depot_fetch: points *entries at the stored frames; returns how many (0 for handle 0 or a bad one). */
unsigned int stack_depot_fetch(depot_stack_handle_t handle, const unsigned long **entries);

/* stack_depot_print: the stack's lines, as stack_trace_print prints them (nothing for handle 0). */
void stack_depot_print(depot_stack_handle_t handle, int spaces);

/* save_stack: the caller's own call chain, skipnr innermost frames left out, into the depot. */
depot_stack_handle_t save_stack(unsigned int skipnr);

#endif
