/* Stub: replaced by the real queue.c in the next commit. */
#include "netback.h"
#include <errno.h>

int netback_queue_init(struct netback_queue *q, const struct netback_queue_cfg *cfg)
{
	(void)q; (void)cfg;
	return -EINVAL;
}

void netback_queue_dispose(struct netback_queue *q)
{
	(void)q;
}
