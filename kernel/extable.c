/* extable.c: the exception table — each uaccess instruction that may fault, and where its fault resumes (both arches' __ex_table). */
#include <kernel/uaccess.h>

/* One entry, as arch/<arch>/uaccess.S emits it into __ex_table (the linker script bounds the section). */
struct exception_table_entry {
	unsigned long insn, fixup;
};
extern const struct exception_table_entry __start___ex_table[], __stop___ex_table[];

unsigned long search_exception_tables(unsigned long pc)
{
	const struct exception_table_entry *e;

	for (e = __start___ex_table; e < __stop___ex_table; e++)
		if (e->insn == pc)
			return e->fixup;
	return 0;
}
