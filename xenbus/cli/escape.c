/*
 * Value quoting shared by `ls`, `read` and `write`, compatible with Xen's
 * xenstore tools: what `read` prints, `write` accepts back.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

char *xs_cli_sanitise(const char *val, size_t len)
{
	char *out = malloc(len * 4 + 1), *o = out;
	size_t i;

	if (!out)
		return NULL;
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)val[i];

		if (ch == '\\') {
			*o++ = '\\';
			*o++ = '\\';
		} else if (ch >= ' ' && ch <= '~') {
			*o++ = (char)ch;
		} else if (ch == '\t' || ch == '\n' || ch == '\r') {
			*o++ = '\\';
			*o++ = ch == '\t' ? 't' : ch == '\n' ? 'n' : 'r';
		} else {
			*o++ = '\\';
			*o++ = (char)('0' + (ch >> 6));
			*o++ = (char)('0' + ((ch >> 3) & 7));
			*o++ = (char)('0' + (ch & 7));
		}
	}
	*o = '\0';
	return out;
}

size_t xs_cli_unsanitise(const char *in, char *out)
{
	static const char esc[] = "t\tn\nr\ra\ab\bf\fv\v\\\\";
	char *o = out;
	const char *e;
	int k, v;

	while (*in) {
		if (*in != '\\' || !in[1]) {
			*o++ = *in++;
			continue;
		}
		in++;
		for (e = esc; *e && *e != *in; e += 2)
			;
		if (*e) {
			*o++ = e[1];
			in++;
			continue;
		}
		for (k = 0, v = 0; k < 3 && in[k] >= '0' && in[k] <= '7'; k++)
			v = v * 8 + (in[k] - '0');
		if (k) {
			*o++ = (char)v;
			in += k;
		} else {
			*o++ = *in++;
		}
	}
	*o = '\0';
	return (size_t)(o - out);
}
