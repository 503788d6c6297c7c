/* param.h: kernel command-line parameters (name=value), registered at link time. */
#ifndef PAGODA_PARAM_H
#define PAGODA_PARAM_H

#include <compiler.h>
#include <string.h>

/*
 * setup(val) receives the text after "name=" (or "" for a bare "name") and
 * returns 0 if it accepted it. A nonzero return makes parse_early_params() print
 * "Malformed early option 'name=val'" and go on with the default.
 */
struct kernel_param {
	const char *name;
	int (*setup)(const char *val);
};

#define early_param(nm, fn) \
	static const struct kernel_param __param_##fn \
	__link_table(kernel_params, struct kernel_param) = { nm, fn }

/* Linux's COMMAND_LINE_SIZE on arm64 and x86: the longest line kept, with its NUL. */
#define COMMAND_LINE_SIZE	2048

/* The command line as given by the boot loader (DTB /chosen/bootargs, Multiboot). */
extern char boot_command_line[COMMAND_LINE_SIZE];
/*
 * The loader's line was this long (it was cut if boot_command_line_len >=
 * COMMAND_LINE_SIZE), and whether "run=" appeared anywhere in it: a cut line
 * never runs any part of run= (run_boot_commands fails instead).
 */
extern size_t boot_command_line_len;
extern bool boot_command_line_has_run;

/* cmdline_set: copies the loader's line (at most max bytes, or up to its NUL), cut to fit. */
static inline void cmdline_set(const char *src, size_t max)
{
	size_t n = strnlen(src, max), keep = n < COMMAND_LINE_SIZE ? n : COMMAND_LINE_SIZE - 1, i;

	memcpy(boot_command_line, src, keep);
	boot_command_line[keep] = '\0';
	boot_command_line_len = n;
	boot_command_line_has_run = false;
	for (i = 0; i + 4 <= n; i++)
		boot_command_line_has_run |= !memcmp(src + i, "run=", 4);
}

/*
 * parse_early_params: splits boot_command_line (quotes group: run="a; b"),
 * calls each registered setup() (the last of repeated words wins, as in Linux),
 * and names the words nobody knows in one line. Says so if the line was cut.
 */
void parse_early_params(void);

/* Returns the value of the first name= on the command line (copied into buf), or NULL. */
const char *cmdline_get(const char *name, char *buf, size_t size);
/* How many times name= (or a bare name) appears on the command line. */
int cmdline_count(const char *name);

#endif
