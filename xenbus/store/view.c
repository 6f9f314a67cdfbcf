/*
 * Views: the primitive node operations the request layer uses, applied to
 * the committed tree (t == NULL) or to a transaction's overlay (txn.h).
 * Permission checks, quotas and watch firing live in store.c, once for
 * both kinds of view.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "txn.h"

static void entry_state(const struct xs_tentry *e, struct xs_nstate *s)
{
	s->value = e->value ? e->value : "";
	s->len = e->len;
	s->perms = e->perms;
	s->nperms = e->nperms;
	s->gen = e->gen;
}

bool view_get(struct xs_store *st, struct xs_txn *t, const char *path,
	      struct xs_nstate *s, bool record_read)
{
	struct xs_tentry *e = t ? txn_entry(t, path) : NULL;
	struct xs_node *n;

	if (e && (e->flags & TE_COPY)) {
		if (record_read)
			e->flags |= TE_READ;
		if (e->exists)
			entry_state(e, s);
		return e->exists;
	}
	n = tree_find(st, path);
	if (t && record_read) {
		if (!e) {
			/* A mirror: the tree is our snapshot until it changes. */
			e = txn_entry_new(t, path);
			if (!e) {
				txn_doom(t);
			} else {
				e->gen = n ? n->gen : 0;
				t->naccess++;
			}
		}
		if (e)
			e->flags |= TE_READ;
	}
	if (n)
		tree_state(n, s);
	return n != NULL;
}

int view_kids(struct xs_store *st, struct xs_txn *t, const char *path,
	      view_kid_fn fn, void *arg)
{
	struct xs_tentry *e = t ? txn_entry(t, path) : NULL;
	struct hmap_link *l;
	struct xs_node *n;
	uint32_t i;
	int rc;

	if (e && (e->flags & TE_COPY)) {
		for (i = 0; i < e->nkids; i++)
			if ((rc = fn(e->kids[i], arg)))
				return rc;
		return 0;
	}
	n = tree_find(st, path);
	if (!n)
		return -ENOENT;
	hmap_for_each(l, &n->children)
		if ((rc = fn(l->key, arg)))
			return rc;
	return 0;
}

/* The entry for path, holding a copy of the view's state. */
static struct xs_tentry *ensure_copy(struct xs_store *st, struct xs_txn *t,
				     const char *path)
{
	struct xs_tentry *e = txn_entry(t, path);

	if (e && (e->flags & TE_COPY))
		return e;
	if (!e) {
		e = txn_entry_new(t, path);
		if (!e)
			return NULL;
		t->naccess++;
	}
	if (txn_entry_fill(e, tree_find(st, path)))
		return NULL;
	return e;
}

static void parent_of(const char *path, char *out, const char **name)
{
	const char *slash = strrchr(path, '/');
	size_t k = slash == path ? 1 : (size_t)(slash - path);

	memcpy(out, path, k);
	out[k] = '\0';
	*name = slash + 1;
}

static int entry_set(struct xs_tentry *e, const char *value, uint32_t len,
		     bool set_value, const struct xs_perm *perms, uint32_t nperms)
{
	if (set_value) {
		char *v = NULL;

		if (len && !(v = malloc(len)))
			return -ENOMEM;
		if (len)
			memcpy(v, value, len);
		free(e->value);
		e->value = v;
		e->len = len;
	}
	if (perms) {
		struct xs_perm *p = malloc(nperms * sizeof(*p));

		if (!p)
			return -ENOMEM;
		memcpy(p, perms, nperms * sizeof(*p));
		free(e->perms);
		e->perms = p;
		e->nperms = nperms;
	}
	e->flags |= TE_WRITTEN;
	return 0;
}

int view_create(struct xs_store *st, struct xs_txn *t, const char *path,
		const char *value, uint32_t len, const struct xs_perm *perms,
		uint32_t nperms)
{
	char ppath[XENSTORE_ABS_PATH_MAX];
	struct xs_tentry *pe, *e;
	const char *name;

	if (!t)
		return tree_create(st, path, value, len, perms, nperms);
	parent_of(path, ppath, &name);
	pe = ensure_copy(st, t, ppath);
	e = ensure_copy(st, t, path);
	if (!pe || !e || tentry_add_kid(pe, name))
		return -ENOMEM;
	txn_entry_clear(e);
	e->exists = true;
	return entry_set(e, value, len, true, perms, nperms);
}

int view_set(struct xs_store *st, struct xs_txn *t, const char *path,
	     const char *value, uint32_t len, bool set_value,
	     const struct xs_perm *perms, uint32_t nperms)
{
	struct xs_tentry *e;

	if (!t)
		return tree_set(st, path, value, len, set_value, perms, nperms);
	e = ensure_copy(st, t, path);
	if (!e)
		return -ENOMEM;
	if (!e->exists)
		return -ENOENT;
	return entry_set(e, value, len, set_value, perms, nperms);
}

/* Marks path and everything below it absent; returns nodes removed. */
static int remove_rec(struct xs_store *st, struct xs_txn *t, const char *path)
{
	char kid[XENSTORE_ABS_PATH_MAX];
	struct xs_tentry *e = ensure_copy(st, t, path);
	int removed = 1, rc;

	if (!e)
		return -ENOMEM;
	while (e->nkids) {
		/* Paths are bounded by the tree's, which were validated. */
		snprintf(kid, sizeof(kid), "%s/%s", strcmp(path, "/") ? path : "",
			 e->kids[e->nkids - 1]);
		rc = remove_rec(st, t, kid);
		if (rc < 0)
			return rc;
		removed += rc;
		tentry_del_kid(e, e->kids[e->nkids - 1]);
	}
	txn_entry_clear(e);
	e->exists = false;
	e->flags |= TE_WRITTEN;
	return removed;
}

int view_remove(struct xs_store *st, struct xs_txn *t, const char *path)
{
	char ppath[XENSTORE_ABS_PATH_MAX];
	struct xs_tentry *pe;
	const char *name;

	if (!t) {
		tree_remove(st, path);
		return 0;
	}
	parent_of(path, ppath, &name);
	pe = ensure_copy(st, t, ppath);
	if (!pe)
		return -ENOMEM;
	tentry_del_kid(pe, name);
	return remove_rec(st, t, path);
}
