/* Stub: replaced by the real rx.c in the next commit. */
#include "netback.h"
#include <errno.h>

unsigned netback_rx_posted(struct netback_queue *q)
{
	(void)q;
	return 0;
}

unsigned netback_rx_arm(struct netback_queue *q)
{
	(void)q;
	return 0;
}

unsigned netback_rx_slots_for(const struct netback_queue *q, size_t len)
{
	(void)q; (void)len;
	return 0;
}

int netback_rx_deliver(struct netback_queue *q, const struct netback_rx_frame *f, unsigned n)
{
	(void)q; (void)f; (void)n;
	return -EIO;
}
