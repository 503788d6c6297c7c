/* ptdump_bench.c: `bench ptdump` — the kernel page-table dump, and the ticks to format and print it. */
#include <kernel/arch.h>
#include <kernel/bench.h>
#include <kernel/time.h>
#include <kernel/printk.h>
#include <kernel/seq_buf.h>
#include <mm/gfp.h>
#include <mm/pgtable.h>
#include <mm/ptdump.h>
#include <mm/slab.h>

/*
 * `bench ptdump`: the kernel page tables as /sys/kernel/debug/kernel_page_tables
 * shows them, followed by how many generic-timer ticks formatting and printing
 * them took (a figure, not a test).
 */
static int bench_ptdump(void)
{
	struct seq_buf s = { .overflow = true };
	size_t size = 4096, i;
	unsigned int lines = 0;
	char *buf = NULL;
	u64 t0 = 0, t1, t2;

	while (s.overflow && size <= SZ_1M) {	/* show() is pure: grow the buffer and redo */
		kfree(buf);
		size *= 2;
		buf = kmalloc(size, GFP_KERNEL);
		if (!buf) {
			kprintf("ptdump: out of memory\n");
			return 1;
		}
		seq_buf_init(&s, buf, size);
		t0 = arch_counter_read();
		ptdump_show(&init_mm, NULL, &s);
	}
	t1 = arch_counter_read();
	kputs(buf);
	t2 = arch_counter_read();
	for (i = 0; i < s.len; i++)
		lines += buf[i] == '\n';
	kprintf("ptdump: %lu table pages, %u lines, %zu bytes%s; formatted in %llu ticks (%lu us), "
		"printed in %llu ticks (%lu us)\n", init_mm.nr_tables,
		lines, s.len, s.overflow ? " (truncated)" : "", (unsigned long long)(t1 - t0),
		ticks_to_us(t1 - t0), (unsigned long long)(t2 - t1), ticks_to_us(t2 - t1));
	kfree(buf);
	return 0;
}
BENCH(ptdump, "ptdump", "print the kernel page tables and the ticks it took", bench_ptdump);
