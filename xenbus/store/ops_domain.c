/*
 * Handlers for the toolstack's domain requests: INTRODUCE, RELEASE,
 * RESUME, IS_DOMAIN_INTRODUCED, GET_DOMAIN_PATH, SET_TARGET, CONTROL.
 *
 * INTRODUCE maps the domain's store page and binds its event channel
 * (ring.h) and fires @introduceDomain. Introducing a domain again with the
 * same page and port is accepted (a restarted toolstack may do so); with
 * different ones it is EEXIST. RELEASE ends the domain's connection, and
 * with it its watches and transactions, and fires @releaseDomain; the
 * domain's subtree stays until the toolstack removes it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ops.h"
#include "ring.h"

int xs_domain_introduce(struct xs_store *st, uint32_t domid, uint64_t gfn,
			uint32_t port)
{
	struct xs_domain *d;
	int rc;

	if (domid == 0)
		return -EINVAL;
	d = domain_get(st, domid, true);
	if (!d)
		return -ENOMEM;
	if (d->introduced)
		return d->gfn == gfn && d->port == port ? 0 : -EEXIST;
	d->gfn = gfn;
	d->port = port;
	d->introduced = true;
	rc = ring_conn_open(st, d);
	if (rc) {
		d->introduced = false;
		domain_put(st, d);
		pvx_log_err("domain %u: introduce failed: %s", domid,
		       strerror(-rc));
		return rc == -ENOMEM ? rc : -EINVAL;
	}
	pvx_log_info("domain %u introduced (gfn %#llx, port %u)", domid,
	       (unsigned long long)gfn, port);
	tree_domain_changed(st, domid);
	watch_fire_special(st, "@introduceDomain", domid);
	return 0;
}

void xs_domain_release(struct xs_store *st, struct xs_domain *d)
{
	uint32_t domid = d->domid;

	if (d->conn)
		xs_conn_destroy(d->conn);
	d->conn = NULL;
	d->introduced = false;
	d->target = UINT32_MAX;
	pvx_log_info("domain %u released", domid);
	domain_put(st, d);
	tree_domain_changed(st, domid);
	watch_fire_special(st, "@releaseDomain", domid);
}

int op_introduce(struct xs_req *r)
{
	uint64_t gfn, port;
	uint32_t domid;
	int rc;

	if (xs_req_domid(r, 0, &domid) ||
	    xs_parse_uint(r->argv[1], UINT64_MAX, &gfn) ||
	    xs_parse_uint(r->argv[2], UINT32_MAX, &port))
		return -EINVAL;
	rc = xs_domain_introduce(r->c->st, domid, gfn, (uint32_t)port);
	return rc ? rc : xs_rsp_ok(r);
}

static struct xs_domain *introduced(struct xs_req *r, uint32_t *domid, int *rc)
{
	struct xs_domain *d;

	*rc = xs_req_domid(r, 0, domid);
	if (*rc)
		return NULL;
	d = domain_get(r->c->st, *domid, false);
	if (!d || !d->introduced) {
		*rc = -ENOENT;
		return NULL;
	}
	return d;
}

int op_release(struct xs_req *r)
{
	struct xs_domain *d;
	uint32_t domid;
	int rc;

	d = introduced(r, &domid, &rc);
	if (!d)
		return rc;
	xs_domain_release(r->c->st, d);
	return xs_rsp_ok(r);
}

int op_resume(struct xs_req *r)
{
	uint32_t domid;
	int rc;

	/* Nothing is latched per domain here, so re-arming is a check. */
	if (!introduced(r, &domid, &rc))
		return rc;
	return xs_rsp_ok(r);
}

int op_is_domain_introduced(struct xs_req *r)
{
	struct xs_domain *d;
	uint32_t domid;

	if (xs_req_domid(r, 0, &domid))
		return -EINVAL;
	d = domain_get(r->c->st, domid, false);
	/* Dom0 is always there (C xenstored answers T for it too). */
	return xs_rsp_str(r, domid == 0 || (d && d->introduced) ? "T" : "F");
}

int op_get_domain_path(struct xs_req *r)
{
	char path[32];
	uint32_t domid;

	if (xs_req_domid(r, 0, &domid))
		return -EINVAL;
	snprintf(path, sizeof(path), "/local/domain/%u", domid);
	return xs_rsp_str(r, path);
}

int op_set_target(struct xs_req *r)
{
	struct xs_domain *d;
	uint32_t domid, target;

	if (xs_req_domid(r, 0, &domid) || xs_req_domid(r, 1, &target))
		return -EINVAL;
	d = domain_get(r->c->st, domid, false);
	if (!d || !d->introduced)
		return -ENOENT;
	d->target = target;
	tree_domain_changed(r->c->st, domid);
	return xs_rsp_ok(r);
}
