/*
 * Watches. Every watch hangs off a trie keyed by path components (one
 * hash map per level, hmap.h), so firing for a change at /a/b/c visits
 * exactly the trie nodes /, /a, /a/b, /a/b/c: the cost is the path's
 * depth plus the watches that match, not the number of watches in the
 * store. A recursive removal also walks the trie below the removed node,
 * where each watch reports its own path (reference §3.4).
 *
 * A connection also keys its watches by (path, token) in a hash map, so
 * registering or removing one is O(1) however many it holds (a list
 * walk made 80k registrations on one connection take 43 s).
 *
 * Events are filtered by permission: an unprivileged watcher only hears
 * about nodes it may read. Special watches ("@introduceDomain",
 * "@releaseDomain", and with a depth "@releaseDomain/<domid>") live in a
 * second trie and obey the special nodes' permissions (default: dom0
 * only; SET_PERMS on them grants others).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xs_core.h"

static struct wtrie *wtrie_new(struct wtrie *parent, const char *name)
{
	struct wtrie *t = calloc(1, sizeof(*t));

	if (!t || !(t->name = strdup(name))) {
		free(t);
		return NULL;
	}
	t->link.key = t->name;
	t->parent = parent;
	hmap_init(&t->kids);
	TAILQ_INIT(&t->watches);
	if (parent && hmap_insert(&parent->kids, &t->link)) {
		free(t->name);
		free(t);
		return NULL;
	}
	return t;
}

static void wtrie_free(struct wtrie *t)
{
	struct hmap_link *l, *tmp;

	if (!t)
		return;
	hmap_for_each_safe(l, tmp, &t->kids)
		wtrie_free(hmap_entry(l, struct wtrie, link));
	hmap_dispose(&t->kids);
	free(t->name);
	free(t);
}

void watch_trie_free(struct xs_store *st)
{
	wtrie_free(st->wroot);
	wtrie_free(st->wspecial);
	st->wroot = st->wspecial = NULL;
}

static struct wtrie *wtrie_child(struct wtrie *t, const char *name, bool create)
{
	struct hmap_link *l = hmap_find(&t->kids, name);

	if (l)
		return hmap_entry(l, struct wtrie, link);
	return create ? wtrie_new(t, name) : NULL;
}

/* The trie node for path (created on demand when create is set). */
static struct wtrie *wtrie_walk(struct xs_store *st, const char *path, bool create)
{
	char buf[XENSTORE_ABS_PATH_MAX];
	struct wtrie **rootp = xs_path_is_special(path) ? &st->wspecial : &st->wroot;
	struct wtrie *t;
	char *p, *slash;

	if (!*rootp && (!create || !(*rootp = wtrie_new(NULL, ""))))
		return NULL;
	t = *rootp;
	snprintf(buf, sizeof(buf), "%s", path + (path[0] == '/'));
	for (p = buf; t && *p; p = slash + 1) {
		slash = strchr(p, '/');
		if (slash)
			*slash = '\0';
		t = wtrie_child(t, p, create);
		if (!slash)
			break;
	}
	return t;
}

static void wtrie_prune(struct wtrie *t)
{
	while (t && t->parent && TAILQ_EMPTY(&t->watches) && !t->kids.count) {
		struct wtrie *up = t->parent;

		hmap_remove(&up->kids, &t->link);
		wtrie_free(t);
		t = up;
	}
}

/* The path's length first keeps (path, token) pairs apart: ("/a", "b/c")
 * and ("/a/b", "c") give "2:/ab/c" and "4:/a/bc". */
static char *watch_key(const char *path, const char *token)
{
	char *k;

	return asprintf(&k, "%zu:%s%s", strlen(path), path, token) < 0 ? NULL : k;
}

static struct xs_watch *watch_find(struct xs_conn *c, const char *path,
				   const char *token)
{
	char *k = watch_key(path, token);
	struct hmap_link *l = k ? hmap_find(&c->watch_keys, k) : NULL;

	free(k);
	return l ? hmap_entry(l, struct xs_watch, key_link) : NULL;
}

int watch_add(struct xs_conn *c, const char *abspath, const char *token,
	      bool relative, int depth)
{
	struct xs_watch *w;

	if (watch_find(c, abspath, token))
		return -EEXIST;
	if (c->nwatches >= xs_quota_of(c)->watches) {
		xs_quota_hit(c, "watches", xs_quota_of(c)->watches);
		return -ENOSPC;
	}
	w = calloc(1, sizeof(*w));
	if (!w || !(w->path = strdup(abspath)) || !(w->token = strdup(token)) ||
	    !(w->key = watch_key(abspath, token)))
		goto err_free;
	w->key_link.key = w->key;
	if (hmap_insert(&c->watch_keys, &w->key_link))
		goto err_free;
	w->tnode = wtrie_walk(c->st, abspath, true);
	if (!w->tnode) {
		hmap_remove(&c->watch_keys, &w->key_link);
		goto err_free;
	}
	w->conn = c;
	w->relative = relative;
	w->depth = depth;
	w->path_depth = xs_path_depth(abspath);
	TAILQ_INSERT_TAIL(&w->tnode->watches, w, trie_link);
	TAILQ_INSERT_TAIL(&c->watches, w, conn_link);
	c->nwatches++;
	if (c->dom)  /* a ring's watches are persisted */
		tree_domain_changed(c->st, c->dom->domid);
	return 0;
err_free:
	if (w) {
		free(w->path);
		free(w->token);
		free(w->key);
	}
	free(w);
	return -ENOMEM;
}

static void watch_free(struct xs_watch *w)
{
	struct wtrie *t = w->tnode;

	TAILQ_REMOVE(&t->watches, w, trie_link);
	TAILQ_REMOVE(&w->conn->watches, w, conn_link);
	hmap_remove(&w->conn->watch_keys, &w->key_link);
	w->conn->nwatches--;
	if (w->conn->dom)
		tree_domain_changed(w->conn->st, w->conn->dom->domid);
	free(w->key);
	free(w->path);
	free(w->token);
	free(w);
	wtrie_prune(t);
}

int watch_remove(struct xs_conn *c, const char *abspath, const char *token)
{
	struct xs_watch *w = watch_find(c, abspath, token);

	if (!w)
		return -ENOENT;
	watch_free(w);
	return 0;
}

void watch_remove_all(struct xs_conn *c)
{
	while (!TAILQ_EMPTY(&c->watches))
		watch_free(TAILQ_FIRST(&c->watches));
	hmap_dispose(&c->watch_keys);
}

/* Delivers path (made relative for relative watches) to w. */
static void deliver(struct xs_watch *w, const char *path)
{
	char home[32];
	size_t k;

	if (w->conn->dead)
		return;
	if (w->relative) {
		k = (size_t)snprintf(home, sizeof(home), "/local/domain/%u/",
				     w->conn->domid);
		if (strncmp(path, home, k) == 0 && path[k])
			path += k;
	}
	xs_conn_event(w->conn, path, w->token);
}

static bool may_see(const struct xs_watch *w, const struct xs_perm *perms,
		    uint32_t nperms)
{
	if (w->conn->privileged)
		return true;
	return perms && (perms_for(w->conn, perms, nperms) & XS_PERM_READ);
}

static void fire_level(struct wtrie *t, const char *path, unsigned depth,
		       const struct xs_perm *perms, uint32_t nperms)
{
	struct xs_watch *w;

	TAILQ_FOREACH(w, &t->watches, trie_link) {
		if (w->depth >= 0 && depth - w->path_depth > (unsigned)w->depth)
			continue;
		if (may_see(w, perms, nperms))
			deliver(w, path);
	}
}

/* Watches strictly below t: each reports its own path. */
static void fire_below(struct wtrie *t, const struct xs_perm *perms,
		       uint32_t nperms)
{
	struct hmap_link *l;
	struct xs_watch *w;

	hmap_for_each(l, &t->kids) {
		struct wtrie *k = hmap_entry(l, struct wtrie, link);

		TAILQ_FOREACH(w, &k->watches, trie_link)
			if (may_see(w, perms, nperms))
				deliver(w, w->path);
		fire_below(k, perms, nperms);
	}
}

void watch_fire(struct xs_store *st, const char *path,
		const struct xs_perm *perms, uint32_t nperms, bool removal)
{
	char buf[XENSTORE_ABS_PATH_MAX];
	unsigned depth = xs_path_depth(path);
	struct wtrie *t = xs_path_is_special(path) ? st->wspecial : st->wroot;
	char *p, *slash;

	if (!t)
		return;
	fire_level(t, path, depth, perms, nperms);
	snprintf(buf, sizeof(buf), "%s", path + (path[0] == '/'));
	for (p = buf; *p; p = slash + 1) {
		slash = strchr(p, '/');
		if (slash)
			*slash = '\0';
		t = wtrie_child(t, p, false);
		if (!t)
			return;
		fire_level(t, path, depth, perms, nperms);
		if (!slash)
			break;
	}
	if (removal)
		fire_below(t, perms, nperms);
}

void watch_fire_special(struct xs_store *st, const char *name, uint32_t domid)
{
	int i = strcmp(name, "@releaseDomain") == 0;
	char path[40];

	/* "@releaseDomain" watchers hear the node itself; depth-1 watchers
	 * and "@releaseDomain/<domid>" ones hear the domain's own path. */
	watch_fire(st, name, st->special_perms[i], st->special_nperms[i], false);
	snprintf(path, sizeof(path), "%s/%u", name, domid);
	{
		struct wtrie *t = wtrie_walk(st, path, false);

		if (t)
			fire_level(t, path, xs_path_depth(path),
				   st->special_perms[i], st->special_nperms[i]);
	}
}
