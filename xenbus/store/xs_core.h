/*
 * pvxstored's shared types: the store (tree, domains, watches, open
 * transactions), connections and the limits. Every module includes this
 * one private header; nothing outside xenbus/store/ does (the unit tests
 * compile the real sources against it).
 *
 * Ownership and lifetime:
 *  - struct xs_store owns the tree, the watch trie, the domain table and
 *    the list of every connection; connections own their watches,
 *    transactions and output queues.
 *  - A connection is freed only by xs_conn_destroy(), which first ends its
 *    transactions and watches; a dead connection (protocol violation)
 *    stays allocated until its transport notices and destroys it, but
 *    accepts no more input and receives no more events.
 * Single-threaded: everything runs on the one libevent loop.
 */
#ifndef XS_CORE_H
#define XS_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <limits.h>
#include <stdint.h>
#include <sys/queue.h>
#include <sys/types.h>
#include <pvx/xs.h>
#include <pvx/log.h>   /* the daemon's lines; tests use pvx_log_set_sink() */
#include <xen/public/io/xs_wire.h>

#include "hmap.h"

/*
 * Quotas (quota.c, docs/xenstore.md). Guests get C xenstored's defaults;
 * Dom0 connections (the Unix socket) get their own, larger set, so a
 * runaway or hostile Dom0 client is bounded too. UINT_MAX = no limit.
 * Both sets can be changed on pvxstored's command line.
 */
struct xs_quota {
	unsigned nodes;        /* nodes a domain may own */
	unsigned node_size;    /* value bytes plus 5 bytes per permission */
	unsigned watches;      /* per connection (= per domain) */
	unsigned transactions; /* open at once, per connection */
	unsigned perms;        /* entries per node */
	unsigned outstanding;  /* replies queued, unread, before input stalls */
	unsigned tx_nodes;     /* nodes one transaction may touch */
	unsigned events;       /* queued watch events per connection */
	unsigned tx_bytes;     /* node copies (pre-images) one transaction keeps */
};
#define XS_QUOTA_DEFAULTS { 1000, 2048, 128, 10, 5, 20, 1024, 1024, 64 * 1024 }
#define XS_QUOTA_DOM0_DEFAULTS { UINT_MAX, UINT_MAX, 131072, 64, UINT_MAX, \
				 64, 8192, 4096, 1024 * 1024 }

struct xs_perm {
	uint32_t id;
	uint32_t perm; /* XS_PERM_* */
};

/* One node of the committed tree. */
struct xs_node {
	struct hmap_link link;    /* in parent->children, key = name */
	struct xs_node *parent;
	char *name;               /* "" for the root */
	struct hmap children;
	char *value;
	uint32_t len;
	uint32_t nperms;
	struct xs_perm *perms;    /* perms[0].id is the owner */
	uint64_t gen;             /* store generation of the last change */
};

/* What one view (the tree or a transaction) sees at a path. */
struct xs_nstate {
	const char *value;
	uint32_t len;
	uint32_t nperms;
	const struct xs_perm *perms;
	uint64_t gen;
};

struct xs_conn;
struct xs_txn;

struct xs_domain {
	struct hmap_link link;    /* in store->domains, key = decimal domid */
	char key[12];
	uint32_t domid;
	bool introduced;
	uint64_t gfn;
	uint32_t port;
	struct xs_conn *conn;     /* the ring connection while introduced */
	uint32_t target;          /* SET_TARGET, or UINT32_MAX */
	unsigned nodes;           /* nodes this domid owns */
};

struct xs_watch {
	TAILQ_ENTRY(xs_watch) conn_link;
	TAILQ_ENTRY(xs_watch) trie_link;
	struct hmap_link key_link; /* in conn->watch_keys, key = key */
	char *key;                /* "<strlen(path)>:<path><token>" */
	struct wtrie *tnode;
	struct xs_conn *conn;
	char *path;               /* absolute (or special), as matched */
	char *token;
	int depth;                /* -1: unlimited */
	uint16_t path_depth;      /* components in path */
	bool relative;
};
TAILQ_HEAD(xs_watch_list, xs_watch);

/* A level of the watch trie: watches registered exactly at this path. */
struct wtrie {
	struct hmap_link link;
	struct wtrie *parent;
	char *name;
	struct hmap kids;
	struct xs_watch_list watches;
};

TAILQ_HEAD(xs_txn_list, xs_txn);

struct xs_out {
	TAILQ_ENTRY(xs_out) link;
	uint32_t len;             /* header + payload */
	bool event;
	char data[];
};
TAILQ_HEAD(xs_out_list, xs_out);

/* What a transport provides (conn_socket.c, conn_ring.c). */
struct xs_conn_ops {
	const char *kind;
	/* Writes up to len bytes; returns bytes written (0 = full) or -errno. */
	ssize_t (*write)(struct xs_conn *c, const void *buf, size_t len);
	/* Output was queued or written: arrange delivery and wake the peer. */
	void (*kick)(struct xs_conn *c);
	/* Input was stalled and may flow again. */
	void (*resume)(struct xs_conn *c);
	/* The connection is being freed: release the transport. */
	void (*release)(struct xs_conn *c);
};

struct xs_conn {
	const struct xs_conn_ops *ops;
	struct xs_store *st;
	void *priv;               /* the transport's */
	TAILQ_ENTRY(xs_conn) link;
	uint32_t domid;
	bool privileged;
	bool dead;                /* protocol violation: ignore from now on */
	struct xs_domain *dom;    /* set for a domain's ring connection */
	/* Input: a header, then its payload (NUL-terminated copy). */
	struct xsd_sockmsg in_hdr;
	uint32_t in_have;
	char in_buf[XENSTORE_PAYLOAD_MAX + 1];
	/* Output. */
	struct xs_out_list out;
	uint32_t out_off;         /* bytes of the first entry already sent */
	unsigned out_replies, out_events;
	bool dropping;            /* event queue overflowed, logged once */
	/* State. */
	struct xs_watch_list watches;
	struct hmap watch_keys;   /* (path, token) -> watch: O(1) duplicates */
	unsigned nwatches;
	struct xs_txn_list txns;
	unsigned ntxns;
	uint32_t next_txid;
	uint64_t requests;
	/* Quota-hit log lines: at most XS_LOG_BURST per second each. */
	uint64_t log_second;
	unsigned log_lines, log_suppressed;
};
#define XS_LOG_BURST 20
TAILQ_HEAD(xs_conn_list, xs_conn);

struct xs_store {
	struct xs_node *root;
	uint64_t gen;
	unsigned nnodes;
	struct xs_quota quota;      /* guests' connections */
	struct xs_quota dom0_quota; /* privileged (Dom0) connections */
	struct hmap domains;
	struct wtrie *wroot;      /* absolute paths */
	struct wtrie *wspecial;   /* "@introduceDomain", "@releaseDomain" */
	struct xs_perm special_perms[2][8];
	uint32_t special_nperms[2];
	struct xs_txn_list open_txns;
	struct xs_conn_list conns;
	/* Counted memory (memory.c): nodes, queued output, transactions'
	 * node copies; mem_limit 0 = no limit. */
	size_t mem_nodes, mem_out, mem_txn, mem_limit;
	/* Persistence's hooks (persist.c): a node written or created (n)
	 * or removed with its subtree (n NULL); a change of the special
	 * nodes' permissions; a change of one domain (introduced, released,
	 * target, its ring's watches). in_request: a request is being
	 * handled (its changes are flushed before its reply). */
	void (*on_node)(struct xs_store *st, const char *path,
			const struct xs_node *n);
	void (*on_change)(struct xs_store *st);
	void (*on_domain)(struct xs_store *st, uint32_t domid);
	void *persist;
	bool in_request;
	/* Maps and binds a domain's ring; NULL in unit tests that fake it. */
	const struct xs_ring_backend *ring_backend;
	void *ring_ctx;
	struct event_base *base;
};

/* ---- hmap-backed tree (tree.c) ---- */
int xs_store_init(struct xs_store *st);
void xs_store_dispose(struct xs_store *st);
struct xs_node *tree_find(const struct xs_store *st, const char *path);
int tree_create(struct xs_store *st, const char *path, const char *value,
		uint32_t len, const struct xs_perm *perms, uint32_t nperms);
int tree_set(struct xs_store *st, const char *path, const char *value,
	     uint32_t len, bool set_value, const struct xs_perm *perms,
	     uint32_t nperms);
void tree_remove(struct xs_store *st, const char *path);
void tree_state(const struct xs_node *n, struct xs_nstate *s);
void tree_changed(struct xs_store *st);
void tree_domain_changed(struct xs_store *st, uint32_t domid);

/* ---- views: the tree, or a transaction's overlay on it (view.c) ---- */
bool view_get(struct xs_store *st, struct xs_txn *t, const char *path,
	      struct xs_nstate *s, bool record_read);
typedef int (*view_kid_fn)(const char *name, void *arg);
int view_kids(struct xs_store *st, struct xs_txn *t, const char *path,
	      view_kid_fn fn, void *arg);
int view_create(struct xs_store *st, struct xs_txn *t, const char *path,
		const char *value, uint32_t len, const struct xs_perm *perms,
		uint32_t nperms);
int view_set(struct xs_store *st, struct xs_txn *t, const char *path,
	     const char *value, uint32_t len, bool set_value,
	     const struct xs_perm *perms, uint32_t nperms);
int view_remove(struct xs_store *st, struct xs_txn *t, const char *path);

/* ---- permissions (perms.c) ---- */
int perms_parse(const char *const *args, unsigned n, struct xs_perm *out);
int perms_format(const struct xs_perm *p, uint32_t n, char *buf, size_t cap);
int perm_format_one(const struct xs_perm *p, char *buf, size_t cap);
uint32_t perms_for(const struct xs_conn *c, const struct xs_perm *p,
		   uint32_t n);
bool conn_is_owner(const struct xs_conn *c, const struct xs_perm *p,
		   uint32_t n);

/* ---- paths and payloads (wire.c) ---- */
int xs_path_canon(const struct xs_conn *c, const char *in, char *out,
		  size_t cap, bool allow_special);
bool xs_path_is_special(const char *p);
const char *xs_errname(int negerr);
int xs_split_args(char *payload, uint32_t len, const char **argv,
		  unsigned max, unsigned *argc);
int xs_parse_uint(const char *s, uint64_t max, uint64_t *out);
unsigned xs_path_depth(const char *p);

/* ---- domains and quotas (domain.c) ---- */
struct xs_domain *domain_get(struct xs_store *st, uint32_t domid, bool create);
void domain_nodes_add(struct xs_store *st, uint32_t owner, int delta);
unsigned domain_nodes(struct xs_store *st, uint32_t domid);
/* Frees d if it neither owns nodes nor is introduced. */
void domain_put(struct xs_store *st, struct xs_domain *d);
int xs_domain_introduce(struct xs_store *st, uint32_t domid, uint64_t gfn,
			uint32_t port);
void xs_domain_release(struct xs_store *st, struct xs_domain *d);
void domain_free_all(struct xs_store *st);
void xs_quota_hit(struct xs_conn *c, const char *what, unsigned limit);

/* ---- the total memory bound (memory.c) ---- */
#define XS_ALLOC_OVERHEAD 16     /* malloc's per-allocation bytes, roughly */
#define XS_MEM_LIMIT_DEFAULT ((size_t)1 << 30)
size_t xs_mem_used(const struct xs_store *st);
bool xs_mem_over(const struct xs_store *st, size_t more);
/* 0, or -ENOSPC (logged as a quota hit) if more bytes would pass it. */
int xs_mem_check(struct xs_conn *c, size_t more);
size_t xs_node_cost(const struct xs_node *n);

/* ---- quota sets (quota.c) ---- */
const struct xs_quota *xs_quota_of(const struct xs_conn *c);
/* "name=N" (or "name=none") into q; -EINVAL for an unknown name or a bad
 * number, -ERANGE for 0. */
int xs_quota_parse(struct xs_quota *q, const char *arg);
/* "name value\n" lines; returns the length written (snprintf's rule). */
int xs_quota_format(const struct xs_quota *q, const char *prefix, char *buf,
		    size_t cap);
/* The names, comma-separated, for usage messages. */
const char *xs_quota_names(void);

/* ---- watches (watch.c) ---- */
int watch_add(struct xs_conn *c, const char *abspath, const char *token,
	      bool relative, int depth);
int watch_remove(struct xs_conn *c, const char *abspath, const char *token);
void watch_remove_all(struct xs_conn *c);
void watch_fire(struct xs_store *st, const char *path,
		const struct xs_perm *perms, uint32_t nperms, bool removal);
void watch_fire_special(struct xs_store *st, const char *name, uint32_t domid);
void watch_trie_free(struct xs_store *st);

/* ---- transactions (txn.c) ---- */
int txn_start(struct xs_conn *c, uint32_t *id);
struct xs_txn *txn_find(struct xs_conn *c, uint32_t id);
int txn_end(struct xs_conn *c, struct xs_txn *t, bool commit);
void txn_end_all(struct xs_conn *c);
void txn_preimage(struct xs_store *st, const char *path,
		  const struct xs_node *n);
int txn_note_access(struct xs_txn *t, struct xs_conn *c);
int txn_node_delta(const struct xs_txn *t);
void txn_add_node_delta(struct xs_txn *t, int delta);
void txn_mark_fire(struct xs_txn *t, const char *path, bool removal);

/* ---- connections (conn.c) ---- */
struct xs_conn *xs_conn_new(struct xs_store *st, const struct xs_conn_ops *ops,
			    void *priv, uint32_t domid, bool privileged);
void xs_conn_destroy(struct xs_conn *c);
size_t xs_conn_feed(struct xs_conn *c, const void *buf, size_t len);
bool xs_conn_stalled(const struct xs_conn *c);
int xs_conn_flush(struct xs_conn *c);
int xs_conn_reply(struct xs_conn *c, uint32_t type, const struct xsd_sockmsg *req,
		  const void *payload, uint32_t len);
void xs_conn_event(struct xs_conn *c, const char *path, const char *token);
void xs_conn_reset(struct xs_conn *c);
void xs_conn_kill(struct xs_conn *c, const char *why);

/* ---- requests (ops*.c) ---- */
struct xs_req {
	struct xs_conn *c;
	const struct xsd_sockmsg *hdr;
	struct xs_txn *t;
	char *payload;            /* NUL-terminated copy, len bytes + NUL */
	uint32_t len;
	const char *argv[XENSTORE_PAYLOAD_MAX / 2 + 2];
	unsigned argc;
	char rsp[XENSTORE_PAYLOAD_MAX];
	uint32_t rsp_len;
};
void xs_dispatch(struct xs_conn *c, const struct xsd_sockmsg *hdr, char *payload);
int xs_rsp_str(struct xs_req *r, const char *s); /* appends s and its NUL */

#endif /* XS_CORE_H */
