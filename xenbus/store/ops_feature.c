/*
 * XS_GET_FEATURE / XS_SET_FEATURE and XS_GET_QUOTA / XS_SET_QUOTA (Xen
 * 4.18+ xenstore.txt). Newer guests and tools probe them; answering
 * instead of ENOSYS keeps them on their normal path.
 *
 *  - GET_FEATURE [domid]: the server's features (the ring's
 *    server_features bits: RECONNECTION | ERROR) in decimal. A domain
 *    gets the same set (pvxstored keeps no per-domain subset); naming a
 *    domain is Dom0's (EACCES for guests), an unknown one ENOENT.
 *  - SET_FEATURE domid value (Dom0): only the full set is accepted
 *    (EINVAL otherwise), since a per-domain subset is not kept.
 *  - GET_QUOTA: no argument lists the quota names, blank-separated;
 *    "name" gives the value guests get, "domid name" (Dom0) the value
 *    binding that domain (Dom0's own set for domid 0). "none" = no limit.
 *  - SET_QUOTA [domid] name value (Dom0): without domid sets the guests'
 *    value, with domid 0 Dom0's; other domids EINVAL (no per-domain
 *    quota). Values as pvxstored's -q option: N >= 1 or "none".
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "ops.h"

#define XS_FEATURES (XENSTORE_SERVER_FEATURE_RECONNECTION | \
		     XENSTORE_SERVER_FEATURE_ERROR)

static int rsp_uint(struct xs_req *r, unsigned long long v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%llu", v);
	return xs_rsp_str(r, buf);
}

/* A domain argument: Dom0 only; it must exist (0 always does). */
static int domain_arg(struct xs_req *r, unsigned i, uint32_t *domid)
{
	struct xs_domain *d;

	if (!r->c->privileged)
		return -EACCES;
	if (xs_req_domid(r, i, domid))
		return -EINVAL;
	d = domain_get(r->c->st, *domid, false);
	return *domid == 0 || (d && d->introduced) ? 0 : -ENOENT;
}

int op_get_feature(struct xs_req *r)
{
	uint32_t domid;
	int rc;

	if (r->argc > 0 && r->argv[0][0]) {
		rc = domain_arg(r, 0, &domid);
		if (rc)
			return rc;
	}
	return rsp_uint(r, XS_FEATURES);
}

int op_set_feature(struct xs_req *r)
{
	uint32_t domid;
	uint64_t v;
	int rc = domain_arg(r, 0, &domid);

	if (rc)
		return rc;
	if (xs_parse_uint(r->argv[1], UINT_MAX, &v) || v != XS_FEATURES)
		return -EINVAL;
	return xs_rsp_ok(r);
}

/* "name value\n" lines of the set -> the value of one name. */
static int quota_value(const struct xs_quota *q, const char *name,
		       char *out, size_t cap)
{
	char buf[512], *line, *save = NULL;
	size_t n = strlen(name);

	if (xs_quota_format(q, "", buf, sizeof(buf)) >= (int)sizeof(buf))
		return -E2BIG;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, name, n) == 0 && line[n] == ' ') {
			snprintf(out, cap, "%s", line + n + 1);
			return 0;
		}
	}
	return -EINVAL;
}

static int quota_names(struct xs_req *r)
{
	char buf[512], out[512], *line, *save = NULL;
	size_t n = 0;

	if (xs_quota_format(&r->c->st->quota, "", buf, sizeof(buf)) >= (int)sizeof(buf))
		return -E2BIG;
	out[0] = '\0';
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *sp = strchr(line, ' ');

		if (sp)
			*sp = '\0';
		n += (size_t)snprintf(out + n, sizeof(out) - n, "%s%s",
				      n ? " " : "", line);
		if (n >= sizeof(out))
			return -E2BIG;
	}
	return xs_rsp_str(r, out);
}

int op_get_quota(struct xs_req *r)
{
	const struct xs_quota *q = &r->c->st->quota;
	const char *name;
	char val[24];
	uint32_t domid;
	int rc;

	if (r->argc == 0 || !r->argv[0][0])
		return quota_names(r);
	name = r->argv[0];
	if (r->argc > 1 && r->argv[1][0]) {
		rc = domain_arg(r, 0, &domid);
		if (rc)
			return rc;
		name = r->argv[1];
		if (domid == 0)
			q = &r->c->st->dom0_quota;
	}
	rc = quota_value(q, name, val, sizeof(val));
	return rc ? rc : xs_rsp_str(r, val);
}

int op_set_quota(struct xs_req *r)
{
	struct xs_quota *q = &r->c->st->quota, tmp;
	const char *name = r->argv[0], *value = r->argv[1];
	char arg[96];
	uint32_t domid;
	int rc;

	if (r->argc > 2 && r->argv[2][0]) {
		rc = domain_arg(r, 0, &domid);
		if (rc)
			return rc;
		if (domid != 0)
			return -EINVAL; /* no per-domain quota */
		q = &r->c->st->dom0_quota;
		name = r->argv[1];
		value = r->argv[2];
	}
	if ((size_t)snprintf(arg, sizeof(arg), "%s=%s", name, value) >= sizeof(arg))
		return -EINVAL;
	tmp = *q;
	rc = xs_quota_parse(&tmp, arg);
	if (rc)
		return -EINVAL;
	*q = tmp;
	return xs_rsp_ok(r);
}
