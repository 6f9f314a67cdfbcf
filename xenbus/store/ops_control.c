/*
 * XS_CONTROL (dom0 only): "check" verifies the tree's internal
 * consistency (node count, parent links, per-domain accounting),
 * "memreport" prints counts, "quota" prints the limits, "help" lists
 * these. Unknown commands are EINVAL.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ops.h"
#include "txn.h"

struct check {
	unsigned nodes;
	bool bad;
};

static void check_rec(struct xs_store *st, const struct xs_node *n,
		      struct check *ck)
{
	struct hmap_link *l;

	ck->nodes++;
	if (!n->nperms || !n->perms)
		ck->bad = true;
	hmap_for_each(l, &n->children) {
		const struct xs_node *k = hmap_entry(l, struct xs_node, link);

		if (k->parent != n || hmap_find(&n->children, k->name) != l)
			ck->bad = true;
		check_rec(st, k, ck);
	}
}

static int rsp_printf(struct xs_req *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int rsp_printf(struct xs_req *r, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(r->rsp + r->rsp_len, sizeof(r->rsp) - r->rsp_len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(r->rsp) - r->rsp_len)
		return -E2BIG;
	r->rsp_len += n;
	return 0;
}

static int ctl_check(struct xs_req *r)
{
	struct xs_store *st = r->c->st;
	struct check ck = { 0, false };
	struct hmap_link *l;
	unsigned owned = 0;

	check_rec(st, st->root, &ck);
	hmap_for_each(l, &st->domains)
		owned += hmap_entry(l, struct xs_domain, link)->nodes;
	if (ck.bad || ck.nodes != st->nnodes || owned != st->nnodes)
		return rsp_printf(r, "inconsistent: walked %u nodes, counted %u, "
				  "owned %u%s", ck.nodes, st->nnodes, owned,
				  ck.bad ? ", bad links" : "");
	return xs_rsp_str(r, "OK");
}

static int ctl_memreport(struct xs_req *r)
{
	struct xs_store *st = r->c->st;
	struct xs_conn *c;
	struct xs_txn *t;
	unsigned conns = 0, watches = 0, txns = 0;

	TAILQ_FOREACH(c, &st->conns, link) {
		conns++;
		watches += c->nwatches;
	}
	TAILQ_FOREACH(t, &st->open_txns, store_link)
		txns++;
	return rsp_printf(r, "nodes %u\ndomains %zu\nconnections %u\n"
			  "watches %u\ntransactions %u\ngeneration %llu\n"
			  "memory %zu\nmemory-nodes %zu\nmemory-output %zu\n"
			  "memory-transactions %zu\n",
			  st->nnodes, st->domains.count, conns, watches, txns,
			  (unsigned long long)st->gen, xs_mem_used(st),
			  st->mem_nodes, st->mem_out, st->mem_txn);
}

/* The guests' limits, then Dom0's with a "dom0-" prefix. */
static int ctl_quota(struct xs_req *r)
{
	const struct xs_store *st = r->c->st;
	size_t cap = sizeof(r->rsp) - r->rsp_len;
	int n = xs_quota_format(&st->quota, "", r->rsp + r->rsp_len, cap);

	if (n < 0 || (size_t)n >= cap)
		return -E2BIG;
	r->rsp_len += n;
	cap -= n;
	n = xs_quota_format(&st->dom0_quota, "dom0-", r->rsp + r->rsp_len, cap);
	if (n < 0 || (size_t)n >= cap)
		return -E2BIG;
	r->rsp_len += n;
	cap -= n;
	/* The daemon-wide bound, in MiB like pvxstored -m. */
	n = st->mem_limit ?
		snprintf(r->rsp + r->rsp_len, cap, "memory %zu\n", st->mem_limit >> 20) :
		snprintf(r->rsp + r->rsp_len, cap, "memory none\n");
	if (n < 0 || (size_t)n >= cap)
		return -E2BIG;
	r->rsp_len += n;
	return 0;
}

static int ctl_help(struct xs_req *r)
{
	return rsp_printf(r, "check\nmemreport\nquota\nhelp\n");
}

static const struct {
	const char *name;
	int (*fn)(struct xs_req *r);
} ctl_table[] = {
	{ "check", ctl_check },
	{ "memreport", ctl_memreport },
	{ "quota", ctl_quota },
	{ "help", ctl_help },
};

int op_control(struct xs_req *r)
{
	size_t i;

	for (i = 0; i < sizeof(ctl_table) / sizeof(ctl_table[0]); i++)
		if (strcmp(r->argv[0], ctl_table[i].name) == 0)
			return ctl_table[i].fn(r);
	return -EINVAL;
}
