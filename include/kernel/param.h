/* param.h: kernel command-line parameters (name=value), registered at link time. */
#ifndef PAGODA_PARAM_H
#define PAGODA_PARAM_H

#include <compiler.h>

/*
 * setup(val) receives the text after "name=" (or "" for a bare "name") and
 * returns 0 if it accepted it. A nonzero return makes parse_args() print
 * "Malformed early option 'name=val'" and go on with the default.
 */
struct kernel_param {
	const char *name;
	int (*setup)(const char *val);
};

#define early_param(nm, fn) \
	static const struct kernel_param __param_##fn \
	__link_table(kernel_params, struct kernel_param) = { nm, fn }

/* The command line as given by the boot loader (DTB /chosen/bootargs, Multiboot). */
extern char boot_command_line[1024];

/* Splits boot_command_line (quotes group: run="a; b") and calls each registered setup(). */
void parse_early_params(void);

/* Returns the value of name= on the command line (copied into buf), or NULL. */
const char *cmdline_get(const char *name, char *buf, size_t size);

#endif
