/*
 * Request-level node operations (store.h): where permissions, quotas and
 * watch firing meet the views.
 *
 * Existence must not leak (reference §3.3): when a node is missing, the
 * answer is EACCES unless the caller may read its deepest existing
 * ancestor. Creation needs write access to that ancestor; the new nodes
 * inherit its permissions, and an unprivileged creator becomes their
 * owner so they count against its "nodes" quota (C xenstored's rule).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"

/* Truncates path to its parent in place; false at the root. */
static bool to_parent(char *path)
{
	char *slash = strrchr(path, '/');

	if (!slash || (slash == path && path[1] == '\0'))
		return false;
	if (slash == path)
		slash[1] = '\0';
	else
		*slash = '\0';
	return true;
}

/* The deepest existing ancestor of path (path itself excluded) into anc. */
static void deepest(struct xs_conn *c, struct xs_txn *t, const char *path,
		    char *anc, struct xs_nstate *s, unsigned *missing)
{
	strcpy(anc, path);
	*missing = 1;
	while (to_parent(anc)) {
		if (view_get(c->st, t, anc, s, false))
			return;
		(*missing)++;
	}
	/* The root always exists; we only get here for "/" itself. */
	view_get(c->st, t, "/", s, false);
}

int store_access(struct xs_conn *c, struct xs_txn *t, const char *path,
		 uint32_t want, struct xs_nstate *s, bool record)
{
	char anc[XENSTORE_ABS_PATH_MAX];
	struct xs_nstate as;
	unsigned missing;

	if (view_get(c->st, t, path, s, record))
		return (perms_for(c, s->perms, s->nperms) & want) == want ? 0 : -EACCES;
	deepest(c, t, path, anc, &as, &missing);
	return perms_for(c, as.perms, as.nperms) & XS_PERM_READ ? -ENOENT : -EACCES;
}

void store_fire(struct xs_conn *c, struct xs_txn *t, const char *path,
		const struct xs_perm *perms, uint32_t n, bool removal)
{
	if (t)
		txn_mark_fire(t, path, removal);
	else
		watch_fire(c->st, path, perms, n, removal);
}

static int create_missing(struct xs_conn *c, struct xs_txn *t, const char *path,
			  const char *anc, const struct xs_nstate *as,
			  const char *value, uint32_t len)
{
	struct xs_perm *perms = malloc(as->nperms * sizeof(*perms));
	char buf[XENSTORE_ABS_PATH_MAX];
	size_t at = strlen(anc) == 1 ? 0 : strlen(anc);
	char *slash;
	int rc = 0;

	if (!perms)
		return -ENOMEM;
	memcpy(perms, as->perms, as->nperms * sizeof(*perms));
	if (!c->privileged)
		perms[0].id = c->domid;
	strcpy(buf, path);
	do {
		slash = strchr(buf + at + 1, '/');
		if (slash)
			*slash = '\0';
		rc = view_create(c->st, t, buf, slash ? NULL : value,
				 slash ? 0 : len, perms, as->nperms);
		txn_add_node_delta(t, rc ? 0 : 1);
		if (slash) {
			*slash = '/';
			at = slash - buf;
		}
	} while (!rc && slash);
	if (!rc)
		store_fire(c, t, path, perms, as->nperms, false);
	free(perms);
	return rc;
}

int store_ensure(struct xs_conn *c, struct xs_txn *t, const char *path,
		 const char *value, uint32_t len, bool set_value)
{
	char anc[XENSTORE_ABS_PATH_MAX];
	struct xs_nstate s, as;
	unsigned missing, quota = c->st->quota.nodes;
	int rc;

	if (!c->privileged && len > c->st->quota.node_size) {
		xs_quota_hit(c, "node-size", c->st->quota.node_size);
		return -E2BIG;
	}
	if ((rc = txn_note_access(t, c)))
		return rc;
	/* The total memory bound (memory.c): growing is refused over it. */
	if ((set_value || !view_get(c->st, t, path, &s, false)) &&
	    (rc = xs_mem_check(c, len + strlen(path) + sizeof(struct xs_node))))
		return rc;
	if (view_get(c->st, t, path, &s, false)) {
		if (!(perms_for(c, s.perms, s.nperms) & XS_PERM_WRITE))
			return -EACCES;
		if (!set_value)
			return 0;
		rc = view_set(c->st, t, path, value, len, true, NULL, 0);
		if (!rc)
			store_fire(c, t, path, s.perms, s.nperms, false);
		return rc;
	}
	deepest(c, t, path, anc, &as, &missing);
	if (!(perms_for(c, as.perms, as.nperms) & XS_PERM_WRITE))
		return -EACCES;
	if (!c->privileged && (long)domain_nodes(c->st, c->domid) +
	    txn_node_delta(t) + missing > (long)quota) {
		xs_quota_hit(c, "nodes", quota);
		return -ENOSPC;
	}
	return create_missing(c, t, path, anc, &as, value, len);
}

int store_rm(struct xs_conn *c, struct xs_txn *t, const char *path)
{
	char parent[XENSTORE_ABS_PATH_MAX];
	struct xs_perm *perms;
	struct xs_nstate s;
	uint32_t n;
	int rc;

	if (strcmp(path, "/") == 0)
		return -EINVAL;
	if ((rc = txn_note_access(t, c)))
		return rc;
	rc = store_access(c, t, path, XS_PERM_WRITE, &s, false);
	if (rc == -ENOENT) {
		strcpy(parent, path);
		to_parent(parent);
		rc = store_access(c, t, parent, XS_PERM_READ, &s, false);
		return rc;
	}
	if (rc)
		return rc;
	n = s.nperms;
	perms = malloc(n * sizeof(*perms));
	if (!perms)
		return -ENOMEM;
	memcpy(perms, s.perms, n * sizeof(*perms));
	rc = view_remove(c->st, t, path);
	if (rc >= 0) {
		txn_add_node_delta(t, -rc);
		store_fire(c, t, path, perms, n, true);
		rc = 0;
	}
	free(perms);
	return rc;
}

int store_set_perms(struct xs_conn *c, struct xs_txn *t, const char *path,
		    const struct xs_perm *perms, uint32_t n)
{
	struct xs_nstate s;
	int rc;

	if ((rc = txn_note_access(t, c)))
		return rc;
	rc = store_access(c, t, path, XS_PERM_NONE, &s, false);
	if (rc)
		return rc;
	if (!conn_is_owner(c, s.perms, s.nperms))
		return -EACCES;
	if ((rc = xs_mem_check(c, n * sizeof(*perms))))
		return rc;
	if (!c->privileged && n > c->st->quota.perms) {
		xs_quota_hit(c, "permissions", c->st->quota.perms);
		return -ENOSPC;
	}
	if (!c->privileged && perms[0].id != s.perms[0].id)
		return -EPERM;
	rc = view_set(c->st, t, path, NULL, 0, false, perms, n);
	if (!rc)
		store_fire(c, t, path, perms, n, false);
	return rc;
}
