/* seq_buf.h: a bounded text buffer that show() callbacks print into (Linux's seq_buf). */
#ifndef PAGODA_SEQ_BUF_H
#define PAGODA_SEQ_BUF_H

#include <compiler.h>

struct seq_buf {
	char *buffer;
	size_t size;	/* bytes available, including the terminating NUL */
	size_t len;	/* bytes written so far (excluding NUL) */
	bool overflow;	/* set once a write did not fit */
};

void seq_buf_init(struct seq_buf *s, char *buf, size_t size);
__printf(2, 3) int seq_buf_printf(struct seq_buf *s, const char *fmt, ...);
int seq_buf_vprintf(struct seq_buf *s, const char *fmt, va_list ap);
int seq_buf_putc(struct seq_buf *s, char c);
static inline const char *seq_buf_str(struct seq_buf *s) { return s->buffer; }

#endif
