/*
 * JSON output through jansson (docs/decisions.md P22): every `--json`
 * writer builds a json_t and dumps it with the library, so strings are
 * escaped in one place. These helpers cover what jansson leaves to us:
 * bytes that are not UTF-8 (jansson refuses them; we replace each bad
 * byte with U+FFFD), unsigned 64-bit counters, figures rounded to a
 * fixed number of decimals, and not-a-number (JSON has none: null).
 */
#ifndef PVX_JSON_H
#define PVX_JSON_H

#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

/* Dump flags: two-space indent for documents, one line per object for
 * streams (pvx top). Keys keep their insertion order. */
#define PVX_JSON_PRETTY (JSON_INDENT(2) | JSON_REAL_PRECISION(15))
#define PVX_JSON_LINE JSON_REAL_PRECISION(15)

/* s as a JSON string (invalid UTF-8 bytes become U+FFFD); NULL: null.
 * Returns NULL only when out of memory. */
json_t *pvx_json_string(const char *s);
/* An integer; above INT64_MAX (jansson's limit) a real. */
json_t *pvx_json_u64(uint64_t v);
/* v rounded to decimals places (0..9); NaN or infinity: null. */
json_t *pvx_json_fixed(double v, int decimals);
/* json_object_set_new that also fails (-1) for a NULL value, so a
 * builder can OR the results and check once. */
int pvx_json_set(json_t *obj, const char *key, json_t *val);
/* Dumps doc (consumed: decref'd) to f with flags and a newline if nl;
 * 0, or -ENOMEM when doc is NULL, -EIO when writing failed. */
int pvx_json_dump(FILE *f, json_t *doc, size_t flags, int nl);

/* Copies s into out (cap >= 3 * strlen(s) + 1) with every byte that does
 * not start a well-formed UTF-8 sequence (RFC 3629: no overlongs, no
 * surrogates, nothing above U+10FFFF) replaced by U+FFFD. */
void pvx_json_utf8_fix(const char *s, char *out);

#endif
