/*
 * Diagnostics of the config parser: every error is one line
 *   FILE:LINE: MESSAGE near 'TOKEN'
 * written into the caller's buffer, and every warning one line
 *   FILE:LINE: MESSAGE
 * handed to the caller's callback, which knows it is a warning and says
 * so once, in its own prefix ("pvx: warning: t.cfg:3: unknown key ..."),
 * or printed to stderr as "warning: FILE:LINE: MESSAGE". The offending token is
 * shown with control and non-ASCII bytes escaped and long tokens cut, so
 * a garbage file can never make the message itself unreadable or long.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cfg.h"

#define SHOW_MAX 40

void cfg_show_token(const char *s, size_t n, char *buf, size_t cap)
{
	size_t o = 0;

	for (size_t i = 0; i < n && o + 8 < cap; i++) {
		unsigned char c = (unsigned char)s[i];

		if (i == SHOW_MAX) {
			o += (size_t)snprintf(buf + o, cap - o, "...");
			break;
		}
		if (c >= 0x20 && c < 0x7f)
			buf[o++] = (char)c;
		else if (c == '\n')
			o += (size_t)snprintf(buf + o, cap - o, "\\n");
		else
			o += (size_t)snprintf(buf + o, cap - o, "\\x%02x", c);
	}
	buf[o < cap ? o : cap - 1] = '\0';
}

static int verror(struct cfg_diag *d, const char *source, int line,
		  const char *token, size_t toklen, const char *fmt, va_list ap)
{
	char msg[256], tok[SHOW_MAX * 4 + 16];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	cfg_show_token(token ? token : "", token ? toklen : 0, tok, sizeof(tok));
	if (d->err && d->errlen)
		snprintf(d->err, d->errlen, "%s:%d: %s near '%s'",
			 source, line, msg, tok);
	return -EINVAL;
}

int cfg_error(struct cfg_diag *d, const char *source, int line,
	      const char *token, size_t toklen, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = verror(d, source, line, token, toklen, fmt, ap);
	va_end(ap);
	return rc;
}

/* An error about a value: its file and line, the token given. */
int cfg_verror(struct cfg_diag *d, const struct cfg_value *v,
	       const char *token, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = verror(d, v->source, v->line, token, token ? strlen(token) : 0,
		    fmt, ap);
	va_end(ap);
	return rc;
}

void cfg_warn(struct cfg_diag *d, const char *source, int line,
	      const char *fmt, ...)
{
	char msg[256], full[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(full, sizeof(full), "%s:%d: %s", source, line, msg);
	if (d->warn)
		d->warn(full, d->opaque);
	else
		fprintf(stderr, "warning: %s\n", full);
}
