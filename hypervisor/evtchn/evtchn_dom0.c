/*
 * evtchn_dom0: Dom0's ports. Dom0 is host user space: each port belongs
 * to the control connection that bound it (its `owner`), delivery writes
 * the port's eventfd, and the owner's close closes them all.
 */
#include <errno.h>
#include <stddef.h>

#include "evtchn.h"
#include "evtchn_impl.h"

int evtchn_dom0_bind(void *owner, domid_t rdom, evtchn_port_t rport,
		     int event_fd, evtchn_port_t *port)
{
	int rc;

	evtchn_lock();
	rc = ev_bind_interdomain_locked(PVX_DOM0, rdom, rport, port);
	if (rc == 0) {
		struct port *pt = &ev_doms[PVX_DOM0]->ports[*port];

		pt->owner = owner;
		pt->event_fd = event_fd;
		ev_signal_fd(event_fd); /* as in evtchn_bind_interdomain */
	}
	evtchn_unlock();
	return rc;
}

static struct port *owned(void *owner, evtchn_port_t port)
{
	struct port *pt = ev_port(ev_doms[PVX_DOM0], port);

	return pt && pt->state != EVTCHNSTAT_closed && pt->owner == owner ? pt : NULL;
}

int evtchn_dom0_close(void *owner, evtchn_port_t port)
{
	int rc = -EINVAL;

	evtchn_lock();
	if (owned(owner, port)) {
		ev_port_close(ev_doms[PVX_DOM0], port);
		rc = 0;
	}
	evtchn_unlock();
	return rc;
}

int evtchn_dom0_send(void *owner, evtchn_port_t port)
{
	int rc = -EINVAL;

	evtchn_lock();
	if (owned(owner, port))
		rc = ev_send_locked(ev_doms[PVX_DOM0], port);
	evtchn_unlock();
	return rc;
}

void evtchn_dom0_close_owner(void *owner)
{
	evtchn_lock();
	for (evtchn_port_t p = 1; p < EVTCHN_MAX_PORTS; p++)
		if (owned(owner, p))
			ev_port_close(ev_doms[PVX_DOM0], p);
	evtchn_unlock();
}
