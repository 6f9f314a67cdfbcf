/*
 * The request-level node operations, shared by the handlers in
 * ops_node.c: permission checks that do not leak existence, and creation
 * with implicit parents under the node quota. Each works on a view: the
 * committed tree (t == NULL) or a transaction.
 */
#ifndef XS_STORE_H
#define XS_STORE_H

#include "xs_core.h"

/* 0 and *s filled if c may access path with want; -EACCES if the node or
 * its deepest existing ancestor denies it; -ENOENT if missing. */
int store_access(struct xs_conn *c, struct xs_txn *t, const char *path,
		 uint32_t want, struct xs_nstate *s, bool record);
/* Writes (or, set_value false, makes sure of) path, creating parents. */
int store_ensure(struct xs_conn *c, struct xs_txn *t, const char *path,
		 const char *value, uint32_t len, bool set_value);
int store_rm(struct xs_conn *c, struct xs_txn *t, const char *path);
int store_set_perms(struct xs_conn *c, struct xs_txn *t, const char *path,
		    const struct xs_perm *perms, uint32_t n);
/* Fires watches now, or at commit for a transaction. */
void store_fire(struct xs_conn *c, struct xs_txn *t, const char *path,
		const struct xs_perm *perms, uint32_t n, bool removal);

#endif /* XS_STORE_H */
