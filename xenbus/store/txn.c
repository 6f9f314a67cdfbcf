/*
 * Transactions: start, end (commit or abort), pre-images, and the commit
 * itself. See txn.h for the overlay and its invariant.
 *
 * Commit, in order:
 *  1. conflict check: every entry the transaction read must still have
 *     its snapshot generation in the tree (0 = still absent); a doomed
 *     transaction (allocation failure, too many pre-images) fails too;
 *  2. the transaction leaves the open list, so applying its own changes
 *     does not give it pre-images;
 *  3. written entries are applied shallowest first (siblings in the order
 *     the transaction touched them), so a re-created parent exists before
 *     its children and a removed subtree goes before parts of it are
 *     re-created;
 *  4. watches fire once per path the requests named (TE_FIRE).
 * Quotas were checked per request against the view, so the apply step
 * cannot fail on them; under memory exhaustion a commit may be partial
 * (logged).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "txn.h"

struct xs_txn *txn_find(struct xs_conn *c, uint32_t id)
{
	struct xs_txn *t;

	TAILQ_FOREACH(t, &c->txns, conn_link)
		if (t->id == id)
			return t;
	return NULL;
}

int txn_start(struct xs_conn *c, uint32_t *id)
{
	struct xs_txn *t;

	if (c->ntxns >= xs_quota_of(c)->transactions) {
		xs_quota_hit(c, "transactions", xs_quota_of(c)->transactions);
		return -ENOSPC;
	}
	if (xs_mem_check(c, sizeof(*t)))
		return -ENOSPC;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	hmap_init(&t->entries);
	t->conn = c;
	do {
		t->id = ++c->next_txid;
	} while (t->id == 0 || txn_find(c, t->id));
	TAILQ_INSERT_TAIL(&c->txns, t, conn_link);
	TAILQ_INSERT_TAIL(&c->st->open_txns, t, store_link);
	t->open = true;
	c->ntxns++;
	*id = t->id;
	return 0;
}

/* Off the open list: no more pre-images (commit, or doomed). */
static void txn_close(struct xs_txn *t)
{
	if (t->open)
		TAILQ_REMOVE(&t->conn->st->open_txns, t, store_link);
	t->open = false;
}

void txn_doom(struct xs_txn *t)
{
	t->doomed = true;
	txn_close(t);
}

static void txn_free(struct xs_txn *t)
{
	struct hmap_link *l, *tmp;

	hmap_for_each_safe(l, tmp, &t->entries) {
		struct xs_tentry *e = hmap_entry(l, struct xs_tentry, link);

		txn_entry_clear(e);
		free(e->perms);
		free(e->path);
		free(e);
	}
	hmap_dispose(&t->entries);
	t->conn->st->mem_txn -= t->pre_bytes;
	txn_close(t);
	TAILQ_REMOVE(&t->conn->txns, t, conn_link);
	t->conn->ntxns--;
	free(t);
}

static size_t entry_bytes(const struct xs_tentry *e)
{
	size_t b = sizeof(*e) + strlen(e->path) + e->len +
		   e->nperms * sizeof(e->perms[0]);
	uint32_t i;

	for (i = 0; i < e->nkids; i++)
		b += sizeof(e->kids[0]) + strlen(e->kids[i]) + 1;
	return b;
}

/* Past its connection's transaction-bytes of node copies a transaction
 * is doomed (EAGAIN at commit): an idle one cannot hold the store's
 * history. Logged like a quota hit. */
static bool over_budget(const struct xs_txn *t)
{
	unsigned lim = xs_quota_of(t->conn)->tx_bytes;

	if (xs_mem_check(t->conn, 0))
		return true;
	if (t->pre_bytes < lim)
		return false;
	xs_quota_hit(t->conn, "transaction-bytes", lim);
	return true;
}

void txn_preimage(struct xs_store *st, const char *path, const struct xs_node *n)
{
	struct xs_txn *t, *next;
	struct xs_tentry *e;

	for (t = TAILQ_FIRST(&st->open_txns); t; t = next) {
		next = TAILQ_NEXT(t, store_link);
		e = txn_entry(t, path);
		if (e && (e->flags & TE_COPY))
			continue;
		if (over_budget(t)) {
			txn_doom(t);
			continue;
		}
		if (!e)
			e = txn_entry_new(t, path);
		if (!e || txn_entry_fill(e, n)) {
			txn_doom(t);
			continue;
		}
		e->flags |= TE_PRE;
		t->npre++;
		t->pre_bytes += entry_bytes(e);
		st->mem_txn += entry_bytes(e);
	}
}

static bool conflicts(struct xs_store *st, struct xs_txn *t)
{
	struct hmap_link *l;

	if (t->doomed)
		return true;
	hmap_for_each(l, &t->entries) {
		struct xs_tentry *e = hmap_entry(l, struct xs_tentry, link);
		struct xs_node *n;

		if (!(e->flags & TE_READ))
			continue;
		n = tree_find(st, e->path);
		if ((n ? n->gen : 0) != e->gen)
			return true;
	}
	return false;
}

static int by_depth(const void *a, const void *b)
{
	const struct xs_tentry *x = *(const struct xs_tentry *const *)a;
	const struct xs_tentry *y = *(const struct xs_tentry *const *)b;
	unsigned dx = xs_path_depth(x->path), dy = xs_path_depth(y->path);

	/* Shallowest first; siblings in the order the transaction made them,
	 * so children keep their creation order in the tree. */
	if (dx != dy)
		return dx < dy ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Creates path's missing ancestors (the tree lost them while we ran). */
static int create_parents(struct xs_store *st, const char *path,
			  const struct xs_perm *perms, uint32_t nperms)
{
	char buf[XENSTORE_ABS_PATH_MAX];
	char *p;
	int rc;

	strcpy(buf, path);
	for (p = strchr(buf + 1, '/'); p; p = strchr(p + 1, '/')) {
		*p = '\0';
		if (!tree_find(st, buf) &&
		    (rc = tree_create(st, buf, NULL, 0, perms, nperms)))
			return rc;
		*p = '/';
	}
	return 0;
}

static int apply_one(struct xs_store *st, const struct xs_tentry *e)
{
	int rc;

	if (!e->exists) {
		tree_remove(st, e->path);
		return 0;
	}
	if (tree_find(st, e->path))
		return tree_set(st, e->path, e->value, e->len, true,
				e->perms, e->nperms);
	rc = create_parents(st, e->path, e->perms, e->nperms);
	return rc ? rc : tree_create(st, e->path, e->value, e->len,
				     e->perms, e->nperms);
}

static int apply(struct xs_store *st, struct xs_txn *t)
{
	struct xs_tentry **v;
	struct hmap_link *l;
	size_t n = 0, i;
	int rc = 0;

	v = malloc((t->entries.count + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	hmap_for_each(l, &t->entries) {
		struct xs_tentry *e = hmap_entry(l, struct xs_tentry, link);

		if (e->flags & TE_WRITTEN)
			v[n++] = e;
	}
	qsort(v, n, sizeof(*v), by_depth);
	for (i = 0; i < n; i++)
		if (apply_one(st, v[i]) && !rc)
			rc = -ENOMEM;
	for (i = 0; i < n; i++)
		if (v[i]->flags & TE_FIRE)
			watch_fire(st, v[i]->path, v[i]->perms, v[i]->nperms,
				   v[i]->flags & TE_FIRE_RM);
	free(v);
	return rc;
}

int txn_end(struct xs_conn *c, struct xs_txn *t, bool commit)
{
	int rc;

	if (!commit) {
		txn_free(t);
		return 0;
	}
	if (conflicts(c->st, t)) {
		txn_free(t);
		return -EAGAIN;
	}
	txn_close(t);
	rc = apply(c->st, t);
	if (rc)
		pvx_log_err("domain %u: transaction %u partly committed: "
		       "out of memory", c->domid, t->id);
	txn_free(t);
	return rc;
}

void txn_end_all(struct xs_conn *c)
{
	while (!TAILQ_EMPTY(&c->txns))
		txn_free(TAILQ_FIRST(&c->txns));
}

int txn_note_access(struct xs_txn *t, struct xs_conn *c)
{
	if (!t || t->naccess <= xs_quota_of(c)->tx_nodes)
		return 0;
	xs_quota_hit(c, "transaction-nodes", xs_quota_of(c)->tx_nodes);
	return -ENOSPC;
}

int txn_node_delta(const struct xs_txn *t)
{
	return t ? t->node_delta : 0;
}

void txn_add_node_delta(struct xs_txn *t, int delta)
{
	if (t)
		t->node_delta += delta;
}

void txn_mark_fire(struct xs_txn *t, const char *path, bool removal)
{
	struct xs_tentry *e = txn_entry(t, path);

	if (e)
		e->flags |= TE_FIRE | (removal ? TE_FIRE_RM : 0);
}
