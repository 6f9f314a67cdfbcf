/*
 * Handlers for the node requests: READ, WRITE, MKDIR, RM, DIRECTORY,
 * DIRECTORY_PART, GET_PERMS, SET_PERMS. Each canonicalises its path
 * (relative paths are under the caller's /local/domain/<domid>), then
 * goes through store.c for permissions, quotas and watches.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops.h"
#include "store.h"

int op_read(struct xs_req *r)
{
	char path[XENSTORE_ABS_PATH_MAX];
	struct xs_nstate s;
	int rc;

	if ((rc = xs_req_path(r, 0, path, false)))
		return rc;
	if ((rc = txn_note_access(r->t, r->c)))
		return rc;
	if ((rc = store_access(r->c, r->t, path, XS_PERM_READ, &s, true)))
		return rc;
	if (s.len > sizeof(r->rsp))
		return -E2BIG;
	memcpy(r->rsp, s.value, s.len);
	r->rsp_len = s.len;
	return 0;
}

int op_write(struct xs_req *r)
{
	char path[XENSTORE_ABS_PATH_MAX];
	size_t plen = strlen(r->payload);
	int rc;

	/* "path\0value": the value is raw bytes, possibly empty. */
	if (plen >= r->len)
		return -EINVAL;
	if ((rc = xs_req_path(r, 0, path, false)))
		return rc;
	rc = store_ensure(r->c, r->t, path, r->payload + plen + 1,
			  r->len - plen - 1, true);
	return rc ? rc : xs_rsp_ok(r);
}

int op_mkdir(struct xs_req *r)
{
	char path[XENSTORE_ABS_PATH_MAX];
	int rc;

	if ((rc = xs_req_path(r, 0, path, false)))
		return rc;
	rc = store_ensure(r->c, r->t, path, NULL, 0, false);
	return rc ? rc : xs_rsp_ok(r);
}

int op_rm(struct xs_req *r)
{
	char path[XENSTORE_ABS_PATH_MAX];
	int rc;

	if ((rc = xs_req_path(r, 0, path, false)))
		return rc;
	rc = store_rm(r->c, r->t, path);
	return rc ? rc : xs_rsp_ok(r);
}

static int add_kid(const char *name, void *arg)
{
	return xs_rsp_str(arg, name);
}

int op_directory(struct xs_req *r)
{
	char path[XENSTORE_ABS_PATH_MAX];
	struct xs_nstate s;
	int rc;

	if ((rc = xs_req_path(r, 0, path, false)))
		return rc;
	if ((rc = txn_note_access(r->t, r->c)))
		return rc;
	if ((rc = store_access(r->c, r->t, path, XS_PERM_READ, &s, true)))
		return rc;
	return view_kids(r->c->st, r->t, path, add_kid, r);
}

struct part {
	char *buf;
	size_t len, cap;
};

static int gather(const char *name, void *arg)
{
	struct part *p = arg;
	size_t n = strlen(name) + 1;

	if (p->len + n > p->cap) {
		size_t cap = (p->cap ? p->cap * 2 : 4096) + n;
		char *b = realloc(p->buf, cap);

		if (!b)
			return -ENOMEM;
		p->buf = b;
		p->cap = cap;
	}
	memcpy(p->buf + p->len, name, n);
	p->len += n;
	return 0;
}

/* "path\0offset\0" -> "gen\0" + the child names from byte offset of the
 * full list, whole names only; a final extra "\0" marks the end. */
int op_directory_part(struct xs_req *r)
{
	char path[XENSTORE_ABS_PATH_MAX], gen[24];
	struct part p = { 0 };
	struct xs_nstate s;
	uint64_t off;
	size_t at, n;
	int rc;

	if ((rc = xs_req_path(r, 0, path, false)) ||
	    xs_parse_uint(r->argv[1], UINT32_MAX, &off))
		return rc ? rc : -EINVAL;
	if ((rc = store_access(r->c, r->t, path, XS_PERM_READ, &s, true)))
		return rc;
	if ((rc = view_kids(r->c->st, r->t, path, gather, &p)))
		goto out;
	rc = -EINVAL;
	if (off > p.len || (off && p.buf[off - 1] != '\0'))
		goto out;
	snprintf(gen, sizeof(gen), "%llu", (unsigned long long)s.gen);
	xs_rsp_str(r, gen);
	for (at = off; at < p.len; at += n) {
		n = strlen(p.buf + at) + 1;
		if (r->rsp_len + n + 1 > sizeof(r->rsp))
			break;
		memcpy(r->rsp + r->rsp_len, p.buf + at, n);
		r->rsp_len += n;
	}
	if (at >= p.len)
		r->rsp[r->rsp_len++] = '\0';
	rc = 0;
out:
	free(p.buf);
	return rc;
}

static int special_index(const char *path)
{
	if (strcmp(path, "@introduceDomain") == 0)
		return 0;
	if (strcmp(path, "@releaseDomain") == 0)
		return 1;
	return -1;
}

int op_get_perms(struct xs_req *r)
{
	char path[XENSTORE_ABS_PATH_MAX];
	const struct xs_perm *p;
	struct xs_nstate s;
	uint32_t n;
	int rc, i;

	if ((rc = xs_req_path(r, 0, path, true)))
		return rc;
	if (xs_path_is_special(path)) {
		if ((i = special_index(path)) < 0)
			return -ENOENT;
		p = r->c->st->special_perms[i];
		n = r->c->st->special_nperms[i];
		if (!(perms_for(r->c, p, n) & XS_PERM_READ))
			return -EACCES;
	} else {
		if ((rc = store_access(r->c, r->t, path, XS_PERM_READ, &s, true)))
			return rc;
		p = s.perms;
		n = s.nperms;
	}
	rc = perms_format(p, n, r->rsp, sizeof(r->rsp));
	if (rc < 0)
		return rc;
	r->rsp_len = rc;
	return 0;
}

static int set_special(struct xs_req *r, const char *path,
		       const struct xs_perm *perms, unsigned n)
{
	struct xs_store *st = r->c->st;
	int i = special_index(path);

	if (i < 0)
		return -ENOENT;
	if (!r->c->privileged)
		return -EACCES;
	if (n > sizeof(st->special_perms[0]) / sizeof(st->special_perms[0][0]))
		return -ENOSPC;
	memcpy(st->special_perms[i], perms, n * sizeof(*perms));
	st->special_nperms[i] = n;
	tree_changed(st);
	return xs_rsp_ok(r);
}

int op_set_perms(struct xs_req *r)
{
	char path[XENSTORE_ABS_PATH_MAX];
	struct xs_perm *perms;
	unsigned n = r->argc - 1;
	int rc;

	if ((rc = xs_req_path(r, 0, path, true)))
		return rc;
	perms = malloc(n * sizeof(*perms));
	if (!perms)
		return -ENOMEM;
	rc = perms_parse(r->argv + 1, n, perms);
	if (!rc && xs_path_is_special(path))
		rc = set_special(r, path, perms, n);
	else if (!rc && !(rc = store_set_perms(r->c, r->t, path, perms, n)))
		rc = xs_rsp_ok(r);
	free(perms);
	return rc;
}
