/*
 * The vbd table and the handshake's actions.
 *
 * Every xenstore event under B_ROOT = /local/domain/0/backend/vbd names a
 * (domid, devid); every event under a known vbd's frontend directory F
 * names that vbd. Either way the vbd is re-evaluated from scratch: read
 * B/state, F/state (absent = the frontend is gone), B/online, ask
 * blkback_fsm what to do, do it. Re-reading instead of tracking deltas
 * makes lost, merged or repeated watch events harmless, and it is also
 * how a restarted backend re-attaches: the initial watch event walks every
 * existing B and finds some already Connected.
 *
 * B/online = 0 (written by `pvx block-detach`) closes the vbd like a
 * frontend that went away. A vbd whose frontend domain is gone altogether
 * (no /local/domain/D) is closed and its B removed: nobody else would.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon.h"

int bb_vbd_set_state(struct bb_vbd *v, int state)
{
	v->state = state;
	pvx_log_debug("%s: state %d", v->dev.be, state);
	return bb_xs_printf(v->d, v->dev.be, "state", "%d", state);
}

static void disconnect(struct bb_vbd *v)
{
	bb_rings_disconnect(v);
	bb_disk_close(v);
}

static bool domain_exists(struct bb_vbd *v)
{
	char path[48], *val = NULL;
	int rc;

	snprintf(path, sizeof(path), "/local/domain/%d", (int)v->dev.domid);
	rc = xs_read(v->d->xs, XBT_NULL, path, &val, NULL);
	free(val);
	return rc != -ENOENT;
}

/* B, and B's parent (backend/vbd/D) once it holds no other device. */
static void remove_backend_dirs(struct bb_vbd *v)
{
	char parent[64], **names = NULL;
	unsigned n = 1;

	xs_rm(v->d->xs, XBT_NULL, v->dev.be);
	snprintf(parent, sizeof(parent), "%s/%d", BLKBACK_BE_ROOT, (int)v->dev.domid);
	if (xs_directory(v->d->xs, XBT_NULL, parent, &names, &n) == 0 && n == 0)
		xs_rm(v->d->xs, XBT_NULL, parent);
	free(names);
}

static void do_initwait(struct bb_vbd *v)
{
	if (v->fd < 0 && bb_disk_open(v) < 0) {
		bb_xs_printf(v->d, v->dev.be, "hotplug-status", "error");
		return; /* stays in Initialising: the toolstack sees no InitWait */
	}
	bb_disk_publish_features(v);
	bb_vbd_set_state(v, XenbusStateInitWait);
}

static void do_connect(struct bb_vbd *v, bool attach)
{
	if ((v->fd < 0 && bb_disk_open(v) < 0) || bb_rings_connect(v, attach) < 0) {
		disconnect(v);
		bb_vbd_set_state(v, XenbusStateClosing);
		return;
	}
	bb_disk_publish_geometry(v);
	bb_xs_printf(v->d, v->dev.be, "mode", "%s", v->info.readonly ? "r" : "w");
	bb_vbd_set_state(v, XenbusStateConnected);
	pvx_log_info("%s: connected (%u queue%s, %u-page ring%s)", v->dev.be, v->nr_queues,
	       v->nr_queues > 1 ? "s" : "", v->q[0].nr_pages, attach ? ", re-attached" : "");
}

/* Per-vbd counters, for the log (and the benchmark's notifications per request). */
static void log_stats(struct bb_vbd *v)
{
	struct blkback_ring_stats t = { 0 };

	for (unsigned i = 0; i < v->nr_queues; i++) {
		t.requests += v->q[i].ring.stats.requests;
		t.errors += v->q[i].ring.stats.errors;
		t.notifies_out += v->q[i].ring.stats.notifies_out;
		t.kicks += v->q[i].ring.stats.kicks;
	}
	pvx_log_info("%s: closed: %llu requests, %llu errors, %llu notifications to the "
	       "frontend, %llu ring wake-ups", v->dev.be, (unsigned long long)t.requests,
	       (unsigned long long)t.errors, (unsigned long long)t.notifies_out,
	       (unsigned long long)t.kicks);
}

static void do_close(struct bb_vbd *v, bool fe_gone)
{
	if (v->connected)
		log_stats(v);
	disconnect(v);
	if (v->state != XenbusStateClosing)
		bb_vbd_set_state(v, XenbusStateClosing);
	bb_vbd_set_state(v, XenbusStateClosed);
	if (fe_gone && !domain_exists(v)) {
		pvx_log_info("%s: domain %d is gone; removing the backend", v->dev.be,
		       (int)v->dev.domid);
		remove_backend_dirs(v);
		bb_vbd_remove(v);
	}
}

/* The frontend is Closing: drain, unmap, say Closing (and stay: the
 * frontend reads 5 and then writes Closed, as in Xen); it is Closed: the
 * same if still needed, say Closed. */
static void do_let_go(struct bb_vbd *v, int state)
{
	if (v->connected)
		log_stats(v);
	disconnect(v);
	bb_vbd_set_state(v, state);
}

/* Re-evaluates v from xenstore; may free v. */
void bb_vbd_update(struct bb_vbd *v)
{
	long long be = 0, fe = -1, online = 1;

	if (bb_xs_read_int(v->d, v->dev.be, "state", &be) == -ENOENT) {
		bb_vbd_remove(v);
		return;
	}
	if (bb_xs_read_int(v->d, v->dev.fe, "state", &fe) < 0)
		fe = -1;
	bb_xs_read_int(v->d, v->dev.be, "online", &online);
	if ((online == 0 && be != XenbusStateClosed) ||
	    (fe < 0 && !domain_exists(v))) {
		do_close(v, fe < 0);
		return;
	}
	switch (blkback_fsm((int)be, (int)fe, v->connected)) {
	case BLKBACK_INITWAIT:
		do_initwait(v);
		break;
	case BLKBACK_CONNECT:
		do_connect(v, be == XenbusStateConnected);
		break;
	case BLKBACK_CLOSE:
		do_close(v, fe < 0);
		break;
	case BLKBACK_CLOSING:
		do_let_go(v, XenbusStateClosing);
		break;
	case BLKBACK_CLOSED:
		do_let_go(v, XenbusStateClosed);
		break;
	case BLKBACK_RESET:
		disconnect(v);
		do_initwait(v);
		break;
	case BLKBACK_REMOVE:
		bb_vbd_remove(v);
		break;
	case BLKBACK_NONE:
		break;
	}
}
