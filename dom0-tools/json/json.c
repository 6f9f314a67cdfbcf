/*
 * The few JSON helpers jansson leaves to us (pvx/json.h). jansson
 * refuses a string that is not valid UTF-8 (json_string returns NULL),
 * but config values, domain names and xenstore values are bytes: a
 * writer must still print the rest, so bad bytes become U+FFFD, the
 * replacement Unicode and Python's errors="replace" use.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <pvx/json.h>

/* Length of the well-formed UTF-8 sequence at p, or 0. */
static size_t utf8_len(const unsigned char *p)
{
	unsigned char c = p[0];
	size_t n;
	unsigned char lo = 0x80, hi = 0xbf;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4;
	else
		return 0; /* continuation byte, overlong lead, or > U+10FFFF */
	if (c == 0xe0)
		lo = 0xa0; /* overlong */
	else if (c == 0xed)
		hi = 0x9f; /* surrogates */
	else if (c == 0xf0)
		lo = 0x90; /* overlong */
	else if (c == 0xf4)
		hi = 0x8f; /* above U+10FFFF */
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return n;
}

void pvx_json_utf8_fix(const char *s, char *out)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		size_t n = utf8_len(p);

		if (n) {
			memcpy(out, p, n);
			out += n;
			p += n;
		} else {
			memcpy(out, "\xef\xbf\xbd", 3); /* U+FFFD */
			out += 3;
			p++;
		}
	}
	*out = '\0';
}

json_t *pvx_json_string(const char *s)
{
	json_t *j;
	char *fixed;

	if (!s)
		return json_null();
	j = json_string(s);
	if (j)
		return j;
	fixed = malloc(strlen(s) * 3 + 1);
	if (!fixed)
		return NULL;
	pvx_json_utf8_fix(s, fixed);
	j = json_string(fixed);
	free(fixed);
	return j;
}

json_t *pvx_json_u64(uint64_t v)
{
	return v <= INT64_MAX ? json_integer((json_int_t)v) : json_real((double)v);
}

json_t *pvx_json_fixed(double v, int decimals)
{
	double scale = 1;

	if (!isfinite(v))
		return json_null();
	for (int i = 0; i < decimals && i < 9; i++)
		scale *= 10;
	return json_real(round(v * scale) / scale);
}

int pvx_json_set(json_t *obj, const char *key, json_t *val)
{
	return val ? json_object_set_new(obj, key, val) : -1;
}

int pvx_json_dump(FILE *f, json_t *doc, size_t flags, int nl)
{
	int rc;

	if (!doc)
		return -ENOMEM;
	rc = json_dumpf(doc, f, flags) < 0 ? -EIO : 0;
	json_decref(doc);
	if (rc == 0 && nl && fputc('\n', f) == EOF)
		rc = -EIO;
	return rc;
}
