/* printf.c: a small printf — %d %i %u %x %p %s %c %%, the l/ll/z sizes, a width and '0' or '-' flags. */
#include <ulib.h>

struct out {
	char *buf;
	size_t size, len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_padded(struct out *o, const char *s, size_t n, int width, char pad, int left)
{
	int fill = width > (int)n ? width - (int)n : 0;

	if (!left)
		while (fill-- > 0)
			put(o, pad);
	while (n--)
		put(o, *s++);
	if (left)
		while (fill-- > 0)
			put(o, ' ');
}

/* Writes v in base into the end of tmp[24]; returns where the digits start. */
static char *utoa(unsigned long long v, unsigned int base, char *tmp)
{
	char *p = tmp + 24;

	do {
		*--p = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	return p;
}

static void put_number(struct out *o, unsigned long long v, int neg, unsigned int base,
		       int width, char pad, int left)
{
	char tmp[25], *p = utoa(v, base, tmp);

	if (neg) {
		if (pad == '0') {
			put(o, '-');
			width--;
		} else {
			*--p = '-';
		}
	}
	put_padded(o, p, (size_t)(tmp + 24 - p), width, pad, left);
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };

	for (; *fmt; fmt++) {
		int width = 0, lng = 0, left = 0;
		char pad = ' ', c;

		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		for (fmt++; *fmt == '0' || *fmt == '-'; fmt++)
			*fmt == '0' ? (void)(pad = '0') : (void)(left = 1);
		for (; *fmt >= '0' && *fmt <= '9'; fmt++)
			width = width * 10 + (*fmt - '0');
		for (; *fmt == 'l' || *fmt == 'z'; fmt++)
			lng++;
		c = *fmt;
		if (c == 'd' || c == 'i') {
			long long v = lng > 1 ? va_arg(ap, long long) : lng ? va_arg(ap, long) : va_arg(ap, int);
			put_number(&o, v < 0 ? -(unsigned long long)v : (unsigned long long)v, v < 0, 10, width, pad, left);
		} else if (c == 'u' || c == 'x') {
			unsigned long long v = lng > 1 ? va_arg(ap, unsigned long long) :
					 lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int);
			put_number(&o, v, 0, c == 'x' ? 16 : 10, width, pad, left);
		} else if (c == 'p') {
			put(&o, '0');
			put(&o, 'x');
			put_number(&o, (unsigned long)va_arg(ap, void *), 0, 16, width, pad, left);
		} else if (c == 's') {
			const char *s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			put_padded(&o, s, strlen(s), width, ' ', left);
		} else if (c == 'c') {
			char ch = (char)va_arg(ap, int);
			put_padded(&o, &ch, 1, width, ' ', left);
		} else if (c == '%') {
			put(&o, '%');
		} else if (!c) {
			break;
		}
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/* printf: formats into a 512-byte buffer (longer output is cut) and writes it to fd 1. */
int printf(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	write(1, buf, n < (int)sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
	return n;
}
