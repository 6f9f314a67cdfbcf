/*
 * pvx shutdown [-w] [-a] [-F] [DOMAIN]
 *
 * Interim until xenstore's control/shutdown exists: pvxd records a
 * poweroff as if the guest had asked (PVX_CTL_SHUTDOWN), which stops the
 * domain at once; the domain's monitor then applies on_poweroff
 * (default: destroy). -w waits through domain events: once for "shut
 * down or gone", twice for "gone" (xl's rule).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <pvx/ctlclient.h>
#include <xen/public/sched.h>

#include "cmd.h"
#include "wait.h"

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
	for (size_t i = 0; i < n; i++) {
		int r = ids[i] < 0 ? 0 : pvx_ctl_shutdown(c, ids[i], SHUTDOWN_poweroff);
		if (r < 0) {
			pvx_err("cannot shut down domain %d: %s", ids[i], strerror(-r));
			ids[i] = -1;
			rc = 1;
		}
	}
	if (waits && pvx_wait_doms(sub, c, ids, n, waits > 1 ? PVX_WAIT_GONE :
				   PVX_WAIT_STOPPED, -1) < 0) {
		pvx_err("lost pvxd while waiting");
		rc = 1;
	}
out:
	free(ids);
	pvx_ctl_close(sub);
	pvx_ctl_close(c);
	return rc;
}
