/*
 * The committed tree. Each node keeps its children in a hash map with
 * insertion order (hmap.h), so finding /local/domain/N costs one hash
 * lookup per path component however many domains exist, and DIRECTORY
 * lists children in creation order.
 *
 * Every change goes through tree_create/tree_set/tree_remove, which keep
 * three things in step:
 *  - generations: the store counter is bumped and stamped on the changed
 *    node and, when its child set changes, on the parent (transactions
 *    compare these at commit, DIRECTORY_PART reports them);
 *  - open transactions: txn_preimage() is called with the node's state
 *    *before* the change, so a transaction that has not touched the node
 *    keeps seeing its snapshot;
 *  - accounting: nodes owned per domid (the "nodes" quota).
 * Each change is also reported to persistence (st->on_node), which
 * journals it.
 * Watches are not fired here: the request layer fires once per request
 * (and a commit once per changed path), not once per implicit parent.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xs_core.h"

static struct xs_node *node_alloc(const char *name)
{
	struct xs_node *n = calloc(1, sizeof(*n));

	if (!n)
		return NULL;
	n->name = strdup(name);
	if (!n->name) {
		free(n);
		return NULL;
	}
	n->link.key = n->name;
	hmap_init(&n->children);
	return n;
}

static void node_free(struct xs_node *n)
{
	hmap_dispose(&n->children);
	free(n->value);
	free(n->perms);
	free(n->name);
	free(n);
}

int xs_store_init(struct xs_store *st)
{
	static const struct xs_quota q = XS_QUOTA_DEFAULTS;
	static const struct xs_quota q0 = XS_QUOTA_DOM0_DEFAULTS;
	struct xs_perm root_perm = { 0, XS_PERM_NONE };

	memset(st, 0, sizeof(*st));
	st->quota = q;
	st->dom0_quota = q0;
	hmap_init(&st->domains);
	TAILQ_INIT(&st->open_txns);
	TAILQ_INIT(&st->conns);
	st->special_perms[0][0] = root_perm;
	st->special_perms[1][0] = root_perm;
	st->special_nperms[0] = st->special_nperms[1] = 1;
	st->root = node_alloc("");
	if (!st->root)
		return -ENOMEM;
	st->root->perms = malloc(sizeof(root_perm));
	if (!st->root->perms) {
		node_free(st->root);
		return -ENOMEM;
	}
	st->root->perms[0] = root_perm;
	st->root->nperms = 1;
	st->root->gen = ++st->gen;
	st->nnodes = 1;
	st->mem_nodes = xs_node_cost(st->root);
	domain_nodes_add(st, 0, 1);
	return 0;
}

static void subtree_free(struct xs_node *n)
{
	struct hmap_link *l, *tmp;

	hmap_for_each_safe(l, tmp, &n->children)
		subtree_free(hmap_entry(l, struct xs_node, link));
	node_free(n);
}

void xs_store_dispose(struct xs_store *st)
{
	if (st->root)
		subtree_free(st->root);
	st->root = NULL;
	st->mem_nodes = 0;
	watch_trie_free(st);
	domain_free_all(st);
}

struct xs_node *tree_find(const struct xs_store *st, const char *path)
{
	char buf[XENSTORE_ABS_PATH_MAX];
	struct xs_node *n = st->root;
	struct hmap_link *l;
	char *p, *slash;
	size_t len = strlen(path);

	if (path[0] != '/' || len >= sizeof(buf))
		return NULL;
	memcpy(buf, path, len + 1);
	for (p = buf + 1; n && *p; p = slash + 1) {
		slash = strchr(p, '/');
		if (slash)
			*slash = '\0';
		l = hmap_find(&n->children, p);
		n = l ? hmap_entry(l, struct xs_node, link) : NULL;
		if (!slash)
			break;
	}
	return n;
}

void tree_state(const struct xs_node *n, struct xs_nstate *s)
{
	s->value = n->value ? n->value : "";
	s->len = n->len;
	s->perms = n->perms;
	s->nperms = n->nperms;
	s->gen = n->gen;
}

void tree_changed(struct xs_store *st)
{
	if (st->on_change)
		st->on_change(st);
}

void tree_domain_changed(struct xs_store *st, uint32_t domid)
{
	if (st->on_domain)
		st->on_domain(st, domid);
}

static int set_value(struct xs_node *n, const char *value, uint32_t len)
{
	char *v = NULL;

	if (len) {
		v = malloc(len);
		if (!v)
			return -ENOMEM;
		memcpy(v, value, len);
	}
	free(n->value);
	n->value = v;
	n->len = len;
	return 0;
}

static int set_perms(struct xs_node *n, const struct xs_perm *perms,
		     uint32_t nperms)
{
	struct xs_perm *p = malloc(nperms * sizeof(*p));

	if (!p)
		return -ENOMEM;
	memcpy(p, perms, nperms * sizeof(*p));
	free(n->perms);
	n->perms = p;
	n->nperms = nperms;
	return 0;
}

static void parent_path(const char *path, char *out)
{
	size_t k = strrchr(path, '/') - path;

	if (k == 0)
		k = 1;
	memcpy(out, path, k);
	out[k] = '\0';
}

int tree_create(struct xs_store *st, const char *path, const char *value,
		uint32_t len, const struct xs_perm *perms, uint32_t nperms)
{
	char ppath[XENSTORE_ABS_PATH_MAX];
	struct xs_node *parent, *n;

	parent_path(path, ppath);
	parent = tree_find(st, ppath);
	if (!parent)
		return -ENOENT;
	n = node_alloc(strrchr(path, '/') + 1);
	if (!n)
		return -ENOMEM;
	if (set_value(n, value, len) || set_perms(n, perms, nperms)) {
		node_free(n);
		return -ENOMEM;
	}
	txn_preimage(st, ppath, parent);
	txn_preimage(st, path, NULL);
	if (hmap_insert(&parent->children, &n->link)) {
		node_free(n);
		return -ENOMEM;
	}
	n->parent = parent;
	n->gen = parent->gen = ++st->gen;
	st->nnodes++;
	st->mem_nodes += xs_node_cost(n);
	domain_nodes_add(st, perms[0].id, 1);
	if (st->on_node)
		st->on_node(st, path, n);
	return 0;
}

int tree_set(struct xs_store *st, const char *path, const char *value,
	     uint32_t len, bool set_val, const struct xs_perm *perms,
	     uint32_t nperms)
{
	struct xs_node *n = tree_find(st, path);
	uint32_t old_owner;
	int rc = 0;

	if (!n)
		return -ENOENT;
	old_owner = n->perms[0].id;
	txn_preimage(st, path, n);
	st->mem_nodes -= xs_node_cost(n);
	if (set_val && set_value(n, value, len))
		rc = -ENOMEM;
	else if (perms && set_perms(n, perms, nperms))
		rc = -ENOMEM;
	st->mem_nodes += xs_node_cost(n);
	if (rc)
		return rc;
	if (n->perms[0].id != old_owner) {
		domain_nodes_add(st, old_owner, -1);
		domain_nodes_add(st, n->perms[0].id, 1);
	}
	n->gen = ++st->gen;
	if (st->on_node)
		st->on_node(st, path, n);
	return 0;
}

/* Frees n and its subtree; path is n's path in a buffer of
 * XENSTORE_ABS_PATH_MAX bytes that is extended and restored per child. */
static void remove_rec(struct xs_store *st, struct xs_node *n, char *path)
{
	struct hmap_link *l, *tmp;
	size_t plen = strlen(path);
	bool tx = !TAILQ_EMPTY(&st->open_txns);

	/* Pre-order: a transaction's pre-image must see n's children. */
	if (tx)
		txn_preimage(st, path, n);
	hmap_for_each_safe(l, tmp, &n->children) {
		struct xs_node *k = hmap_entry(l, struct xs_node, link);
		size_t klen = strlen(k->name);

		if (tx && plen + 1 + klen < XENSTORE_ABS_PATH_MAX) {
			path[plen] = '/';
			memcpy(path + plen + 1, k->name, klen + 1);
		}
		remove_rec(st, k, path);
		path[plen] = '\0';
	}
	domain_nodes_add(st, n->perms[0].id, -1);
	st->nnodes--;
	st->mem_nodes -= xs_node_cost(n);
	node_free(n);
}

void tree_remove(struct xs_store *st, const char *path)
{
	char buf[XENSTORE_ABS_PATH_MAX], ppath[XENSTORE_ABS_PATH_MAX];
	struct xs_node *n = tree_find(st, path);

	if (!n || n == st->root)
		return;
	parent_path(path, ppath);
	txn_preimage(st, ppath, n->parent);
	hmap_remove(&n->parent->children, &n->link);
	n->parent->gen = ++st->gen;
	strcpy(buf, path);
	remove_rec(st, n, buf);
	if (st->on_node)
		st->on_node(st, path, NULL);
}
