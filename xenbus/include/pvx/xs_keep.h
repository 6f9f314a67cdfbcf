/*
 * A long-lived daemon's xenstore watches in its libevent loop, kept alive
 * across pvxstored restarts (xenbus/lib/xs_keep.c): events go to fn; when
 * the connection is lost the watch descriptor leaves the loop (no spin on
 * its EOF), a timer reconnects with backoff (100 ms doubling to 2 s), the
 * watches are registered again and fire once, and fn rescans. One log
 * line per change of state.
 */
#ifndef PVX_XS_KEEP_H
#define PVX_XS_KEEP_H

#include <event2/event.h>
#include <pvx/xs.h>

struct xs_keep;
typedef void (*xs_keep_fn)(void *arg, const char *path, const char *token);

/* h stays the caller's (xs_close after xs_keep_stop). */
int xs_keep_start(struct event_base *base, struct xs_handle *h, xs_keep_fn fn,
		  void *arg, struct xs_keep **out);
void xs_keep_stop(struct xs_keep *k); /* NULL is fine */
/* How many times the connection was restored (tests, stats). */
unsigned xs_keep_reconnects(const struct xs_keep *k);

#endif /* PVX_XS_KEEP_H */
