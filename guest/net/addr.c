/*
 * Address text: dotted quads with an optional prefix, MACs (minios/net.h).
 */
#include <xen/public/errno.h>

#include <minios/lib.h>
#include <minios/net.h>

/* A decimal number <= max at *s (at most 3 digits), followed by stop
 * or, if end_ok, by the end of the string; advances *s to that char. */
static int number(const char **s, unsigned max, char stop, int end_ok, unsigned *out)
{
	unsigned v = 0, digits = 0;
	const char *p = *s;

	while (*p >= '0' && *p <= '9' && digits < 3) {
		v = v * 10 + (unsigned)(*p++ - '0');
		digits++;
	}
	if (!digits || v > max || !((stop && *p == stop) || (end_ok && *p == '\0')))
		return -XEN_EINVAL;
	*s = p;
	*out = v;
	return 0;
}

/* "A.B.C.D" at *s, which is left at the char after D ('/' or the end). */
static int quad(const char **s, uint32_t *ip)
{
	uint32_t v = 0;

	for (int i = 0; i < 4; i++) {
		unsigned b;

		if (number(s, 255, i < 3 ? '.' : '/', i == 3, &b) < 0)
			return -XEN_EINVAL;
		v = v << 8 | b;
		if (i < 3)
			(*s)++; /* the '.' */
	}
	*ip = v;
	return 0;
}

int net_parse_ip(const char *s, uint32_t *ip)
{
	return quad(&s, ip) < 0 || *s ? -XEN_EINVAL : 0;
}

int net_parse_cidr(const char *s, uint32_t *ip, unsigned *prefix)
{
	unsigned p = 24;

	if (quad(&s, ip) < 0)
		return -XEN_EINVAL;
	if (*s == '/') {
		s++;
		if (number(&s, 32, 0, 1, &p) < 0 || p == 0)
			return -XEN_EINVAL;
	}
	*prefix = p;
	return *s ? -XEN_EINVAL : 0;
}

void net_format_ip(uint32_t ip, char *buf, unsigned len)
{
	snprintf(buf, len, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255);
}

void net_format_mac(const uint8_t m[6], char *buf, unsigned len)
{
	snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}
