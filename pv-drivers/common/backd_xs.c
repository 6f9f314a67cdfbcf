/*
 * Writes into a backend directory B, only while B exists, in one
 * transaction: the toolstack may remove B (destroy, block-detach,
 * network-detach) between a backend's read of it and its write, and a
 * plain write would re-create B/key, a backend directory nobody removes
 * again (with the device, and for a vif its TAP, behind it). B/frontend
 * is the toolstack's key every complete B has (the device table reads it
 * first), so reading it inside the transaction makes the write not
 * happen, or the commit fail and be retried, once B is gone.
 */
#include <stdio.h>
#include <stdlib.h>

#include <pvx/backd.h>
#include <pvx/xs.h>

struct be_write {
	const char *be;
	const struct backd_kv *kv;
	size_t n;
};

static int be_write_fn(struct xs_handle *h, xs_transaction_t t, void *arg)
{
	const struct be_write *w = arg;
	char path[200], *val = NULL;
	int rc;

	snprintf(path, sizeof(path), "%s/frontend", w->be);
	rc = xs_read(h, t, path, &val, NULL);
	free(val);
	for (size_t i = 0; i < w->n && rc == 0; i++) {
		snprintf(path, sizeof(path), "%s/%s", w->be, w->kv[i].key);
		rc = xs_write_str(h, t, path, w->kv[i].val);
	}
	return rc; /* -ENOENT: B is gone, nothing written */
}

int backd_be_write(struct xs_handle *xs, const char *be, const struct backd_kv *kv,
		   size_t n)
{
	struct be_write w = { be, kv, n };

	return xs_transaction_run(xs, be_write_fn, &w, 0);
}
