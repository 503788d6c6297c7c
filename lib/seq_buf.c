/* seq_buf.c: bounded text buffers for debugfs show() callbacks. */
#include <kernel/seq_buf.h>
#include <stdio.h>
#include <string.h>

void seq_buf_init(struct seq_buf *s, char *buf, size_t size)
{
	s->buffer = buf;
	s->size = size;
	s->len = 0;
	s->overflow = false;
	if (size)
		buf[0] = '\0';
}

/* Appends formatted text; on overflow keeps what fits and sets s->overflow. */
int seq_buf_vprintf(struct seq_buf *s, const char *fmt, va_list ap)
{
	size_t room = s->size > s->len ? s->size - s->len : 0;
	int n = vsnprintf(s->buffer + s->len, room, fmt, ap);

	if (n < 0)
		return n;
	if ((size_t)n >= room) {
		s->overflow = true;
		s->len = room ? s->size - 1 : s->len;
		return -1;
	}
	s->len += n;
	return n;
}

int seq_buf_printf(struct seq_buf *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = seq_buf_vprintf(s, fmt, ap);
	va_end(ap);
	return n;
}

int seq_buf_putc(struct seq_buf *s, char c)
{
	return seq_buf_printf(s, "%c", c);
}
