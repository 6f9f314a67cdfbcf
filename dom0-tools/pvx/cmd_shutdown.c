/*
 * pvx shutdown [-w] [-a] [-F] [DOMAIN]
 *
 * Interim until xenstore's control/shutdown exists: pvxd records a
 * poweroff as if the guest had asked (PVX_CTL_SHUTDOWN), which stops the
 * domain at once; the domain's monitor then applies on_poweroff
 * (default: destroy). A domain that is already shut down or crashed
 * (preserved) is left alone. -w waits through domain events: once for
 * "shut down or gone"; twice also for "gone", for at most GONE_WAIT_MS
 * after the shutdown, since a preserved domain (or one whose monitor
 * died) is never destroyed.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pvx/ctlclient.h>
#include <xen/public/sched.h>

#include "cmd.h"
#include "wait.h"

#define GONE_WAIT_MS 10000

static int collect(struct pvx_ctl *c, bool all, const char *arg,
		   int32_t **ids, size_t *n)
{
	struct pvx_ctl_dominfo *v;
	int rc;

	if (!all) {
		*ids = malloc(sizeof(**ids));
		*n = 1;
		return *ids ? pvx_resolve(c, arg, *ids) : -1;
	}
	rc = pvx_ctl_list(c, &v, n);
	if (rc < 0) {
		pvx_err("cannot list domains: %s", strerror(-rc));
		return rc;
	}
	*ids = calloc(*n ? *n : 1, sizeof(**ids));
	for (size_t i = 0; *ids && i < *n; i++)
		(*ids)[i] = v[i].domid ? v[i].domid : -1; /* never Dom0 */
	free(v);
	return *ids ? 0 : -1;
}

/* Sends the shutdown unless the domain already stopped; a slot that
 * needs no waiting becomes -1. */
static int request(struct pvx_ctl *c, int32_t *id)
{
	struct pvx_ctl_dominfo d;
	int rc;

	if (*id < 0)
		return 0;
	if (pvx_ctl_info(c, *id, &d) == 0 &&
	    (d.state == PVX_DOM_SHUTDOWN || d.state == PVX_DOM_CRASHED)) {
		*id = -1; /* already down (preserved): nothing to ask */
		return 0;
	}
	rc = pvx_ctl_shutdown(c, *id, SHUTDOWN_poweroff);
	if (rc < 0) {
		pvx_err("cannot shut down domain %d: %s", *id, strerror(-rc));
		*id = -1;
		return 1;
	}
	return 0;
}

static int wait_all(struct pvx_ctl *sub, struct pvx_ctl *c, int32_t *ids, size_t n,
		    bool gone)
{
	int32_t *again = gone ? malloc(n * sizeof(*again)) : NULL;
	int rc;

	if (gone && !again)
		return 1;
	if (again) /* the first wait clears the slots it is done with */
		memcpy(again, ids, n * sizeof(*again));
	rc = pvx_wait_doms(sub, c, ids, n, PVX_WAIT_STOPPED, -1);
	if (rc == 0 && again)
		rc = pvx_wait_doms(sub, c, again, n, PVX_WAIT_GONE, GONE_WAIT_MS);
	free(again);
	if (rc == -ETIMEDOUT) {
		printf("Shut down, but not destroyed within %d s "
		       "(on_poweroff=preserve, or no monitor)\n", GONE_WAIT_MS / 1000);
		return 0;
	}
	if (rc < 0) {
		pvx_err("lost pvxd while waiting");
		return 1;
	}
	return 0;
}

int cmd_shutdown(int argc, char **argv)
{
	struct pvx_ctl *c = NULL, *sub = NULL;
	int32_t *ids = NULL;
	size_t n = 0;
	int opt, waits = 0, rc = 1;
	bool all = false;

	optind = 0;
	while ((opt = getopt(argc, argv, "+waF")) != -1) {
		if (opt == 'w')
			waits++;
		else if (opt == 'a')
			all = true;
		else if (opt != 'F')
			return pvx_usage_err("shutdown", "unknown option");
	}
	if (argc - optind != (all ? 0 : 1))
		return pvx_usage_err("shutdown", all ? "-a takes no DOMAIN" : "expected one DOMAIN");
	c = pvx_connect();
	if (!c || (waits && !(sub = pvx_wait_open())))
		goto out;
	if (collect(c, all, argv[optind], &ids, &n) < 0)
		goto out;
	rc = 0;
	for (size_t i = 0; i < n; i++)
		rc |= request(c, &ids[i]);
	if (waits)
		rc |= wait_all(sub, c, ids, n, waits > 1);
out:
	free(ids);
	pvx_ctl_close(sub);
	pvx_ctl_close(c);
	return rc;
}
