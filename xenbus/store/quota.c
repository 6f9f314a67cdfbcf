/*
 * The quota sets by name: pvxstored's -q/-Q options parse "name=N" here,
 * CONTROL quota prints them from the same table, and every check asks
 * xs_quota_of() which set binds a connection (guests' or Dom0's), so no
 * check is written as "unprivileged only" any more.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xs_core.h"

static const struct {
	const char *name;
	size_t off;
} quota_table[] = {
	{ "nodes", offsetof(struct xs_quota, nodes) },
	{ "node-size", offsetof(struct xs_quota, node_size) },
	{ "watches", offsetof(struct xs_quota, watches) },
	{ "transactions", offsetof(struct xs_quota, transactions) },
	{ "permissions", offsetof(struct xs_quota, perms) },
	{ "outstanding", offsetof(struct xs_quota, outstanding) },
	{ "transaction-nodes", offsetof(struct xs_quota, tx_nodes) },
	{ "watch-events", offsetof(struct xs_quota, events) },
	{ "transaction-bytes", offsetof(struct xs_quota, tx_bytes) },
};
#define NQUOTAS (sizeof(quota_table) / sizeof(quota_table[0]))

const struct xs_quota *xs_quota_of(const struct xs_conn *c)
{
	return c->privileged ? &c->st->dom0_quota : &c->st->quota;
}

static unsigned *field(struct xs_quota *q, size_t i)
{
	return (unsigned *)((char *)q + quota_table[i].off);
}

int xs_quota_parse(struct xs_quota *q, const char *arg)
{
	const char *eq = strchr(arg, '=');
	unsigned long long v;
	char *end;
	size_t i;

	if (!eq)
		return -EINVAL;
	for (i = 0; i < NQUOTAS; i++)
		if (strlen(quota_table[i].name) == (size_t)(eq - arg) &&
		    strncmp(arg, quota_table[i].name, eq - arg) == 0)
			break;
	if (i == NQUOTAS)
		return -EINVAL;
	if (strcmp(eq + 1, "none") == 0) {
		*field(q, i) = UINT_MAX;
		return 0;
	}
	errno = 0;
	v = strtoull(eq + 1, &end, 10);
	if (errno || end == eq + 1 || *end || eq[1] == '-' || v > UINT_MAX)
		return -EINVAL;
	if (v == 0)
		return -ERANGE;
	*field(q, i) = (unsigned)v;
	return 0;
}

int xs_quota_format(const struct xs_quota *q, const char *prefix, char *buf,
		    size_t cap)
{
	size_t i, n = 0;
	unsigned v;
	int k;

	for (i = 0; i < NQUOTAS; i++) {
		v = *field((struct xs_quota *)q, i);
		k = v == UINT_MAX ?
			snprintf(buf + n, n < cap ? cap - n : 0, "%s%s none\n",
				 prefix, quota_table[i].name) :
			snprintf(buf + n, n < cap ? cap - n : 0, "%s%s %u\n",
				 prefix, quota_table[i].name, v);
		if (k < 0)
			return k;
		n += (size_t)k;
	}
	return (int)n;
}

const char *xs_quota_names(void)
{
	return "nodes, node-size, watches, transactions, permissions, "
	       "outstanding, transaction-nodes, watch-events, transaction-bytes";
}
