/*
 * pvx-blkback's reads and writes of keys in a backend directory B.
 * Writes go into B only while B exists, as pvx-netback's do
 * (backd_be_write: pv-drivers/common/backd_xs.c says why).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "daemon.h"

int bb_xs_read_int(struct blkbackd *d, const char *dir, const char *key, long long *out)
{
	char path[200], *val = NULL, *end;
	long long n;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", dir, key);
	rc = xs_read(d->xs, XBT_NULL, path, &val, NULL);
	if (rc < 0)
		return rc;
	n = strtoll(val, &end, 10);
	rc = (*val && !*end) ? 0 : -EINVAL;
	if (!rc)
		*out = n;
	free(val);
	return rc;
}

int bb_xs_printf(struct blkbackd *d, const char *dir, const char *key, const char *fmt, ...)
{
	struct backd_kv kv = { key, { 0 } };
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(kv.val, sizeof(kv.val), fmt, ap);
	va_end(ap);
	return backd_be_write(d->xs, dir, &kv, 1);
}
