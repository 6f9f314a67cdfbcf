/* Waiting for domain state changes through pvxd's events (wait.c). */
#ifndef PVX_CLI_WAIT_H
#define PVX_CLI_WAIT_H

#include <stdint.h>

struct pvx_ctl;

enum pvx_wait_for {
	PVX_WAIT_STOPPED,  /* shut down, crashed, or gone */
	PVX_WAIT_GONE,     /* gone */
};

/* A subscribed connection; prints why on failure. */
struct pvx_ctl *pvx_wait_open(void);
/* Waits for every domid in ids[] (n of them) to reach `what`; a slot
 * is set to -1 once done. c answers the initial state check. 0, or
 * -ETIMEDOUT after timeout_ms (-1: none). */
int pvx_wait_doms(struct pvx_ctl *sub, struct pvx_ctl *c, int32_t *ids, size_t n,
		  enum pvx_wait_for what, int timeout_ms);
/* Waits for a domain called name other than old_id to be running;
 * returns its id, or -ETIMEDOUT. */
int pvx_wait_named(struct pvx_ctl *sub, struct pvx_ctl *c, const char *name,
		   int32_t old_id, int timeout_ms, int32_t *new_id);

#endif
