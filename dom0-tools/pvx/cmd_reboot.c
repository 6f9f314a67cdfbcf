/*
 * pvx reboot [-w] [-F] DOMAIN
 *
 * Interim until xenstore's control/shutdown exists: pvxd records a
 * reboot as if the guest had asked (PVX_CTL_SHUTDOWN, SHUTDOWN_reboot);
 * the monitor applies on_reboot (default: restart = destroy + build the
 * same config again). -w waits for the old domain to stop and then, for
 * at most REBOOT_WAIT_MS, for a new domain of that name to run.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <pvx/ctlclient.h>
#include <xen/public/sched.h>

#include "cmd.h"
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

int cmd_reboot(int argc, char **argv)
{
	struct pvx_ctl_dominfo d;
	struct pvx_ctl *c = NULL, *sub = NULL;
	int32_t domid;
	int opt, rc = 1;
	bool wait = false;

	optind = 0;
	while ((opt = getopt(argc, argv, "+wF")) != -1) {
		if (opt == 'w')
			wait = true;
		else if (opt != 'F')
			return pvx_usage_err("reboot", "unknown option");
	}
	if (argc - optind != 1)
		return pvx_usage_err("reboot", "expected one DOMAIN");
	c = pvx_connect();
	if (!c || (wait && !(sub = pvx_wait_open())))
		goto out;
	if (pvx_resolve(c, argv[optind], &domid) < 0 || pvx_ctl_info(c, domid, &d) < 0)
		goto out;
	rc = pvx_ctl_shutdown(c, domid, SHUTDOWN_reboot);
	if (rc < 0) {
		pvx_err("cannot reboot '%s': %s", argv[optind], strerror(-rc));
		rc = 1;
		goto out;
	}
	rc = wait ? wait_back(sub, c, domid, d.name) : 0;
	if (rc < 0) {
		pvx_err("lost pvxd while waiting");
		rc = 1;
	}
out:
	pvx_ctl_close(sub);
	pvx_ctl_close(c);
	return rc;
}
