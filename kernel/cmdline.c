/* cmdline.c: the kernel command line — early_param() dispatch and lookups by name. */
#include <kernel/param.h>
#include <kernel/printk.h>
#include <stdio.h>
#include <string.h>

char boot_command_line[1024];

extern const struct kernel_param __start_kernel_params[] __weak, __stop_kernel_params[] __weak;

/*
 * next_arg: splits "a=1 run=\"x; y\" b" into words; quotes group spaces and are
 * removed. Writes the word into buf; returns the rest of the line or NULL at the end.
 */
static const char *next_arg(const char *p, char *buf, size_t size)
{
	bool quoted = false;
	size_t n = 0;

	while (*p == ' ')
		p++;
	if (!*p)
		return NULL;
	for (; *p && (quoted || *p != ' '); p++) {
		if (*p == '"') {
			quoted = !quoted;
			continue;
		}
		if (n + 1 < size)
			buf[n++] = *p;
	}
	buf[n] = '\0';
	return p;
}

void parse_early_params(void)
{
	const struct kernel_param *kp;
	const char *p = boot_command_line;
	char arg[512];

	while ((p = next_arg(p, arg, sizeof(arg)))) {
		char *eq = strchr(arg, '=');
		size_t len = eq ? (size_t)(eq - arg) : strlen(arg);

		for (kp = __start_kernel_params; kp < __stop_kernel_params; kp++) {
			if (strlen(kp->name) != len || strncmp(kp->name, arg, len))
				continue;
			if (kp->setup(eq ? eq + 1 : ""))
				printk("Malformed early option '%s'\n", arg);
		}
	}
}

const char *cmdline_get(const char *name, char *buf, size_t size)
{
	const char *p = boot_command_line;
	size_t len = strlen(name);
	char arg[512];

	while ((p = next_arg(p, arg, sizeof(arg)))) {
		if (!strncmp(arg, name, len) && (arg[len] == '=' || arg[len] == '\0')) {
			snprintf(buf, size, "%s", arg[len] == '=' ? arg + len + 1 : "");
			return buf;
		}
	}
	return NULL;
}
