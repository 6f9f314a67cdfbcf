/*
 * Wire-level helpers: the error-name table, splitting a payload into its
 * NUL-separated arguments, number parsing, and path validation.
 *
 * Paths (reference §3.1): absolute ones start with '/', relative ones are
 * under /local/domain/<domid> of the caller; characters are [A-Za-z0-9]
 * and "-/_@"; no empty component ("//"), no trailing '/' except the root;
 * at most XENSTORE_ABS_PATH_MAX / XENSTORE_REL_PATH_MAX bytes including
 * the NUL. Anything outside 7-bit ASCII (so any UTF-8 sequence) is
 * invalid. '@' paths name special watch nodes and are accepted only where
 * the caller says so.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "xs_core.h"

const char *xs_errname(int negerr)
{
	size_t i;

	for (i = 0; i < XSD_ERRORS_COUNT; i++)
		if (xsd_errors[i].errnum == -negerr)
			return xsd_errors[i].errstring;
	/* Only names from the table ever go on the wire. */
	return xsd_errors[0].errstring;
}

int xs_split_args(char *payload, uint32_t len, const char **argv,
		  unsigned max, unsigned *argc)
{
	uint32_t i, start = 0;
	unsigned n = 0;

	for (i = 0; i < len; i++) {
		if (payload[i] != '\0')
			continue;
		if (n == max)
			return -EINVAL;
		argv[n++] = payload + start;
		start = i + 1;
	}
	/* Bytes after the last NUL (WRITE's value): one more argument, which
	 * the caller reads with its length; payload[len] is a NUL we added. */
	if (start < len) {
		if (n == max)
			return -EINVAL;
		argv[n++] = payload + start;
	}
	*argc = n;
	return 0;
}

int xs_parse_uint(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		if (v > (max - (uint64_t)(*s - '0')) / 10)
			return -EINVAL;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	return 0;
}

bool xs_path_is_special(const char *p)
{
	return p[0] == '@';
}

unsigned xs_path_depth(const char *p)
{
	unsigned d = xs_path_is_special(p) ? 1 : 0;

	if (p[0] == '/' && p[1] == '\0')
		return 0;
	for (; *p; p++)
		d += *p == '/';
	return d;
}

static bool valid_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || ch == '-' || ch == '/' ||
	       ch == '_' || ch == '@';
}

static int check_chars(const char *p)
{
	const char *s;

	for (s = p; *s; s++) {
		if (!valid_char(*s))
			return -EINVAL;
		if (*s == '/' && (s[1] == '/' || (s[1] == '\0' && s != p)))
			return -EINVAL;
	}
	return 0;
}

int xs_path_canon(const struct xs_conn *c, const char *in, char *out,
		  size_t cap, bool allow_special)
{
	size_t len = strnlen(in, XENSTORE_ABS_PATH_MAX);
	int n;

	if (len == 0 || len >= XENSTORE_ABS_PATH_MAX || check_chars(in))
		return -EINVAL;
	if (xs_path_is_special(in)) {
		if (!allow_special)
			return -EINVAL;
	} else if (in[0] != '/') {
		if (len >= XENSTORE_REL_PATH_MAX)
			return -EINVAL;
		n = snprintf(out, cap, "/local/domain/%u/%s", c->domid, in);
		if (n < 0 || (size_t)n >= cap || n >= XENSTORE_ABS_PATH_MAX)
			return -EINVAL;
		return 0;
	}
	if (len >= cap)
		return -EINVAL;
	memcpy(out, in, len + 1);
	return 0;
}
