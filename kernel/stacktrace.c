/* stacktrace.c: the call chain from frame records — {previous frame pointer, return address} on both arches. */
#include <kernel/kallsyms.h>
#include <kernel/printk.h>
#include <kernel/stacktrace.h>
#include <asm/ptrace.h>

extern char _text[], _etext[];

/* The largest step between two frames we believe: a kernel stack is 16 KiB. */
#define MAX_FRAME_STEP	16384

/*
 * AAPCS64's frame record and the i386 one built by `push %ebp; mov %esp, %ebp`
 * have the same shape: the word at the frame pointer is the caller's frame
 * pointer, the next word the return address. The kernel is built with
 * -fno-omit-frame-pointer, so every C function has one.
 */
struct frame_record {
	unsigned long fp;
	unsigned long ret;
};

static bool in_kernel_text(unsigned long addr)
{
	return addr >= (unsigned long)_text && addr < (unsigned long)_etext;
}

static bool frame_ok(unsigned long fp, unsigned long prev)
{
	return fp && !(fp & (sizeof(long) - 1)) && fp > prev && fp - prev <= MAX_FRAME_STEP;
}

/* Stores the return addresses of the frame records from fp outward (after skipnr of them). */
static unsigned int walk_frames(unsigned long fp, unsigned long *store, unsigned int size, unsigned int skipnr)
{
	unsigned long prev = fp - 1;
	unsigned int n = 0;

	while (n < size && frame_ok(fp, prev)) {
		const struct frame_record *fr = (const struct frame_record *)fp;

		if (!in_kernel_text(fr->ret))
			break;
		if (skipnr)
			skipnr--;
		else
			store[n++] = fr->ret;
		prev = fp;
		fp = fr->fp;
	}
	return n;
}

__attribute__((noinline))
unsigned int stack_trace_save(unsigned long *store, unsigned int size, unsigned int skipnr)
{
	return walk_frames((unsigned long)__builtin_frame_address(0), store, size, skipnr);
}

unsigned int stack_trace_save_regs(struct pt_regs *regs, unsigned long *store, unsigned int size,
				   unsigned int skipnr)
{
	if (!size)
		return 0;
	if (skipnr)
		return walk_frames(frame_pointer(regs), store, size, skipnr - 1);
	store[0] = instruction_pointer(regs);
	return 1 + walk_frames(frame_pointer(regs), store + 1, size - 1, 0);
}

void stack_trace_print(const unsigned long *entries, unsigned int nr, int spaces)
{
	char sym[96];
	unsigned int i;

	for (i = 0; i < nr; i++)
		printk("%*s%s\n", spaces, "", sprint_symbol(sym, sizeof(sym), entries[i]));
}
