/*
 * vsnprintf for console output: always NUL-terminates, returns the length
 * the full output would have had (C99). Conversions: d i u x X p s c %,
 * flags '-' and '0', a field width (number or '*'), length l, ll, z.
 */
#include <minios/lib.h>

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

static void pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

struct spec {
	int left, zero, width;
	int lng;                /* 0 int, 1 long or size_t, 2 long long */
};

static void put_str(struct out *o, const struct spec *sp, const char *s)
{
	int n;

	if (!s)
		s = "(null)";
	n = (int)strlen(s);
	if (!sp->left)
		pad(o, ' ', sp->width - n);
	while (*s)
		put(o, *s++);
	if (sp->left)
		pad(o, ' ', sp->width - n);
}

static void put_num(struct out *o, const struct spec *sp, uint64_t v,
		    unsigned base, int neg, int upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, len, width = sp->width - neg;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	len = n;
	if (!sp->left && !sp->zero)
		pad(o, ' ', width - n);
	if (neg)
		put(o, '-');
	if (!sp->left && sp->zero)
		pad(o, '0', width - n);
	while (n)
		put(o, tmp[--n]);
	if (sp->left)
		pad(o, ' ', width - len);
}

static uint64_t arg_unsigned(va_list *ap, int lng)
{
	if (lng == 2)
		return va_arg(*ap, unsigned long long);
	if (lng == 1)
		return va_arg(*ap, unsigned long);
	return va_arg(*ap, unsigned int);
}

static int64_t arg_signed(va_list *ap, int lng)
{
	if (lng == 2)
		return va_arg(*ap, long long);
	if (lng == 1)
		return va_arg(*ap, long);
	return va_arg(*ap, int);
}

static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
	*sp = (struct spec){ 0 };
	for (;; f++) {
		if (*f == '-')
			sp->left = 1;
		else if (*f == '0')
			sp->zero = 1;
		else
			break;
	}
	if (*f == '*') {
		sp->width = va_arg(*ap, int);
		f++;
	}
	while (*f >= '0' && *f <= '9')
		sp->width = sp->width * 10 + (*f++ - '0');
	while (*f == 'l' || *f == 'z') {
		sp->lng++;
		f++;
	}
	if (sp->lng > 2)
		sp->lng = 2;
	return f;
}

static void convert(struct out *o, char c, struct spec *sp, va_list *ap)
{
	int64_t s;

	switch (c) {
	case 'd':
	case 'i':
		s = arg_signed(ap, sp->lng);
		put_num(o, sp, s < 0 ? -(uint64_t)s : (uint64_t)s, 10, s < 0, 0);
		break;
	case 'u':
		put_num(o, sp, arg_unsigned(ap, sp->lng), 10, 0, 0);
		break;
	case 'x':
	case 'X':
		put_num(o, sp, arg_unsigned(ap, sp->lng), 16, 0, c == 'X');
		break;
	case 'p':
		put(o, '0');
		put(o, 'x');
		put_num(o, sp, (uintptr_t)va_arg(*ap, void *), 16, 0, 0);
		break;
	case 's':
		put_str(o, sp, va_arg(*ap, const char *));
		break;
	case 'c':
		put(o, (char)va_arg(*ap, int));
		break;
	default:
		put(o, '%');
		put(o, c);
		break;
	}
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };
	struct spec sp;
	va_list aq;

	va_copy(aq, ap);
	while (*fmt) {
		if (*fmt != '%') {
			put(&o, *fmt++);
			continue;
		}
		fmt = parse_spec(fmt + 1, &sp, &aq);
		if (!*fmt)
			break;
		if (*fmt == '%')
			put(&o, '%');
		else
			convert(&o, *fmt, &sp, &aq);
		fmt++;
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
