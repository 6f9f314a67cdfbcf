/*
 * Connecting a vif's queues (frontend Initialised or Connected ->
 * backend Connected), and undoing that.
 *
 * F's keys are guest data: every number is range-checked before anything
 * is mapped, and a refusal names the domain, the vif, the queue and the
 * key. One queue: the keys sit in F itself; several
 * (F/multi-queue-num-queues = Q, 1 < Q <= PVX_NET_MAX_QUEUES): under
 * F/queue-0 .. F/queue-(Q-1), Linux's layout. A queue has either
 * event-channel (shared) or event-channel-tx + event-channel-rx (split).
 * Its tx and rx ring pages are mapped in one batch; it gets its own fd on
 * the vif's multi-queue TAP.
 *
 * attach (a restarted daemon finding B/state Connected) makes the engine
 * resume each ring from its published indices instead of starting empty.
 * After nb_rings_disconnect returns no page of this vif is mapped, no
 * port bound and no TAP fd open.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "netbackd.h"

/* A warning a guest caused, naming its domain, vif and queue (rate-limited). */
#define QWARN(q, fmt, ...) \
	nb_vif_log((q)->vif, PVX_LOG_WARN, "domain %d vif %u queue %u: " fmt, \
		   (int)(q)->vif->dev.domid, (q)->vif->dev.devid, (q)->index, __VA_ARGS__)

static int read_u32(struct nb_queue *q, const char *dir, const char *key, bool nonzero,
		    uint32_t *out)
{
	long long n;
	int rc = nb_xs_read_int(q->vif->d, dir, key, &n);

	if (rc == 0 && (n < (nonzero ? 1 : 0) || n > UINT32_MAX))
		rc = -ERANGE;
	if (rc < 0) {
		if (rc != -ENOENT || strncmp(key, "event-channel", 13) != 0)
			QWARN(q, "key %s: %s", key,
			      rc == -ENOENT ? "missing" : "not a valid number");
		return rc;
	}
	*out = (uint32_t)n;
	return 0;
}

static int map_rings(struct nb_queue *q, uint32_t tx_ref, uint32_t rx_ref)
{
	struct pvx_gnttab_map m[2] = { { .ref = tx_ref }, { .ref = rx_ref } };
	int rc = pvx_gnttab_map_batch(q->vif->d->gnt, q->vif->dev.domid, m, 2);

	if (rc < 0) {
		QWARN(q, "cannot map rings: %s", strerror(-rc));
		return rc;
	}
	if (m[0].status == GNTST_okay) {
		q->tx_sring = m[0].addr;
		q->tx_handle = m[0].handle;
		q->tx_mapped = true;
	}
	if (m[1].status == GNTST_okay) {
		q->rx_sring = m[1].addr;
		q->rx_handle = m[1].handle;
		q->rx_mapped = true;
	}
	if (q->tx_mapped && q->rx_mapped)
		return 0;
	QWARN(q, "ring grants refused: tx-ring-ref %u %s, rx-ring-ref %u %s", tx_ref,
	      pvx_gnttab_strstatus(m[0].status), rx_ref, pvx_gnttab_strstatus(m[1].status));
	return -EPERM;
}

static int bind_ports(struct nb_queue *q, const char *dir)
{
	struct nb_vif *v = q->vif;
	uint32_t tx, rx;
	int rc;

	if (read_u32(q, dir, "event-channel", true, &tx) == 0) {
		q->split = false;
	} else if (read_u32(q, dir, "event-channel-tx", true, &tx) == 0 &&
		   read_u32(q, dir, "event-channel-rx", true, &rx) == 0) {
		q->split = true;
	} else {
		QWARN(q, "%s", "neither event-channel nor event-channel-tx and -rx");
		return -EINVAL;
	}
	rc = pvx_evtchn_bind(v->d->ctl, v->dev.domid, tx, &q->tx_port);
	if (rc == 0) {
		q->tx_bound = true;
		if (q->split) {
			rc = pvx_evtchn_bind(v->d->ctl, v->dev.domid, rx, &q->rx_port);
			q->rx_bound = rc == 0;
		}
	}
	if (rc < 0)
		QWARN(q, "cannot bind event channel: %s", strerror(-rc));
	return rc;
}

static int connect_queue(struct nb_queue *q, const char *dir, bool attach)
{
	uint32_t tx_ref, rx_ref;
	int rc;

	if (read_u32(q, dir, "tx-ring-ref", false, &tx_ref) < 0 ||
	    read_u32(q, dir, "rx-ring-ref", false, &rx_ref) < 0)
		return -EINVAL;
	rc = map_rings(q, tx_ref, rx_ref);
	if (rc == 0)
		rc = bind_ports(q, dir);
	if (rc < 0)
		return rc;
	q->tap_fd = nb_tap_open_queue(q->vif->cfg.vifname);
	if (q->tap_fd < 0) {
		rc = q->tap_fd;
		QWARN(q, "cannot open TAP %s: %s", q->vif->cfg.vifname, strerror(-rc));
		return rc;
	}
	return nb_queue_start(q, attach);
}

static bool fe_flag(struct nb_vif *v, const char *key)
{
	long long n = 0;

	return nb_xs_read_int(v->d, v->dev.fe, key, &n) == 0 && n == 1;
}

int nb_rings_connect(struct nb_vif *v, bool attach)
{
	long long nq = 1;
	char dir[160];
	int rc;

	rc = nb_xs_read_int(v->d, v->dev.fe, "multi-queue-num-queues", &nq);
	if ((rc < 0 && rc != -ENOENT) || nq < 1 || nq > PVX_NET_MAX_QUEUES) {
		nb_vif_log(v, PVX_LOG_WARN, "domain %d vif %u: key multi-queue-num-queues: "
			   "not 1 to %d", (int)v->dev.domid, v->dev.devid, PVX_NET_MAX_QUEUES);
		return -EINVAL;
	}
	v->feat = (struct netback_features){
		.sg = fe_flag(v, "feature-sg"),
		.no_csum_offload = fe_flag(v, "feature-no-csum-offload"),
		.rx_notify = fe_flag(v, "feature-rx-notify"),
	};
	v->nr_queues = (unsigned)nq;
	for (unsigned i = 0; i < v->nr_queues; i++) {
		struct nb_queue *q = &v->q[i];

		memset(q, 0, sizeof(*q));
		q->vif = v;
		q->index = i;
		q->tap_fd = -1;
		if (nq == 1)
			snprintf(dir, sizeof(dir), "%s", v->dev.fe);
		else
			snprintf(dir, sizeof(dir), "%s/queue-%u", v->dev.fe, i);
		rc = connect_queue(q, dir, attach);
		if (rc < 0) {
			nb_rings_disconnect(v);
			return rc;
		}
	}
	v->connected = true;
	return 0;
}

void nb_rings_disconnect(struct nb_vif *v)
{
	for (unsigned i = 0; i < v->nr_queues; i++) {
		struct nb_queue *q = &v->q[i];
		uint32_t handles[2];
		unsigned n = 0;

		nb_queue_stop(q);
		if (q->tx_bound)
			pvx_evtchn_close(v->d->ctl, &q->tx_port);
		if (q->rx_bound)
			pvx_evtchn_close(v->d->ctl, &q->rx_port);
		q->tx_bound = q->rx_bound = false;
		if (q->tx_mapped)
			handles[n++] = q->tx_handle;
		if (q->rx_mapped)
			handles[n++] = q->rx_handle;
		if (n)
			pvx_gnttab_unmap_batch(v->d->gnt, handles, NULL, n);
		q->tx_mapped = q->rx_mapped = false;
		q->tx_sring = q->rx_sring = NULL;
		if (q->tap_fd >= 0)
			close(q->tap_fd);
		q->tap_fd = -1;
	}
	v->nr_queues = 0;
	v->connected = false;
}
