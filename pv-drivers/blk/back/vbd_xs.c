/*
 * pvx-blkback's reads and writes of keys in a backend directory B.
 *
 * Writes go into B only while B exists, in one transaction: the toolstack
 * may remove B (destroy, block-detach) between our read of it and our
 * write, and a plain write would re-create B/key, a backend directory
 * nobody removes again. B/frontend is the toolstack's key that every
 * complete B has (vbd_table.c reads it first), so reading it inside the
 * transaction makes the commit fail, or the write not happen, once B is
 * gone. pvx-netback does the same (net/back/vif.c, nb_be_write).
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

struct be_write {
	const char *be, *key, *val;
};

static int be_write_fn(struct xs_handle *h, xs_transaction_t t, void *arg)
{
	const struct be_write *w = arg;
	char path[200], *val = NULL;
	int rc;

	snprintf(path, sizeof(path), "%s/frontend", w->be);
	rc = xs_read(h, t, path, &val, NULL);
	free(val);
	if (rc < 0)
		return rc; /* B is gone (-ENOENT): write nothing */
	snprintf(path, sizeof(path), "%s/%s", w->be, w->key);
	return xs_write_str(h, t, path, w->val);
}

int bb_xs_printf(struct blkbackd *d, const char *dir, const char *key, const char *fmt, ...)
{
	char val[64];
	struct be_write w = { dir, key, val };
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(val, sizeof(val), fmt, ap);
	va_end(ap);
	return xs_transaction_run(d->xs, be_write_fn, &w, 0);
}
