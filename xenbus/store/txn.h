/*
 * Transaction internals shared by txn.c (lifecycle, pre-images, commit)
 * and view.c (reads and writes through a transaction's overlay).
 *
 * A transaction is an overlay on the committed tree: a map from path to an
 * entry. The invariant that makes snapshot isolation cheap: *for every
 * path whose state in the transaction's view differs from the tree's,
 * there is an entry holding that state (TE_COPY)*. Paths without an entry
 * read straight from the tree. The invariant is kept from both sides:
 *  - the transaction's own writes copy the node first (ensure_copy);
 *  - a committed change to a node the transaction has not copied first
 *    hands it the node's old state (txn_preimage, called by tree.c), so
 *    the transaction keeps seeing the tree as it was when it started.
 * Reads record the node's snapshot generation (TE_READ); a commit fails
 * with EAGAIN when any node read has a different generation in the tree
 * now (C xenstored's rule, so blind writes never conflict). Entries for
 * paths only read and not yet changed elsewhere are "mirrors": a flag and
 * a generation, no copy.
 */
#ifndef XS_TXN_H
#define XS_TXN_H

#include "xs_core.h"

#define TE_READ    0x01 /* read by the transaction: checked at commit */
#define TE_COPY    0x02 /* holds the view's state (else mirrors the tree) */
#define TE_WRITTEN 0x04 /* value, perms or existence set: applied at commit */
#define TE_FIRE    0x08 /* fire watches on this path at commit */
#define TE_FIRE_RM 0x10 /* ... as a removal */
#define TE_PRE     0x20 /* copied because the tree changed under us */

/* Pre-images one transaction may hold before it is doomed to EAGAIN:
 * quota transaction-bytes of its connection (an idle transaction must not
 * make every later write copy without bound). A doomed transaction
 * leaves the store's open list, so it costs later writes nothing. */

struct xs_tentry {
	struct hmap_link link;       /* key = path */
	char *path;
	uint32_t flags;
	bool exists;
	uint32_t len;
	char *value;
	uint32_t nperms;
	struct xs_perm *perms;
	uint32_t nkids, capkids;
	char **kids;
	uint64_t gen;                /* snapshot generation, 0 = absent */
	uint64_t seq;                /* creation order within the transaction */
};

struct xs_txn {
	TAILQ_ENTRY(xs_txn) conn_link;
	TAILQ_ENTRY(xs_txn) store_link;
	struct xs_conn *conn;
	uint32_t id;
	struct hmap entries;
	unsigned naccess;            /* entries made by its own requests */
	unsigned npre;
	size_t pre_bytes;
	bool open;                   /* on the store's open list */
	uint64_t nseq;
	int node_delta;              /* nodes it creates minus removes */
	bool doomed;                 /* commit will answer EAGAIN */
};

/* Commit will answer EAGAIN; the transaction takes no more pre-images. */
void txn_doom(struct xs_txn *t);
struct xs_tentry *txn_entry(struct xs_txn *t, const char *path);
struct xs_tentry *txn_entry_new(struct xs_txn *t, const char *path);
int txn_entry_fill(struct xs_tentry *e, const struct xs_node *n);
void txn_entry_clear(struct xs_tentry *e);
int tentry_add_kid(struct xs_tentry *e, const char *name);
void tentry_del_kid(struct xs_tentry *e, const char *name);

#endif /* XS_TXN_H */
