/*
 * Handlers for WATCH, UNWATCH, RESET_WATCHES, TRANSACTION_START and
 * TRANSACTION_END.
 *
 * A watch fires once straight after its OK (clients rely on it to read
 * the initial state), with the path exactly as the client wrote it. A
 * relative watch path is stored absolute and reported relative.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ops.h"

int op_watch(struct xs_req *r)
{
	char path[XENSTORE_ABS_PATH_MAX];
	uint64_t depth;
	int rc;

	if ((rc = xs_req_path(r, 0, path, true)))
		return rc;
	if (r->argc > 2 && r->argv[2][0]) {
		if (xs_parse_uint(r->argv[2], 1024, &depth))
			return -EINVAL;
	} else {
		depth = (uint64_t)-1;
	}
	rc = watch_add(r->c, path, r->argv[1],
		       r->argv[0][0] != '/' && !xs_path_is_special(path),
		       depth == (uint64_t)-1 ? -1 : (int)depth);
	if (rc)
		return rc;
	xs_req_fire_initial = true;
	return xs_rsp_ok(r);
}

int op_unwatch(struct xs_req *r)
{
	char path[XENSTORE_ABS_PATH_MAX];
	int rc;

	if ((rc = xs_req_path(r, 0, path, true)))
		return rc;
	rc = watch_remove(r->c, path, r->argv[1]);
	return rc ? rc : xs_rsp_ok(r);
}

int op_reset_watches(struct xs_req *r)
{
	txn_end_all(r->c);
	watch_remove_all(r->c);
	return xs_rsp_ok(r);
}

int op_transaction_start(struct xs_req *r)
{
	char id[16];
	uint32_t txid;
	int rc;

	/* Nested transactions are refused, as in C xenstored. */
	if (r->hdr->tx_id)
		return -EBUSY;
	if ((rc = txn_start(r->c, &txid)))
		return rc;
	snprintf(id, sizeof(id), "%u", txid);
	return xs_rsp_str(r, id);
}

int op_transaction_end(struct xs_req *r)
{
	bool commit;
	int rc;

	if (strcmp(r->argv[0], "T") == 0)
		commit = true;
	else if (strcmp(r->argv[0], "F") == 0)
		commit = false;
	else
		return -EINVAL;
	if (!r->t)
		return -ENOENT;
	rc = txn_end(r->c, r->t, commit);
	r->t = NULL;
	return rc ? rc : xs_rsp_ok(r);
}
