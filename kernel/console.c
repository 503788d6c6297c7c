/* console.c: the list of registered consoles; output goes to all, input from any; ^C polling. */
#include <kernel/console.h>
#include <kernel/arch.h>
#include <kernel/irq.h>
#include <kernel/smp.h>

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
 * Type-ahead: bytes that console_interrupted() read while a command ran and
 * that were not ^C. console_getc() hands them out first, in order.
 * Input is CPU 0's alone: these, and the consoles' receive side, are touched
 * only by CPU 0 (its commands, and its tick while taskset waits); a command
 * that taskset runs on another CPU learns of a ^C through ctrl_c_pending.
 */
static char typeahead[64];
static unsigned int ta_head, ta_count;
static bool ctrl_c_pending;	/* written by CPU 0, read and cleared by the command's CPU */
static bool ctrl_c_watch;	/* CPU 0's tick reads input (console_watch_interrupt) */

/* One byte from whichever console has one, or -1. */
static int console_poll(void)
{
	struct console *con;
	int c;

	for (con = consoles; con; con = con->next)
		if (con->getc && (c = con->getc(con)) >= 0)
			return c;
	return -1;
}

/*
 * Input comes from the consoles that take it: the arch registers input only on
 * the console UART (arm64: the one the pin mux, serial0 or stdout-path chose;
 * an output-only mirror has no getc), so nothing wired elsewhere, such as the
 * Bluetooth chip on a Pi 3's PL011, can type into the shell.
 */
int console_getc(void)
{
	int c;

	if (ta_count) {
		c = (unsigned char)typeahead[ta_head];
		ta_head = (ta_head + 1) % sizeof(typeahead);
		ta_count--;
		return c;
	}
	cpu_idle_enter();
	while ((c = console_poll()) < 0)
		arch_irq_window();	/* IPIs and the tick come in while the shell waits */
	cpu_idle_exit();
	return c;
}

/* CPU 0: reads what the consoles hold into the type-ahead; true at a ^C (consumed). */
static bool read_for_ctrl_c(void)
{
	int c;

	while (ta_count < sizeof(typeahead) && (c = console_poll()) >= 0) {
		if (c == CONSOLE_CTRL_C)
			return true;
		typeahead[(ta_head + ta_count++) % sizeof(typeahead)] = (char)c;
	}
	return false;
}

bool console_interrupted(void)
{
	if (smp_processor_id() != 0 || READ_ONCE(ctrl_c_pending)) {
		if (!READ_ONCE(ctrl_c_pending))
			return false;
		WRITE_ONCE(ctrl_c_pending, false);
		return true;
	}
	return read_for_ctrl_c();
}

void console_watch_interrupt(bool on)
{
	WRITE_ONCE(ctrl_c_pending, false);
	WRITE_ONCE(ctrl_c_watch, on);
}

void console_tick(void)
{
	if (smp_processor_id() == 0 && READ_ONCE(ctrl_c_watch) && read_for_ctrl_c())
		WRITE_ONCE(ctrl_c_pending, true);
}
