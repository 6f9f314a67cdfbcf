/*
 * pvxstored's total memory bound (docs/xenstore.md, "Memory"). The
 * per-connection quotas bound what one client holds; this bounds the sum
 * of everyone, as counted: the tree's nodes (tree.c), output queued for
 * clients (conn.c) and transactions' node copies (txn.c). Over the limit:
 *  - a write, mkdir or set-perms is refused with ENOSPC (Xen's answer for
 *    a quota), whatever the connection, Dom0 included; rm still works,
 *    so the toolstack can clean up;
 *  - TRANSACTION_START answers ENOSPC; a transaction that needs another
 *    node copy is doomed (EAGAIN at commit);
 *  - watch events are dropped, with the same log line as a full queue.
 * Replies are not refused: the outstanding quota bounds them per
 * connection. Each hit is logged like a quota hit (rate-limited).
 */
#include <errno.h>
#include <string.h>

#include "xs_core.h"

size_t xs_mem_used(const struct xs_store *st)
{
	return st->mem_nodes + st->mem_out + st->mem_txn;
}

bool xs_mem_over(const struct xs_store *st, size_t more)
{
	return st->mem_limit && xs_mem_used(st) + more > st->mem_limit;
}

int xs_mem_check(struct xs_conn *c, size_t more)
{
	if (!xs_mem_over(c->st, more))
		return 0;
	xs_quota_hit(c, "memory (MiB)", (unsigned)(c->st->mem_limit >> 20));
	return -ENOSPC;
}

size_t xs_node_cost(const struct xs_node *n)
{
	/* Four allocations (node, name, value, perms) and, in its parent's
	 * table, up to two bucket pointers (the table doubles at load 1). */
	return sizeof(*n) + XS_ALLOC_OVERHEAD * 4 + strlen(n->name) + 1 +
	       n->len + n->nperms * sizeof(n->perms[0]) + 2 * sizeof(void *);
}
