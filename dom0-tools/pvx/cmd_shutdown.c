/*
 * pvx shutdown [-w] [-a] [-F] [-t SECS] [DOMAIN]
 *
 * Xen's cooperative shutdown (pvcontrol.c): "poweroff" goes into each
 * domain's control/shutdown, and pvx waits (at most SECS, default 60 s,
 * libxl's figure) for the guest to acknowledge by emptying it; the
 * guest then calls SCHEDOP_shutdown(poweroff) and its monitor applies
 * on_poweroff. A guest that does not acknowledge is an error unless -F,
 * which stops it through pvxd instead (PVX_CTL_SHUTDOWN, as if it had
 * asked). A domain that is already shut down or crashed (preserved) is
 * left alone. -w then waits through pvxd's domain events: once for
 * "shut down or gone"; twice also for "gone", for at most GONE_WAIT_MS,
 * since a preserved domain (or one whose monitor died) is never
 * destroyed. The subscription is made before the request, so no change
 * can slip by.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pvx/ctlclient.h>
#include <xen/public/sched.h>

#include "cmd.h"
#include "pvcontrol.h"
#include "wait.h"

#define GONE_WAIT_MS 10000

struct shutdown_opts {
	int waits;
	bool all;
	struct pvx_pvcontrol_opts pv;
};

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

/* Names for the messages; a domain already down (preserved) or gone
 * needs no request: its slot becomes -1. */
static void prepare(struct pvx_ctl *c, int32_t *ids, char (*names)[PVX_NAME_MAX], size_t n)
{
	struct pvx_ctl_dominfo d;

	for (size_t i = 0; i < n; i++) {
		if (ids[i] < 0)
			continue;
		if (pvx_ctl_info(c, ids[i], &d) < 0 || d.state == PVX_DOM_SHUTDOWN ||
		    d.state == PVX_DOM_CRASHED || d.state == PVX_DOM_DYING) {
			ids[i] = -1;
			continue;
		}
		snprintf(names[i], PVX_NAME_MAX, "%s", d.name);
	}
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

static int parse(int argc, char **argv, struct shutdown_opts *o)
{
	int opt;

	*o = (struct shutdown_opts){ .pv = { "poweroff", SHUTDOWN_poweroff, false,
					     PVX_PVCONTROL_TIMEOUT_S } };
	optind = 0;
	while ((opt = getopt(argc, argv, "+waFt:")) != -1) {
		if (opt == 'w')
			o->waits++;
		else if (opt == 'a')
			o->all = true;
		else if (opt == 'F')
			o->pv.force = true;
		else if (opt == 't' && pvx_parse_secs(optarg, &o->pv.timeout_s) == 0)
			continue;
		else if (opt == 't')
			return pvx_usage_err("shutdown", "bad -t SECONDS");
		else
			return pvx_opt_err("shutdown", "waFt:", argv);
	}
	if (argc - optind != (o->all ? 0 : 1))
		return pvx_usage_err("shutdown", o->all ? "-a takes no DOMAIN" : "expected one DOMAIN");
	return 0;
}

int cmd_shutdown(int argc, char **argv)
{
	struct pvx_ctl *c = NULL, *sub = NULL;
	struct shutdown_opts o;
	char (*names)[PVX_NAME_MAX] = NULL;
	int32_t *ids = NULL;
	size_t n = 0;
	int rc = parse(argc, argv, &o);

	if (rc)
		return rc;
	rc = 1;
	c = pvx_connect();
	if (!c || (o.waits && !(sub = pvx_wait_open())))
		goto out;
	if (collect(c, o.all, argv[optind], &ids, &n) < 0)
		goto out;
	names = calloc(n ? n : 1, sizeof(*names));
	if (!names)
		goto out;
	prepare(c, ids, names, n);
	rc = pvx_pvcontrol_run(c, ids, names, n, &o.pv);
	if (o.waits)
		rc |= wait_all(sub, c, ids, n, o.waits > 1);
out:
	free(names);
	free(ids);
	pvx_ctl_close(sub);
	pvx_ctl_close(c);
	return rc;
}
