/* readline.c: the shell's line editor — escape-sequence parsing, cursor motion, history, Tab. */
#include <kernel/console.h>
#include <kernel/printk.h>
#include <kernel/shell.h>
#include <ctype.h>
#include <string.h>

#define CTRL(c)		((c) & 0x1f)
#define ESC		0x1b
#define DEL		0x7f
#define HISTORY_MAX	32

/* Keys that arrive as escape sequences, numbered past the byte values. */
enum {
	KEY_NONE = 0x100,	/* inside a sequence, or a sequence with no binding */
	KEY_UP, KEY_DOWN, KEY_RIGHT, KEY_LEFT, KEY_HOME, KEY_END, KEY_DELETE,
	KEY_WORD_LEFT, KEY_WORD_RIGHT,
};

/*
 * The escape-sequence parser (ECMA-48, as VT100 terminals send): ESC '[' opens
 * a CSI sequence (parameter bytes 0x30-0x3f, intermediate bytes 0x20-0x2f, one
 * final byte 0x40-0x7e), ESC 'O' an SS3 one (one final byte). A lone ESC
 * followed by any other byte is dropped and that byte is taken as typed. A
 * byte that cannot continue a sequence (a control byte: Enter, Ctrl-C, ...)
 * ends it and is taken as typed, so no sequence ever eats a command's byte.
 */
enum esc_state { ESC_GROUND, ESC_ESC, ESC_CSI, ESC_SS3 };

struct esc_parser {
	enum esc_state state;
	unsigned int param[2];	/* the first two numeric parameters (0: absent) */
	unsigned int nparam;	/* index of the parameter being read */
	bool odd;		/* private or intermediate bytes: no key has them */
};

/*
 * The terminal's width, for lines that wrap: a VT100's 80 columns until the
 * terminal answers a cursor position report (CSI row ; col R) asked with the
 * cursor sent to the far right. It is asked once a line first grows near 80
 * columns, and at every Ctrl-L; never at a prompt, so scripts and logs that
 * read the console see plain prompts and short commands as typed.
 */
#define WIDTH_ASK_AT	64	/* line width (prompt included) that asks the first time */

static unsigned int term_cols = 80;
static bool width_asked;	/* a report is awaited */
static bool width_asked_once;

static void ask_width(void)
{
	kprintf("\x1b" "7\x1b[999C\x1b[6n\x1b" "8");	/* save, far right, report, restore */
	width_asked = width_asked_once = true;
}

/* The key a CSI or SS3 sequence with final byte c stands for (xterm's and VT100's). */
static int esc_key(const struct esc_parser *e, int c)
{
	bool ctrl = e->param[1] == 5;	/* CSI 1;5C: Ctrl held */

	if (e->odd)
		return KEY_NONE;
	if (c == 'R' && width_asked && e->param[1] >= 20) {	/* not Ctrl-F3 (CSI 1;5R) */
		term_cols = e->param[1];
		width_asked = false;
		return KEY_NONE;
	}
	switch (c) {
	case 'A': return KEY_UP;
	case 'B': return KEY_DOWN;
	case 'C': return ctrl ? KEY_WORD_RIGHT : KEY_RIGHT;
	case 'D': return ctrl ? KEY_WORD_LEFT : KEY_LEFT;
	case 'H': return KEY_HOME;
	case 'F': return KEY_END;
	case '~':
		switch (e->param[0]) {
		case 1: case 7: return KEY_HOME;
		case 4: case 8: return KEY_END;
		case 3: return KEY_DELETE;
		}
	}
	return KEY_NONE;
}

static void csi_param(struct esc_parser *e, int c)
{
	if (c >= '0' && c <= '9') {
		if (e->nparam < ARRAY_SIZE(e->param) && e->param[e->nparam] < 10000)
			e->param[e->nparam] = e->param[e->nparam] * 10 + (unsigned int)(c - '0');
	} else if (c == ';') {
		e->nparam++;
	} else if (c != ':') {
		e->odd = true;		/* '<' '=' '>' '?': a private sequence */
	}
}

/*
 * esc_feed: takes one input byte. Returns the key a sequence it completes
 * stands for, KEY_NONE while a sequence is open (or for an unbound one), else
 * the byte itself.
 */
static int esc_feed(struct esc_parser *e, int c)
{
	switch (e->state) {
	case ESC_GROUND:
		break;
	case ESC_ESC:
		e->state = ESC_GROUND;
		if (c == '[' || c == 'O') {
			memset(e, 0, sizeof(*e));
			e->state = c == '[' ? ESC_CSI : ESC_SS3;
			return KEY_NONE;
		}
		break;
	case ESC_CSI:
		if (c >= 0x30 && c <= 0x3f) {
			csi_param(e, c);
			return KEY_NONE;
		}
		if (c >= 0x20 && c <= 0x2f) {
			e->odd = true;
			return KEY_NONE;
		}
		/* a final byte, or a byte that ends the sequence */
		__attribute__((fallthrough));
	case ESC_SS3:
		e->state = ESC_GROUND;
		if (c >= 0x40 && c <= 0x7e)
			return esc_key(e, c);
		break;
	}
	if (c == ESC) {
		e->state = ESC_ESC;
		return KEY_NONE;
	}
	return c;
}

/*
 * The line being edited. The screen shows the prompt and buf[0..len) from
 * the start of a row, wrapped every term_cols columns; the cursor stands at
 * line column pos, i.e. row (plen + pos) / term_cols, column
 * (plen + pos) % term_cols of that text.
 */
struct rl_line {
	const char *prompt;
	size_t plen;		/* the prompt's width */
	char *buf;
	size_t len, pos;
	bool overflow;		/* characters were dropped: the line will be refused,
				 * unless it is emptied or replaced first */
	int hist;		/* history entry shown: 0 is the line being typed */
	char draft[SHELL_LINE_MAX];	/* the line being typed, while browsing history */
};

static void bell(void)
{
	kprintf("\a");
}

static void cursor_left(size_t n)
{
	if (n)
		kprintf("\x1b[%zuD", n);
}

/*
 * Moves the cursor from line column from to line column to, up or down
 * across wrapped rows, then along the row.
 */
static void cursor_move(const struct rl_line *l, size_t from, size_t to)
{
	size_t a = l->plen + from, b = l->plen + to, w = term_cols;

	if (a / w > b / w)
		kprintf("\x1b[%zuA", a / w - b / w);
	else if (b / w > a / w)
		kprintf("\x1b[%zuB", b / w - a / w);
	if (a % w > b % w)
		cursor_left(a % w - b % w);
	else if (b % w > a % w)
		kprintf("\x1b[%zuC", b % w - a % w);
}

/*
 * The cursor has just printed up to line column end. If that filled a row
 * exactly, terminals hold the cursor on the row's last column (the wrap
 * happens at the next character): a CR LF puts it where the arithmetic of
 * cursor_move expects it, at the start of the next row.
 */
static void settle_wrap(const struct rl_line *l, size_t end)
{
	if (end && (l->plen + end) % term_cols == 0)
		kprintf("\n");
}

/*
 * refresh_from: the cursor stands at line column from (<= pos); reprints
 * buf[from..len), erases what an older, longer line left after it (to the
 * end of the screen: it may have wrapped), and puts the cursor back at pos.
 */
static void refresh_from(struct rl_line *l, size_t from)
{
	kprintf("%.*s", (int)(l->len - from), l->buf + from);
	settle_wrap(l, l->len);
	kprintf("\x1b[J");
	cursor_move(l, l->len, l->pos);
}

/* Moves the cursor to column to of the line. */
static void move_to(struct rl_line *l, size_t to)
{
	cursor_move(l, l->pos, to);
	l->pos = to;
}

/* Inserts s[0..n) at the cursor; on overflow rings the bell and drops the rest. */
static void insert(struct rl_line *l, const char *s, size_t n)
{
	size_t from = l->pos;

	if (l->len + n > SHELL_LINE_MAX - 1) {
		n = SHELL_LINE_MAX - 1 - l->len;
		l->overflow = true;
		bell();
	}
	if (!n)
		return;
	memmove(l->buf + l->pos + n, l->buf + l->pos, l->len - l->pos);
	memcpy(l->buf + l->pos, s, n);
	l->len += n;
	l->pos += n;
	if (l->pos == l->len) {
		kprintf("%.*s", (int)n, s);
		settle_wrap(l, l->len);
	} else {
		refresh_from(l, from);
	}
	if (!width_asked_once && l->plen + l->len >= WIDTH_ASK_AT)
		ask_width();
}

/* Deletes buf[from..to) (from <= to) and leaves the cursor at from. */
static void delete_range(struct rl_line *l, size_t from, size_t to)
{
	if (from >= to)
		return;
	move_to(l, from);
	memmove(l->buf + from, l->buf + to, l->len - to);
	l->len -= to - from;
	if (!l->len)
		l->overflow = false;	/* emptied: what is typed next is a new line */
	refresh_from(l, from);
}

/* Replaces the whole line with s (a history entry, or the draft). */
static void replace_line(struct rl_line *l, const char *s)
{
	size_t n = strlen(s);

	move_to(l, 0);
	memcpy(l->buf, s, n);
	l->len = l->pos = n;
	l->overflow = false;
	refresh_from(l, 0);
}

/* Column of the start of the word before the cursor (Ctrl-W, Ctrl-Left). */
static size_t word_left(const struct rl_line *l)
{
	size_t p = l->pos;

	while (p && shell_isblank(l->buf[p - 1]))
		p--;
	while (p && !shell_isblank(l->buf[p - 1]))
		p--;
	return p;
}

/* Column just past the end of the word after the cursor (Ctrl-Right). */
static size_t word_right(const struct rl_line *l)
{
	size_t p = l->pos;

	while (p < l->len && shell_isblank(l->buf[p]))
		p++;
	while (p < l->len && !shell_isblank(l->buf[p]))
		p++;
	return p;
}

/*
 * The history: a ring of the last HISTORY_MAX lines, oldest overwritten.
 * Entry 1 is the newest. A line equal to the newest is not stored again.
 */
static char history[HISTORY_MAX][SHELL_LINE_MAX];
static unsigned int history_count;	/* lines ever stored */

static const char *history_get(unsigned int n)
{
	if (n == 0 || n > history_count || n > HISTORY_MAX)
		return NULL;
	return history[(history_count - n) % HISTORY_MAX];
}

static void history_add(const char *line)
{
	const char *last = history_get(1);

	if (!*line || (last && !strcmp(last, line)))
		return;
	strcpy(history[history_count % HISTORY_MAX], line);
	history_count++;
}

/* Shows history entry l->hist + dir (Up: +1, older; Down: -1); rings at either end. */
static void history_step(struct rl_line *l, int dir)
{
	int to = l->hist + dir;
	const char *s;

	if (to < 0 || (to > 0 && !history_get((unsigned int)to))) {
		bell();
		return;
	}
	if (l->hist == 0) {
		memcpy(l->draft, l->buf, l->len);
		l->draft[l->len] = '\0';
	}
	s = to ? history_get((unsigned int)to) : l->draft;
	l->hist = to;
	replace_line(l, s);
}

/* Prints the prompt and the line again, the cursor where it was (after a list, Ctrl-L). */
static void redraw(struct rl_line *l)
{
	kprintf("%s%.*s", l->prompt, (int)l->len, l->buf);
	settle_wrap(l, l->len);
	cursor_move(l, l->len, l->pos);
}

static void complete(struct rl_line *l)
{
	char ins[SHELL_LINE_MAX];
	int ret = shell_complete(l->buf, l->pos, ins, sizeof(ins));

	if (ret < 0)
		bell();
	else if (ret > 0)
		redraw(l);
	else if (*ins)
		insert(l, ins, strlen(ins));
	else
		bell();
}

/* Carries out one editing key (not Enter, not Ctrl-C). */
static void edit_key(struct rl_line *l, int key)
{
	switch (key) {
	case CTRL('A'): case KEY_HOME:	move_to(l, 0); break;
	case CTRL('E'): case KEY_END:	move_to(l, l->len); break;
	case CTRL('B'): case KEY_LEFT:
		if (l->pos)
			move_to(l, l->pos - 1);
		break;
	case CTRL('F'): case KEY_RIGHT:
		if (l->pos < l->len)
			move_to(l, l->pos + 1);
		break;
	case KEY_WORD_LEFT:		move_to(l, word_left(l)); break;
	case KEY_WORD_RIGHT:		move_to(l, word_right(l)); break;
	case CTRL('P'): case KEY_UP:	history_step(l, 1); break;
	case CTRL('N'): case KEY_DOWN:	history_step(l, -1); break;
	case DEL: case CTRL('H'):
		if (l->pos)
			delete_range(l, l->pos - 1, l->pos);
		break;
	case CTRL('D'): case KEY_DELETE:
		delete_range(l, l->pos, l->pos + (l->pos < l->len));
		break;
	case CTRL('U'):			delete_range(l, 0, l->pos); break;
	case CTRL('K'):			delete_range(l, l->pos, l->len); break;
	case CTRL('W'):			delete_range(l, word_left(l), l->pos); break;
	case CTRL('L'):
		kprintf("\x1b[H\x1b[2J");
		ask_width();
		redraw(l);
		break;
	case '\t':			complete(l); break;
	default:
		if (key < 0x100 && isprint(key)) {
			char c = (char)key;

			insert(l, &c, 1);
		}
	}
}

int readline(const char *prompt, char *buf)
{
	static struct esc_parser esc;
	static bool after_cr;	/* a terminal sending CR LF gives one Enter, not two */
	struct rl_line l = { .prompt = prompt, .plen = strlen(prompt), .buf = buf };
	int c, key;

	kprintf("%s", prompt);
	for (;;) {
		c = console_getc();
		if (c == '\n' && after_cr) {
			after_cr = false;
			continue;
		}
		after_cr = c == '\r';
		key = esc_feed(&esc, c);
		if (key == '\r' || key == '\n')
			break;
		if (key == CTRL('C')) {
			move_to(&l, l.len);
			kprintf("^C\n");
			buf[0] = '\0';
			return 0;
		}
		edit_key(&l, key);
	}
	move_to(&l, l.len);
	if (!l.len || (l.plen + l.len) % term_cols)
		kprintf("\n");		/* else settle_wrap has moved to a new row */
	buf[l.len] = '\0';
	if (l.overflow)
		return -1;
	history_add(buf);
	return (int)l.len;
}

static int cmd_history(int argc, char **argv)
{
	unsigned int n;

	for (n = min(history_count, HISTORY_MAX); n; n--)
		kprintf("%5u  %s\n", history_count - n + 1, history_get(n));
	return 0;
}
SHELL_CMD(history, "history", "history", "list the lines typed before (Up/Down recall them)",
	  cmd_history);
