/* vsprintf.c: vsnprintf/snprintf for the freestanding build (C99 conversions, no %p extensions). */
#include <stdio.h>
#include <string.h>
#include <types.h>

struct out {
	char *buf;
	size_t size, len;	/* len counts every byte produced, even past size */
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

struct spec {
	bool left, zero, plus, space, alt;
	int width, prec;	/* prec < 0: none */
};

/* Emit digits of v in base, honouring width/precision/flags. */
static void put_num(struct out *o, unsigned long long v, bool neg, int base, bool upper,
		    const struct spec *sp)
{
	const char *dig = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, pad, zeros;
	char sign = neg ? '-' : sp->plus ? '+' : sp->space ? ' ' : 0;
	const char *pfx = (sp->alt && v && base == 16) ? (upper ? "0X" : "0x") :
			  (sp->alt && base == 8) ? "0" : "";

	do {
		tmp[n++] = dig[v % base];
		v /= base;
	} while (v);
	if (sp->prec == 0 && n == 1 && tmp[0] == '0')
		n = 0;
	zeros = sp->prec > n ? sp->prec - n : 0;
	pad = sp->width - n - zeros - (sign != 0) - (int)strlen(pfx);
	if (sp->zero && !sp->left && sp->prec < 0) {
		zeros += pad > 0 ? pad : 0;
		pad = 0;
	}
	for (; !sp->left && pad > 0; pad--)
		put(o, ' ');
	if (sign)
		put(o, sign);
	while (*pfx)
		put(o, *pfx++);
	while (zeros-- > 0)
		put(o, '0');
	while (n--)
		put(o, tmp[n]);
	for (; pad > 0; pad--)
		put(o, ' ');
}

static void put_str(struct out *o, const char *s, const struct spec *sp)
{
	int n, pad;

	if (!s)
		s = "(null)";
	n = (int)strnlen(s, sp->prec >= 0 ? (size_t)sp->prec : (size_t)-1);
	pad = sp->width - n;
	for (; !sp->left && pad > 0; pad--)
		put(o, ' ');
	while (n--)
		put(o, *s++);
	for (; pad > 0; pad--)
		put(o, ' ');
}

static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
	memset(sp, 0, sizeof(*sp));
	sp->prec = -1;
	for (;; f++) {
		if (*f == '-') sp->left = true;
		else if (*f == '0') sp->zero = true;
		else if (*f == '+') sp->plus = true;
		else if (*f == ' ') sp->space = true;
		else if (*f == '#') sp->alt = true;
		else break;
	}
	if (*f == '*') {
		sp->width = va_arg(*ap, int);
		if (sp->width < 0) {
			sp->left = true;
			sp->width = -sp->width;
		}
		f++;
	}
	for (; *f >= '0' && *f <= '9'; f++)
		sp->width = sp->width * 10 + (*f - '0');
	if (*f == '.') {
		f++;
		sp->prec = 0;
		if (*f == '*') {
			sp->prec = va_arg(*ap, int);
			f++;
		}
		for (; *f >= '0' && *f <= '9'; f++)
			sp->prec = sp->prec * 10 + (*f - '0');
	}
	return f;
}

/* Length modifiers, counted: 'l' twice is long long; z/t/j map onto them. */
static const char *parse_len(const char *f, int *len)
{
	*len = 0;
	for (;; f++) {
		if (*f == 'l') *len += 1;
		else if (*f == 'h') *len -= 1;
		else if (*f == 'z' || *f == 't') *len = sizeof(size_t) == 8 ? 2 : 0;
		else if (*f == 'j') *len = 2;
		else return f;
	}
}

static unsigned long long get_unsigned(int len, va_list *ap)
{
	if (len >= 2) return va_arg(*ap, unsigned long long);
	if (len == 1) return va_arg(*ap, unsigned long);
	if (len == -1) return (unsigned short)va_arg(*ap, unsigned int);
	if (len <= -2) return (unsigned char)va_arg(*ap, unsigned int);
	return va_arg(*ap, unsigned int);
}

static long long get_signed(int len, va_list *ap)
{
	if (len >= 2) return va_arg(*ap, long long);
	if (len == 1) return va_arg(*ap, long);
	if (len == -1) return (short)va_arg(*ap, int);
	if (len <= -2) return (signed char)va_arg(*ap, int);
	return va_arg(*ap, int);
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };
	struct spec sp;
	va_list aq;
	int len;

	va_copy(aq, ap);
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		fmt = parse_len(parse_spec(fmt + 1, &sp, &aq), &len);
		switch (*fmt) {
		case 'd': case 'i': {
			long long v = get_signed(len, &aq);
			put_num(&o, v < 0 ? -(unsigned long long)v : (unsigned long long)v, v < 0, 10, false, &sp);
			break;
		}
		case 'u': put_num(&o, get_unsigned(len, &aq), false, 10, false, &sp); break;
		case 'x': put_num(&o, get_unsigned(len, &aq), false, 16, false, &sp); break;
		case 'X': put_num(&o, get_unsigned(len, &aq), false, 16, true, &sp); break;
		case 'o': put_num(&o, get_unsigned(len, &aq), false, 8, false, &sp); break;
		case 'p':
			sp.alt = true;
			put_num(&o, (uintptr_t)va_arg(aq, void *), false, 16, false, &sp);
			break;
		case 'c': {
			char c[2] = { (char)va_arg(aq, int), 0 };
			put_str(&o, c, &sp);
			break;
		}
		case 's': put_str(&o, va_arg(aq, const char *), &sp); break;
		case '%': put(&o, '%'); break;
		case '\0': fmt--; break;
		default: put(&o, '%'); put(&o, *fmt); break;
		}
	}
	va_end(aq);
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
