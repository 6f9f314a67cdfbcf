/*
 * One netif queue: a tx ring and an rx ring (each one page), the grant
 * ops, the sink and notify callbacks, counters, and the batch scratch
 * allocated here once so that the data path allocates nothing.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "netback_int.h"

int netback_queue_init(struct netback_queue *q, const struct netback_queue_cfg *cfg)
{
	int rc;

	memset(q, 0, sizeof(*q));
	if (!cfg->tx_sring || !cfg->rx_sring || !cfg->gops || !cfg->gops->map_batch ||
	    !cfg->gops->unmap_batch || !cfg->sink || !cfg->notify)
		return -EINVAL;
	if (cfg->attach)
		rc = netif_tx_back_attach(&q->tx, cfg->tx_sring, NETBACK_PAGE_SIZE) ?:
		     netif_rx_back_attach(&q->rx, cfg->rx_sring, NETBACK_PAGE_SIZE);
	else
		rc = netif_tx_back_init(&q->tx, cfg->tx_sring, NETBACK_PAGE_SIZE) ?:
		     netif_rx_back_init(&q->rx, cfg->rx_sring, NETBACK_PAGE_SIZE);
	if (rc < 0)
		return -EINVAL;
	q->scr = calloc(1, sizeof(*q->scr));
	if (!q->scr)
		return -ENOMEM;
	q->feat = cfg->feat;
	q->gops = cfg->gops;
	q->gctx = cfg->gctx;
	q->sink = cfg->sink;
	q->sink_ctx = cfg->sink_ctx;
	q->notify = cfg->notify;
	q->notify_ctx = cfg->notify_ctx;
	return 0;
}

void netback_queue_dispose(struct netback_queue *q)
{
	free(q->scr);
	q->scr = NULL;
}

void netback_unmap_ok(struct netback_queue *q, unsigned n)
{
	struct netback_scratch *s = q->scr;
	unsigned k = 0;

	for (unsigned i = 0; i < n; i++)
		if (s->errs[i] == 0)
			s->handles[k++] = s->handles[i];
	if (k)
		q->gops->unmap_batch(q->gctx, s->handles, k);
}

uint64_t netback_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}
