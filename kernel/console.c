/* console.c: the list of registered consoles; output goes to all, input comes from the first. */
#include <kernel/console.h>
#include <kernel/arch.h>

static struct console *consoles;

/* Adds con after the others; it gets the log so far replayed. */
void register_console(struct console *con)
{
	struct console **pp = &consoles;

	while (*pp)
		pp = &(*pp)->next;
	con->next = NULL;
	*pp = con;
	log_replay(con);
}

/* Serial terminals want CR LF: "\n" goes out as "\r\n". */
void console_write(const char *s, size_t n)
{
	struct console *con;
	size_t i;

	for (con = consoles; con; con = con->next)
		for (i = 0; i < n; i++) {
			if (s[i] == '\n')
				con->putc(con, '\r');
			con->putc(con, s[i]);
		}
}

/*
 * Input comes from whichever console has a byte: under QEMU only one UART is
 * usually wired to the terminal, and on a Pi either may be (the DTB's
 * stdout-path names the mini UART, a user may have wired the PL011).
 */
int console_getc(void)
{
	struct console *con;
	int c;

	for (;;)
		for (con = consoles; con; con = con->next)
			if (con->getc && (c = con->getc(con)) >= 0)
				return c;
}
