/*
 * PV control: asking a guest to power off or reboot the way Xen's
 * toolstack does (toolstack-xenstore.md §6.2, libxl_domain.c).
 *
 * Request: in one transaction per domain, check that control/shutdown
 * exists (the builder made it; without it nobody listens), that the
 * guest did not declare control/feature-<cmd> = "0", and write the
 * command. Acknowledgement: the guest empties the node (or it goes away
 * with the domain). We watch every requested node on one handle (the
 * watch's token is the slot index) and wait in poll() on xs_fileno: no
 * polling of xenstore or pvxd. Each event makes us re-read that node,
 * since events may be spurious. A guest that stays silent for the
 * timeout (libxl: 60 s) has its request withdrawn, so that a guest
 * whose control thread starts later does not act on a request its
 * toolstack gave up on.
 *
 * Without -F a silent or unable guest is an error; with -F pvx stops
 * the domain through pvxd instead (PVX_CTL_SHUTDOWN with the same
 * reason, so the domain's monitor applies on_poweroff/on_reboot as if
 * the guest had asked; destroy if even that fails).
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <pvx/ctlclient.h>
#include <pvx/xs.h>

#include "cmd.h"
#include "pvcontrol.h"

struct send_arg {
	int32_t domid;
	const char *cmd;
};

static void node(char *buf, size_t len, int32_t domid, const char *leaf)
{
	snprintf(buf, len, "/local/domain/%d/control/%s", domid, leaf);
}

static int send_txn(struct xs_handle *h, xs_transaction_t t, void *arg)
{
	const struct send_arg *a = arg;
	char path[96], *val = NULL;
	int rc;

	node(path, sizeof(path), a->domid, "shutdown");
	rc = xs_read(h, t, path, &val, NULL);
	free(val);
	if (rc < 0)
		return rc == -EACCES ? -ENOENT : rc;
	val = NULL;
	node(path, sizeof(path), a->domid, "feature-");
	strncat(path, a->cmd, sizeof(path) - strlen(path) - 1);
	if (xs_read(h, t, path, &val, NULL) == 0 && strcmp(val, "0") == 0) {
		free(val);
		return -EOPNOTSUPP;
	}
	free(val);
	node(path, sizeof(path), a->domid, "shutdown");
	return xs_write_str(h, t, path, a->cmd);
}

void pvx_pvcontrol_send(struct xs_handle *h, struct pvx_pvreq *r, size_t n,
			const char *cmd)
{
	for (size_t i = 0; i < n; i++) {
		struct send_arg a = { r[i].domid, cmd };

		if (r[i].domid < 0 || r[i].err)
			continue;
		r[i].err = xs_transaction_run(h, send_txn, &a, 0);
	}
}

/* Acknowledged: the node is empty or gone (so is a domain that died). */
static bool acked(struct xs_handle *h, int32_t domid)
{
	char path[96], *val = NULL;
	int rc;
	bool yes;

	node(path, sizeof(path), domid, "shutdown");
	rc = xs_read(h, XBT_NULL, path, &val, NULL);
	yes = rc == -ENOENT || (rc == 0 && val[0] == '\0');
	free(val);
	return yes;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool waiting(const struct pvx_pvreq *r)
{
	return r->domid >= 0 && !r->err && !r->acked;
}

/* A domain that stopped (or went) without acknowledging, e.g. it
 * crashed or its program ended: nothing is left to wait for. */
static void take_stopped(struct pvx_ctl *c, struct pvx_pvreq *r, size_t n)
{
	struct pvx_ctl_dominfo d;

	for (size_t i = 0; i < n; i++)
		if (waiting(&r[i]) && (pvx_ctl_info(c, r[i].domid, &d) < 0 ||
				       d.state == PVX_DOM_SHUTDOWN ||
				       d.state == PVX_DOM_CRASHED || d.state == PVX_DOM_DYING))
			r[i].acked = true;
}

/* Drains the ready events; re-reads the nodes they name (token: slot
 * index), or every domain's state (@releaseDomain). -EAGAIN when
 * drained, another errno when the connection failed. */
static int take_events(struct pvx_ctl *c, struct xs_handle *h, struct pvx_pvreq *r,
		       size_t n)
{
	char *path, *token;
	int rc;

	while ((rc = xs_read_watch(h, &path, &token, false)) == 0) {
		size_t i = strtoul(token, NULL, 10);

		if (strcmp(token, "released") == 0)
			take_stopped(c, r, n);
		else if (i < n && waiting(&r[i]) && acked(h, r[i].domid))
			r[i].acked = true;
		free(path);
	}
	return rc;
}

static size_t count_waiting(const struct pvx_pvreq *r, size_t n)
{
	size_t left = 0;

	for (size_t i = 0; i < n; i++)
		left += waiting(&r[i]);
	return left;
}

/* The toolstack gives up: withdraw the request if it is still there. */
static int cancel_txn(struct xs_handle *h, xs_transaction_t t, void *arg)
{
	const struct send_arg *a = arg;
	char path[96], *val = NULL;
	int rc;

	node(path, sizeof(path), a->domid, "shutdown");
	rc = xs_read(h, t, path, &val, NULL);
	if (rc == 0 && strcmp(val, a->cmd) == 0)
		rc = xs_write_str(h, t, path, "");
	free(val);
	return rc == -ENOENT ? 0 : rc;
}

void pvx_pvcontrol_wait(struct pvx_ctl *c, struct xs_handle *h, struct pvx_pvreq *r,
			size_t n, const char *cmd, int timeout_s)
{
	int64_t deadline = now_ms() + (int64_t)timeout_s * 1000;
	char path[96], token[24];

	for (size_t i = 0; i < n; i++) {
		if (!waiting(&r[i]))
			continue;
		node(path, sizeof(path), r[i].domid, "shutdown");
		snprintf(token, sizeof(token), "%zu", i);
		if ((r[i].err = xs_watch(h, path, token)) == 0 && acked(h, r[i].domid))
			r[i].acked = true;
	}
	/* pvxstored fires it when a domain shuts down or crashes; its first
	 * (registration) event makes us check every domain once. */
	if (count_waiting(r, n))
		xs_watch(h, "@releaseDomain", "released");
	while (count_waiting(r, n)) {
		struct pollfd p = { .fd = xs_fileno(h), .events = POLLIN };
		int64_t left = deadline - now_ms();

		if (left <= 0 || p.fd < 0)
			break;
		if (poll(&p, 1, (int)left) < 0 && errno != EINTR)
			break;
		if (take_events(c, h, r, n) != -EAGAIN)
			break; /* pvxstored went away: the rest cannot be heard */
	}
	for (size_t i = 0; i < n; i++) {
		struct send_arg a = { r[i].domid, cmd };

		if (!waiting(&r[i]))
			continue;
		xs_transaction_run(h, cancel_txn, &a, 0);
		r[i].err = -ETIMEDOUT;
	}
}

static void explain(const struct pvx_pvreq *r, const char *cmd, int timeout_s, bool force)
{
	const char *tail = force ? "; forcing it (-F)" : "; use -F to force it";

	if (r->err == -ENOTCONN)
		pvx_err("pvxstored is not running: cannot ask domain %s (id %d) to %s%s",
			r->name, r->domid, cmd, tail);
	else if (r->err == -ETIMEDOUT)
		pvx_err("domain %s (id %d) did not acknowledge the %s request within %d s%s",
			r->name, r->domid, cmd, timeout_s, tail);
	else if (r->err == -EOPNOTSUPP)
		pvx_err("domain %s (id %d) does not support %s (control/feature-%s = 0)%s",
			r->name, r->domid, cmd, cmd, tail);
	else if (r->err == -ENOENT)
		pvx_err("domain %s (id %d) has no control/shutdown node in xenstore%s",
			r->name, r->domid, tail);
	else
		pvx_err("cannot ask domain %s (id %d) to %s: %s%s", r->name, r->domid, cmd,
			strerror(-r->err), tail);
}

int pvx_pvcontrol_fallback(struct pvx_ctl *c, struct pvx_pvreq *r, const char *cmd,
			   int reason, bool force, int timeout_s)
{
	int rc;

	explain(r, cmd, timeout_s, force);
	if (!force)
		return 1;
	rc = pvx_ctl_shutdown(c, r->domid, reason);
	if (rc < 0 && rc != -ESRCH)
		rc = pvx_ctl_destroy(c, r->domid);
	if (rc < 0 && rc != -ESRCH) {
		pvx_err("cannot stop domain %s (id %d): %s", r->name, r->domid, strerror(-rc));
		return 1;
	}
	return 0;
}

int pvx_pvcontrol_run(struct pvx_ctl *c, int32_t *ids, char (*names)[PVX_NAME_MAX],
		      size_t n, const struct pvx_pvcontrol_opts *o)
{
	struct pvx_pvreq *r = calloc(n ? n : 1, sizeof(*r));
	struct xs_handle *h = NULL;
	int rc = 0, xrc;

	if (!r)
		return 1;
	xrc = xs_open(&h);
	for (size_t i = 0; i < n; i++)
		r[i] = (struct pvx_pvreq){ .domid = ids[i], .name = names[i],
					   .err = xrc < 0 ? -ENOTCONN : 0 };
	if (h) {
		pvx_pvcontrol_send(h, r, n, o->cmd);
		pvx_pvcontrol_wait(c, h, r, n, o->cmd, o->timeout_s);
	}
	for (size_t i = 0; i < n; i++) {
		if (r[i].domid < 0 || !r[i].err)
			continue;
		if (pvx_pvcontrol_fallback(c, &r[i], o->cmd, o->reason, o->force, o->timeout_s)) {
			ids[i] = -1; /* still up: nothing to wait for */
			rc = 1;
		}
	}
	if (h)
		xs_close(h);
	free(r);
	return rc;
}

int pvx_parse_secs(const char *s, int *out)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (!*s || *end || v < 1 || v > 86400)
		return -EINVAL;
	*out = (int)v;
	return 0;
}
