/*
 * Domain lifecycle from pvxd (dom_events.c): a domain that shuts down,
 * crashes or dies fires @releaseDomain, as Xen's xenstored does on
 * VIRQ_DOM_EXC; a dead domain is released even if no toolstack says so.
 */
#ifndef XS_DOM_EVENTS_H
#define XS_DOM_EVENTS_H

#include <pvx/ctl.h>

#include "xs_core.h"

struct dom_events;

/* Subscribes to pvxd's domain events (retrying every second while pvxd
 * is not there); never fails for pvxd's absence. */
int dom_events_start(struct xs_store *st, struct dom_events **out);
void dom_events_stop(struct dom_events *de);
/* What one event does to the store (also used by the unit tests). */
void dom_events_apply(struct xs_store *st, const struct pvx_ctl_event *ev);

/* pvxd went away and its domains with it (dom_lost.c, decision P30):
 * releases every introduced domain, purges every domain's tree, backend
 * directories and /vm entry, and resets the ring backend's pvxd
 * connection. Returns how many domain trees went. */
unsigned xs_platform_lost(struct xs_store *st);
/* Removes what the toolstack removes on destroy for domid. */
void xs_domain_purge(struct xs_store *st, uint32_t domid);

#endif /* XS_DOM_EVENTS_H */
