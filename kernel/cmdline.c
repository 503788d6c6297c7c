/* cmdline.c: the kernel command line — early_param() dispatch and lookups by name. */
#include <kernel/param.h>
#include <kernel/printk.h>
#include <stdio.h>
#include <string.h>

char boot_command_line[COMMAND_LINE_SIZE];
size_t boot_command_line_len;
bool boot_command_line_has_run;

extern const struct kernel_param __start_kernel_params[] __weak, __stop_kernel_params[] __weak;

/*
 * next_arg: splits "a=1 run=\"x; y\" b" into words; quotes group spaces and are
 * removed. Writes the word into buf (COMMAND_LINE_SIZE bytes: a word is never
 * longer than the line); returns the rest of the line or NULL at the end.
 */
static const char *next_arg(const char *p, char *buf)
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
		buf[n++] = *p;
	}
	buf[n] = '\0';
	return p;
}

/* Calls the setup() of every parameter named like arg; returns false if none is. */
static bool dispatch(char *arg)
{
	const struct kernel_param *kp;
	char *eq = strchr(arg, '=');
	size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
	bool known = len == 3 && !strncmp(arg, "run", 3);	/* read by run_boot_commands */

	for (kp = __start_kernel_params; kp < __stop_kernel_params; kp++) {
		if (strlen(kp->name) != len || strncmp(kp->name, arg, len))
			continue;
		known = true;
		if (kp->setup(eq ? eq + 1 : ""))
			printk("Malformed early option '%s'\n", arg);
	}
	return known;
}

/* Appends word to the list of unknown ones (cut with "..." if the list is full). */
static void note_unknown(char *list, size_t size, const char *word)
{
	size_t len = strlen(list);

	if (len + 4 >= size)
		return;
	snprintf(list + len, size - len, "%s%s", len ? " " : "", word);
	if (strlen(list) + 4 >= size)
		strcpy(list + size - 4, "...");
}

void parse_early_params(void)
{
	static char arg[COMMAND_LINE_SIZE], unknown[256];
	const char *p = boot_command_line;

	if (boot_command_line_len >= COMMAND_LINE_SIZE)
		printk("Kernel command line: cut at %u of %zu bytes (COMMAND_LINE_SIZE %u)%s\n",
		       COMMAND_LINE_SIZE - 1, boot_command_line_len, COMMAND_LINE_SIZE,
		       boot_command_line_has_run ? "; run= will not run" : "");
	unknown[0] = '\0';
	while ((p = next_arg(p, arg)))
		if (!dispatch(arg))
			note_unknown(unknown, sizeof(unknown), arg);
	if (unknown[0])
		printk("Unknown kernel command line parameters \"%s\", ignored.\n", unknown);
}

/* Counts the words name=... (or a bare name); copies the first one's value into buf. */
static int scan(const char *name, char *buf, size_t size)
{
	static char arg[COMMAND_LINE_SIZE];
	const char *p = boot_command_line;
	size_t len = strlen(name);
	int n = 0;

	while ((p = next_arg(p, arg))) {
		if (strncmp(arg, name, len) || (arg[len] != '=' && arg[len] != '\0'))
			continue;
		if (!n++ && buf)
			snprintf(buf, size, "%s", arg[len] == '=' ? arg + len + 1 : "");
	}
	return n;
}

int cmdline_count(const char *name)
{
	return scan(name, NULL, 0);
}

const char *cmdline_get(const char *name, char *buf, size_t size)
{
	return scan(name, buf, size) ? buf : NULL;
}
