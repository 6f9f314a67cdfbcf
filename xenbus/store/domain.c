/*
 * The domain table: one entry per domid that owns nodes or was
 * introduced. It carries the per-domain node count behind the "nodes"
 * quota and, for introduced domains, the ring's gfn/port and connection.
 * Entries of domains that own nothing and are not introduced are dropped
 * so the table tracks live domains, not history.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "xs_core.h"

struct xs_domain *domain_get(struct xs_store *st, uint32_t domid, bool create)
{
	struct xs_domain *d;
	struct hmap_link *l;
	char key[12];

	snprintf(key, sizeof(key), "%u", domid);
	l = hmap_find(&st->domains, key);
	if (l)
		return hmap_entry(l, struct xs_domain, link);
	if (!create)
		return NULL;
	d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	snprintf(d->key, sizeof(d->key), "%u", domid);
	d->link.key = d->key;
	d->domid = domid;
	d->target = UINT32_MAX;
	if (hmap_insert(&st->domains, &d->link)) {
		free(d);
		return NULL;
	}
	return d;
}

void domain_put(struct xs_store *st, struct xs_domain *d)
{
	if (d->nodes || d->introduced || d->conn)
		return;
	hmap_remove(&st->domains, &d->link);
	free(d);
}

void domain_nodes_add(struct xs_store *st, uint32_t owner, int delta)
{
	struct xs_domain *d = domain_get(st, owner, delta > 0);

	if (!d)
		return;
	d->nodes = delta < 0 && d->nodes < (unsigned)-delta ? 0 : d->nodes + delta;
	if (delta < 0)
		domain_put(st, d);
}

unsigned domain_nodes(struct xs_store *st, uint32_t domid)
{
	struct xs_domain *d = domain_get(st, domid, false);

	return d ? d->nodes : 0;
}

void domain_free_all(struct xs_store *st)
{
	struct hmap_link *l, *tmp;

	hmap_for_each_safe(l, tmp, &st->domains) {
		hmap_remove(&st->domains, l);
		free(hmap_entry(l, struct xs_domain, link));
	}
	hmap_dispose(&st->domains);
}

/* Every hit is logged with the domid, but a guest hammering a limit gets
 * at most XS_LOG_BURST lines a second; the next line counts the rest. */
void xs_quota_hit(struct xs_conn *c, const char *what, unsigned limit)
{
	struct timespec ts;
	char more[48] = "";

	clock_gettime(CLOCK_MONOTONIC, &ts);
	if ((uint64_t)ts.tv_sec != c->log_second) {
		c->log_second = (uint64_t)ts.tv_sec;
		c->log_lines = 0;
	}
	if (c->log_lines >= XS_LOG_BURST) {
		c->log_suppressed++;
		return;
	}
	c->log_lines++;
	if (c->log_suppressed)
		snprintf(more, sizeof(more), " (%u more hits not logged)",
			 c->log_suppressed);
	c->log_suppressed = 0;
	pvx_log_warn("quota: domain %u hit %s limit %u (%s connection)%s",
	       c->domid, what, limit, c->ops ? c->ops->kind : "?", more);
}
