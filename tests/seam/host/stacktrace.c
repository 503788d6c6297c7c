/* stacktrace.c (host seam): the call chain from glibc's backtrace(), so the stack depot is tested on the host. */
#include <execinfo.h>
#include <kernel/printk.h>
#include <kernel/stacktrace.h>

__attribute__((noinline))
unsigned int stack_trace_save(unsigned long *store, unsigned int size, unsigned int skipnr)
{
	void *frames[64], *caller = __builtin_return_address(0);
	int n = backtrace(frames, 64), i = 0;
	unsigned int stored = 0;

	while (i < n && frames[i] != caller)	/* the sanitizers' interceptor adds frames of its own */
		i++;
	for (i += (int)skipnr; i < n && stored < size; i++)
		store[stored++] = (unsigned long)frames[i];
	return stored;
}

/* No exception frames on the host: nothing to walk. */
unsigned int stack_trace_save_regs(struct pt_regs *regs, unsigned long *store, unsigned int size,
				   unsigned int skipnr)
{
	return 0;
}

void stack_trace_print(const unsigned long *entries, unsigned int nr, int spaces)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		printk("%*s0x%lx\n", spaces, "", entries[i]);
}
