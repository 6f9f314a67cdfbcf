/*
 * A vif's handshake actions (netif.h's state diagram).
 *
 * Every xenstore event under B or under the vif's F re-evaluates the vif
 * from scratch: read B/state, F/state (absent = the frontend is gone),
 * B/online, ask the state machine what to do, do it. Re-reading instead
 * of tracking deltas makes lost, merged or repeated watch events
 * harmless, and it is how a restarted daemon re-attaches: the first scan
 * finds B/state 4 with F/state 4 and a vif holding no ring, and connects
 * it again over the TAP that survived (tap.c).
 *
 * The TAP is made (or re-opened) and attached before InitWait: a vif
 * whose configuration is wrong stays in state 1 with
 * B/hotplug-status=error and one log line naming the key. B removed (the
 * toolstack's destroy or network-detach) deletes the TAP and with it its
 * bridge port. A frontend whose domain is gone altogether has its B
 * removed here, as nobody else would.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netbackd.h"

int nb_xs_read_str(struct netbackd *d, const char *dir, const char *key, char *buf,
		   size_t cap)
{
	char path[200], *val = NULL;
	size_t len = 0;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", dir, key);
	rc = xs_read(d->xs, XBT_NULL, path, &val, &len);
	if (rc < 0)
		return rc;
	if (len >= cap || strlen(val) != len)
		rc = -E2BIG; /* too long, or a NUL inside */
	else
		memcpy(buf, val, (size_t)len + 1);
	free(val);
	return rc;
}

int nb_xs_read_int(struct netbackd *d, const char *dir, const char *key, long long *out)
{
	char buf[24], *end;
	long long n;
	int rc = nb_xs_read_str(d, dir, key, buf, sizeof(buf));

	if (rc < 0)
		return rc == -E2BIG ? -EINVAL : rc;
	errno = 0;
	n = strtoll(buf, &end, 10);
	if (!buf[0] || *end || errno)
		return -EINVAL;
	*out = n;
	return 0;
}

int nb_be_write(struct nb_vif *v, const struct backd_kv *kv, size_t n)
{
	return backd_be_write(v->d->xs, v->dev.be, kv, n);
}

int nb_be_printf(struct nb_vif *v, const char *key, const char *fmt, ...)
{
	struct backd_kv kv = { key, { 0 } };
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(kv.val, sizeof(kv.val), fmt, ap);
	va_end(ap);
	return nb_be_write(v, &kv, 1);
}

int nb_vif_set_state(struct nb_vif *v, int state)
{
	v->state = state;
	pvx_log_debug("%s: state %d", v->dev.be, state);
	return nb_be_printf(v, "state", "%d", state);
}

bool nb_vif_log_ok(struct nb_vif *v)
{
	uint64_t now = nb_now_ms();

	if (!v->log_window_ms || now - v->log_window_ms >= 60000) {
		v->log_window_ms = now;
		v->log_lines = 0;
	}
	if (v->log_lines < NB_VIF_LOG_BURST) {
		v->log_lines++;
		return true;
	}
	if (v->log_lines++ == NB_VIF_LOG_BURST)
		pvx_log_warn("%s: more than %d messages in a minute; the rest of this minute's "
			     "are suppressed", v->dev.be, NB_VIF_LOG_BURST);
	return false;
}

/* A configuration or connection problem: logged once per distinct text. */
static void vif_error(struct nb_vif *v, const char *msg)
{
	if (!strcmp(v->cfg_err, msg))
		return;
	nb_vif_log(v, PVX_LOG_ERR, "%s", msg);
	snprintf(v->cfg_err, sizeof(v->cfg_err), "%s", msg);
	nb_be_printf(v, "hotplug-status", "error");
}

/* The TAP exists, is configured and attached: the vif-* scripts' job. */
static int ensure_tap(struct nb_vif *v)
{
	char err[160], lp[48];
	int rc;

	if (v->tap_ready)
		return 0;
	if (nb_cfg_read(v, err, sizeof(err)) < 0) {
		vif_error(v, err);
		return -EINVAL;
	}
	v->cfg_ok = true;
	snprintf(lp, sizeof(lp), "domain %d vif %u", (int)v->dev.domid, v->dev.devid);
	rc = nb_tap_create(v->cfg.vifname);
	if (rc < 0) {
		snprintf(err, sizeof(err), "%s: cannot create TAP %s: %s", lp, v->cfg.vifname,
			 strerror(-rc));
		vif_error(v, err);
		return rc;
	}
	rc = nb_attach(&v->cfg, lp);
	if (rc < 0) {
		snprintf(err, sizeof(err), "%s: TAP %s not attached", lp, v->cfg.vifname);
		vif_error(v, err);
		return rc;
	}
	v->tap_ready = true;
	v->cfg_err[0] = '\0';
	nb_taps_save(v->d);
	nb_be_printf(v, "hotplug-status", "connected");
	if (v->cfg.script == NB_SCRIPT_BRIDGE)
		pvx_log_info("%s: TAP %s in bridge %s", lp, v->cfg.vifname, v->cfg.bridge);
	else
		pvx_log_info("%s: TAP %s routed (%u address%s)", lp, v->cfg.vifname,
			     v->cfg.nr_ips, v->cfg.nr_ips == 1 ? "" : "es");
	return 0;
}

/* The features and state 2 in one transaction: a frontend woken by
 * B/state = 2 finds every feature key already there. */
static void publish_features(struct nb_vif *v)
{
	static const struct { const char *key; int val; } f[] = {
		{ "feature-rx-copy", 1 }, { "feature-rx-flip", 0 }, { "feature-sg", 1 },
		{ "feature-gso-tcpv4", 0 }, { "feature-gso-tcpv6", 0 },
		{ "feature-split-event-channels", 1 }, { "feature-ipv6-csum-offload", 0 },
		{ "multi-queue-max-queues", PVX_NET_MAX_QUEUES },
		{ "state", XenbusStateInitWait },
	};
	struct backd_kv kv[sizeof(f) / sizeof(f[0])];

	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		kv[i].key = f[i].key;
		snprintf(kv[i].val, sizeof(kv[i].val), "%d", f[i].val);
	}
	if (nb_be_write(v, kv, sizeof(kv) / sizeof(kv[0])) == 0)
		v->state = XenbusStateInitWait;
}

static void do_initwait(struct nb_vif *v)
{
	if (ensure_tap(v) < 0)
		return; /* stays in Initialising: the toolstack sees no InitWait */
	publish_features(v);
}

static void do_connect(struct nb_vif *v, bool attach)
{
	long long copy = 0;
	char err[160];

	if (ensure_tap(v) < 0)
		return;
	if (nb_xs_read_int(v->d, v->dev.fe, "request-rx-copy", &copy) < 0 || copy != 1) {
		snprintf(err, sizeof(err), "domain %d vif %u: frontend lacks request-rx-copy",
			 (int)v->dev.domid, v->dev.devid);
		vif_error(v, err);
		return; /* the state stays: a frontend may still write it */
	}
	if (nb_rings_connect(v, attach) < 0) {
		nb_rings_disconnect(v);
		nb_vif_set_state(v, XenbusStateClosing);
		return;
	}
	v->cfg_err[0] = '\0';
	nb_vif_set_state(v, XenbusStateConnected);
	nb_vif_log(v, PVX_LOG_INFO, "%s: connected (%u queue%s, %s event channels%s)", v->dev.be,
		   v->nr_queues, v->nr_queues > 1 ? "s" : "",
		   v->q[0].split ? "split" : "shared", attach ? ", re-attached" : "");
}

static void log_stats(struct nb_vif *v)
{
	struct netback_stats st, *s = &st;

	nb_vif_stats(v, &st);
	nb_vif_log(v, PVX_LOG_INFO, "%s: closed: tx %llu packets %llu errors, rx %llu packets "
		   "%llu dropped, %llu notifications in, %llu out", v->dev.be,
		   (unsigned long long)s->tx_packets, (unsigned long long)s->tx_errors,
		   (unsigned long long)s->rx_packets, (unsigned long long)s->rx_dropped,
		   (unsigned long long)s->notify_in, (unsigned long long)s->notify_out);
}

static bool node_exists(struct netbackd *d, const char *path)
{
	char *val = NULL;
	int rc = xs_read(d->xs, XBT_NULL, path, &val, NULL);

	free(val);
	return rc != -ENOENT;
}

static bool domain_exists(struct nb_vif *v)
{
	char path[48];

	snprintf(path, sizeof(path), "/local/domain/%d", (int)v->dev.domid);
	return node_exists(v->d, path);
}

/* B, and B's parent (backend/vif/D) once it holds no other device. */
static void remove_backend_dirs(struct nb_vif *v)
{
	char parent[64], **names = NULL;
	unsigned n = 1;

	xs_rm(v->d->xs, XBT_NULL, v->dev.be);
	snprintf(parent, sizeof(parent), "%s/%d", PVX_NET_BE_ROOT, (int)v->dev.domid);
	if (xs_directory(v->d->xs, XBT_NULL, parent, &names, &n) == 0 && n == 0)
		xs_rm(v->d->xs, XBT_NULL, parent);
	free(names);
}

static void do_close(struct nb_vif *v, bool fe_gone)
{
	if (v->connected)
		log_stats(v);
	nb_rings_disconnect(v);
	pvx_gnttab_release_idle(v->d->gnt);
	if (v->state != XenbusStateClosing)
		nb_vif_set_state(v, XenbusStateClosing);
	nb_vif_set_state(v, XenbusStateClosed);
	if (fe_gone && !domain_exists(v)) {
		pvx_log_info("%s: domain %d is gone; removing the backend", v->dev.be,
			     (int)v->dev.domid);
		remove_backend_dirs(v);
		nb_vif_remove(v, true);
	}
}

/* The frontend is Closing: let go of its rings, say Closing (and stay:
 * the frontend reads 5 and then writes Closed, as in Xen); it is Closed:
 * the same if still needed, say Closed. */
static void do_let_go(struct nb_vif *v, int state)
{
	if (v->connected)
		log_stats(v);
	nb_rings_disconnect(v);
	pvx_gnttab_release_idle(v->d->gnt);
	nb_vif_set_state(v, state);
}

/* Re-evaluates v from xenstore; may free v. */
void nb_vif_update(struct nb_vif *v)
{
	long long be = 0, fe = -1, online = 1;
	enum netback_action act;

	if (nb_xs_read_int(v->d, v->dev.be, "state", &be) == -ENOENT) {
		if (!node_exists(v->d, v->dev.be))
			nb_vif_remove(v, true); /* B removed: the TAP goes too */
		return; /* or B is still being written: state comes last */
	}
	v->state = (int)be;
	if (nb_xs_read_int(v->d, v->dev.fe, "state", &fe) < 0)
		fe = -1;
	if (be != XenbusStateInitialising)
		ensure_tap(v); /* a restart: re-open the TAP of a vif past state 1 */
	nb_xs_read_int(v->d, v->dev.be, "online", &online);
	if ((online == 0 && be != XenbusStateClosed) || (fe < 0 && !domain_exists(v))) {
		do_close(v, fe < 0);
		return;
	}
	if (online == 0)
		return; /* being detached: a frontend back at 1 is no reason to reopen */
	act = netback_fsm((int)be, (int)fe, v->connected);
	if (act != NETBACK_NONE)
		pvx_log_debug("%s: be %lld fe %lld: %s", v->dev.be, be, fe, netback_action_name(act));
	switch (act) {
	case NETBACK_INITWAIT:
		do_initwait(v);
		break;
	case NETBACK_CONNECT:
		do_connect(v, be == XenbusStateConnected);
		break;
	case NETBACK_CLOSE:
		do_close(v, fe < 0);
		break;
	case NETBACK_CLOSING:
		do_let_go(v, XenbusStateClosing);
		break;
	case NETBACK_CLOSED:
		do_let_go(v, XenbusStateClosed);
		break;
	case NETBACK_RESET:
		nb_rings_disconnect(v);
		do_initwait(v);
		break;
	case NETBACK_NONE:
		break;
	}
}
