/*
 * PV control requests for `pvx shutdown` and `pvx reboot` (pvcontrol.c):
 * Xen's protocol through the guest's control/shutdown node.
 */
#ifndef PVX_CLI_PVCONTROL_H
#define PVX_CLI_PVCONTROL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pvx/ctl.h>

struct pvx_ctl;
struct xs_handle;

/* libxl waits this long for a guest's acknowledgement. */
#define PVX_PVCONTROL_TIMEOUT_S 60

struct pvx_pvreq {
	int32_t domid;       /* -1: slot unused or finished */
	const char *name;    /* for messages */
	bool acked;
	int err;             /* why the request could not be made, or 0 */
};

/* Writes cmd ("poweroff", "reboot") into each live slot's
 * /local/domain/<id>/control/shutdown, in one transaction per domain.
 * A slot that cannot be asked gets err: -ENOENT (no control node: the
 * domain has no xenstore keys), -EOPNOTSUPP (control/feature-<cmd> is
 * "0": the guest said it will not answer). */
void pvx_pvcontrol_send(struct xs_handle *h, struct pvx_pvreq *r, size_t n,
			const char *cmd);
/* Waits, through xenstore watches, until every sent slot's node is empty
 * or gone (the acknowledgement), or its domain stopped anyway (seen
 * through @releaseDomain, checked with c), at most timeout_s. Slots still waiting
 * then have their request withdrawn (the node is reset to "" if it still
 * holds cmd, as libxl cancels) and err = -ETIMEDOUT. */
void pvx_pvcontrol_wait(struct pvx_ctl *c, struct xs_handle *h, struct pvx_pvreq *r,
			size_t n, const char *cmd, int timeout_s);
/* A slot that failed: prints why; with force, stops the domain through
 * pvxd instead (PVX_CTL_SHUTDOWN with reason, else destroy). 0 if the
 * domain is on its way down, 1 if not. */
int pvx_pvcontrol_fallback(struct pvx_ctl *c, struct pvx_pvreq *r, const char *cmd,
			   int reason, bool force, int timeout_s);

struct pvx_pvcontrol_opts {
	const char *cmd;     /* "poweroff" or "reboot" */
	int reason;          /* SHUTDOWN_* for the -F fallback */
	bool force;          /* -F */
	int timeout_s;       /* for the acknowledgement */
};

/* The whole request for n domains (ids[i] < 0: skip): send, wait for
 * the acknowledgements, fall back or report. A domain left running has
 * its id set to -1. 0 if every domain is on its way down, else 1. */
int pvx_pvcontrol_run(struct pvx_ctl *c, int32_t *ids, char (*names)[PVX_NAME_MAX],
		      size_t n, const struct pvx_pvcontrol_opts *o);

/* -t SECONDS: 1..86400. */
int pvx_parse_secs(const char *s, int *out);

#endif
