/* kallsyms.c: symbol lookup over the table tools/kallsyms generates at link time. */
#include <kernel/kallsyms.h>
#include <stdio.h>

extern const u32 kallsyms_num __weak;
extern const u32 kallsyms_offsets[] __weak, kallsyms_name_offsets[] __weak;
extern const char kallsyms_names[] __weak;
extern char _text[] __weak, _etext[] __weak;

/* Binary search for the last symbol at or below addr; sizes run to the next symbol. */
const char *kallsyms_lookup(unsigned long addr, unsigned long *size, unsigned long *offset)
{
	unsigned long base = (unsigned long)_text, off;
	u32 lo = 0, hi, n = &kallsyms_num ? kallsyms_num : 0;

	if (!n || addr < base || addr >= (unsigned long)_etext)
		return NULL;
	off = addr - base;
	hi = n;
	while (hi - lo > 1) {
		u32 mid = lo + (hi - lo) / 2;

		if (kallsyms_offsets[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	if (kallsyms_offsets[lo] > off)
		return NULL;
	/* Several names can share an address (aliases): the search lands on the last one. */
	*offset = off - kallsyms_offsets[lo];
	*size = (lo + 1 < n ? kallsyms_offsets[lo + 1] : (unsigned long)(_etext - _text)) -
		kallsyms_offsets[lo];
	return kallsyms_names + kallsyms_name_offsets[lo];
}

char *sprint_symbol(char *buf, size_t n, unsigned long addr)
{
	unsigned long size, offset;
	const char *name = kallsyms_lookup(addr, &size, &offset);

	if (name)
		snprintf(buf, n, "%s+0x%lx/0x%lx", name, offset, size);
	else
		snprintf(buf, n, "0x%lx", addr);
	return buf;
}
