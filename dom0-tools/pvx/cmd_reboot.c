/*
 * pvx reboot [-w] [-F] [-t SECS] DOMAIN
 *
 * Xen's cooperative reboot (pvcontrol.c): "reboot" goes into the
 * domain's control/shutdown and pvx waits (at most SECS, default 60 s)
 * for the guest's acknowledgement; the guest then calls
 * SCHEDOP_shutdown(reboot) and its monitor applies on_reboot (default:
 * restart = destroy + build the same config again). Without an
 * acknowledgement it fails, unless -F: then pvxd records the reboot as
 * if the guest had asked (PVX_CTL_SHUTDOWN, SHUTDOWN_reboot). -w waits
 * for the old domain to stop and then, for at most REBOOT_WAIT_MS, for a
 * new domain of that name to run, all through pvxd's events.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <pvx/ctlclient.h>
#include <xen/public/sched.h>

#include "cmd.h"
#include "pvcontrol.h"
#include "wait.h"

/* A restart takes milliseconds; a domain not back after this is taken
 * as not coming back (on_reboot = destroy or preserve). */
#define REBOOT_WAIT_MS 10000

/* The old domain stops (and is destroyed or renamed by its monitor);
 * then a domain with its name and another id must run. */
static int wait_back(struct pvx_ctl *sub, struct pvx_ctl *c, int32_t old,
		     const char *name)
{
	int32_t id = old, nid;
	int rc = pvx_wait_doms(sub, c, &id, 1, PVX_WAIT_STOPPED, -1);

	if (rc == 0)
		rc = pvx_wait_named(sub, c, name, old, REBOOT_WAIT_MS, &nid);
	if (rc == 0)
		printf("Domain %s restarted as id %d\n", name, nid);
	else if (rc == -ETIMEDOUT)
		printf("Domain %s (id %d) stopped and was not restarted within %d s\n",
		       name, old, REBOOT_WAIT_MS / 1000);
	return rc == -ETIMEDOUT ? 0 : rc;
}

static int parse(int argc, char **argv, bool *wait, struct pvx_pvcontrol_opts *o)
{
	int opt;

	*o = (struct pvx_pvcontrol_opts){ "reboot", SHUTDOWN_reboot, false,
					  PVX_PVCONTROL_TIMEOUT_S };
	optind = 0;
	while ((opt = getopt(argc, argv, "+wFt:")) != -1) {
		if (opt == 'w')
			*wait = true;
		else if (opt == 'F')
			o->force = true;
		else if (opt == 't' && pvx_parse_secs(optarg, &o->timeout_s) == 0)
			continue;
		else if (opt == 't')
			return pvx_usage_err("reboot", "bad -t SECONDS");
		else
			return pvx_opt_err("reboot", "wFt:", argv);
	}
	if (argc - optind != 1)
		return pvx_usage_err("reboot", "expected one DOMAIN");
	return 0;
}

int cmd_reboot(int argc, char **argv)
{
	struct pvx_pvcontrol_opts o;
	struct pvx_ctl_dominfo d;
	struct pvx_ctl *c = NULL, *sub = NULL;
	char name[1][PVX_NAME_MAX];
	int32_t domid;
	bool wait = false;
	int rc = parse(argc, argv, &wait, &o);

	if (rc)
		return rc;
	rc = 1;
	c = pvx_connect();
	if (!c || (wait && !(sub = pvx_wait_open())))
		goto out;
	if (pvx_resolve(c, argv[optind], &domid) < 0 || pvx_ctl_info(c, domid, &d) < 0)
		goto out;
	if (d.state == PVX_DOM_SHUTDOWN || d.state == PVX_DOM_CRASHED ||
	    d.state == PVX_DOM_DYING) {
		pvx_err("domain %s (id %d) is not running (%s): nothing to reboot",
			d.name, domid, pvx_state_name(d.state));
		goto out;
	}
	snprintf(name[0], sizeof(name[0]), "%s", d.name);
	rc = pvx_pvcontrol_run(c, &domid, name, 1, &o);
	if (rc == 0 && wait && wait_back(sub, c, domid, d.name) < 0) {
		pvx_err("lost pvxd while waiting");
		rc = 1;
	}
out:
	pvx_ctl_close(sub);
	pvx_ctl_close(c);
	return rc;
}
