/*
 * Request dispatch: one designated-initializer table indexed by message
 * type, with each entry's policy (minimum arguments, privileged only,
 * meaningful inside a transaction, raw payload). xs_dispatch() does the
 * checks every handler would otherwise repeat, then answers: the handler's
 * payload with the request's type, or XS_ERROR with an error name from
 * the standard table.
 *
 * Payload rules: arguments are NUL-terminated strings, so a payload that
 * does not end in NUL is EINVAL, except WRITE's (its value is raw bytes)
 * and an empty payload for requests without arguments. A tx_id that names
 * no open transaction of this connection is ENOENT. Request ids are
 * echoed, never interpreted: clients may reuse them (Linux does), and
 * replies go out in request order.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ops.h"
#include "persist.h"

#define OP_PRIV 0x1 /* dom0 only */
#define OP_TXN  0x2 /* runs inside tx_id's transaction */
#define OP_RAW  0x4 /* payload need not end in NUL */

struct xs_op {
	int (*fn)(struct xs_req *r);
	uint8_t min_args;
	uint8_t flags;
};

static const struct xs_op op_table[XS_TYPE_COUNT] = {
	[XS_CONTROL]              = { op_control, 1, OP_PRIV },
	[XS_DIRECTORY]            = { op_directory, 1, OP_TXN },
	[XS_READ]                 = { op_read, 1, OP_TXN },
	[XS_GET_PERMS]            = { op_get_perms, 1, OP_TXN },
	[XS_WATCH]                = { op_watch, 2, 0 },
	[XS_UNWATCH]              = { op_unwatch, 2, 0 },
	[XS_TRANSACTION_START]    = { op_transaction_start, 0, 0 },
	[XS_TRANSACTION_END]      = { op_transaction_end, 1, OP_TXN },
	[XS_INTRODUCE]            = { op_introduce, 3, OP_PRIV },
	[XS_RELEASE]              = { op_release, 1, OP_PRIV },
	[XS_GET_DOMAIN_PATH]      = { op_get_domain_path, 1, 0 },
	[XS_WRITE]                = { op_write, 1, OP_TXN | OP_RAW },
	[XS_MKDIR]                = { op_mkdir, 1, OP_TXN },
	[XS_RM]                   = { op_rm, 1, OP_TXN },
	[XS_SET_PERMS]            = { op_set_perms, 2, OP_TXN },
	[XS_IS_DOMAIN_INTRODUCED] = { op_is_domain_introduced, 1, 0 },
	[XS_RESUME]               = { op_resume, 1, OP_PRIV },
	[XS_SET_TARGET]           = { op_set_target, 2, OP_PRIV },
	[XS_RESET_WATCHES]        = { op_reset_watches, 0, 0 },
	[XS_DIRECTORY_PART]       = { op_directory_part, 2, OP_TXN },
	[XS_GET_FEATURE]          = { op_get_feature, 0, 0 },
	[XS_SET_FEATURE]          = { op_set_feature, 2, OP_PRIV },
	[XS_GET_QUOTA]            = { op_get_quota, 0, 0 },
	[XS_SET_QUOTA]            = { op_set_quota, 2, OP_PRIV },
};

bool xs_req_fire_initial;

int xs_rsp_str(struct xs_req *r, const char *s)
{
	size_t n = strlen(s) + 1;

	if (r->rsp_len + n > sizeof(r->rsp))
		return -E2BIG;
	memcpy(r->rsp + r->rsp_len, s, n);
	r->rsp_len += n;
	return 0;
}

int xs_rsp_ok(struct xs_req *r)
{
	return xs_rsp_str(r, "OK");
}

int xs_req_path(struct xs_req *r, unsigned i, char *out, bool special)
{
	return xs_path_canon(r->c, r->argv[i], out, XENSTORE_ABS_PATH_MAX, special);
}

int xs_req_domid(struct xs_req *r, unsigned i, uint32_t *domid)
{
	uint64_t v;

	/* DOMID_FIRST_RESERVED (0x7FF0) and above are not domains. */
	if (xs_parse_uint(r->argv[i], 0x7FEF, &v))
		return -EINVAL;
	*domid = (uint32_t)v;
	return 0;
}

static int prepare(struct xs_req *r, const struct xs_op *op)
{
	const struct xsd_sockmsg *h = r->hdr;
	int rc;

	if (!op->fn)
		return h->type == XS_WATCH_EVENT || h->type == XS_ERROR ?
		       -EINVAL : -ENOSYS;
	if ((op->flags & OP_PRIV) && !r->c->privileged)
		return -EACCES;
	if (!(op->flags & OP_RAW) && h->len && r->payload[h->len - 1] != '\0')
		return -EINVAL;
	rc = xs_split_args(r->payload, h->len, r->argv,
			   sizeof(r->argv) / sizeof(r->argv[0]), &r->argc);
	if (rc)
		return rc;
	if (r->argc < op->min_args)
		return -EINVAL;
	if ((op->flags & OP_TXN) && h->tx_id) {
		r->t = txn_find(r->c, h->tx_id);
		if (!r->t)
			return -ENOENT;
	}
	return 0;
}

void xs_dispatch(struct xs_conn *c, const struct xsd_sockmsg *hdr, char *payload)
{
	/* Big (argv and a full reply) and never re-entered: one instance. */
	static struct xs_req r;
	static const struct xs_op none; /* unknown types: ENOSYS */
	const struct xs_op *op = hdr->type < XS_TYPE_COUNT ? &op_table[hdr->type]
							   : &none;
	const char *name;
	int rc;

	memset(&r, 0, offsetof(struct xs_req, argv));
	r.c = c;
	r.hdr = hdr;
	r.payload = payload;
	r.len = hdr->len;
	r.rsp_len = 0;
	xs_req_fire_initial = false;
	rc = prepare(&r, op);
	c->st->in_request = true;
	if (!rc)
		rc = op->fn(&r);
	c->st->in_request = false;
	/* The request's changes reach the journal before its reply leaves:
	 * xs_conn_flush writes them first; requests answered in one pass
	 * (a ring's) share one journal write. */
	persist_request_done(c->st);
	if (rc < 0) {
		name = xs_errname(rc);
		xs_conn_reply(c, XS_ERROR, hdr, name, strlen(name) + 1);
		return;
	}
	xs_conn_reply(c, hdr->type, hdr, r.rsp, r.rsp_len);
	if (xs_req_fire_initial)
		xs_conn_event(c, r.argv[0], r.argv[1]);
}
