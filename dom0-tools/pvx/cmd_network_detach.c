/*
 * pvx network-detach DOMAIN DEVID|MAC: hot-unplug a vif. The toolstack
 * asks the frontend to close (B/online=0, B/state=5, as libxl does);
 * pvx-netback stops the queues, unmaps the rings and reports Closed; then
 * both xenstore directories go and pvx-netback deletes the TAP. If the
 * backend does not close within the timeout the directories are removed
 * anyway and the command fails, saying so.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netif.h>
#include <pvx/ctlclient.h>

#include "cmd.h"
#include "cmd_network.h"

#define DETACH_TIMEOUT_MS 10000

/* A devid 0..PVX_NET_MAX_VIFS-1, or -1. */
static int parse_devid(const char *s)
{
	char *end;
	long n = strtol(s, &end, 10);

	return *s >= '0' && *s <= '9' && !*end && n < PVX_NET_MAX_VIFS ? (int)n : -1;
}

int cmd_network_detach(int argc, char **argv)
{
	struct pvx_ctl *c;
	bool by_mac;
	int32_t domid;
	int devid, rc;

	if (argc != 3)
		return pvx_usage_err("network-detach", "expected DOMAIN DEVID|MAC");
	by_mac = strchr(argv[2], ':') != NULL;
	devid = by_mac ? 0 : parse_devid(argv[2]);
	if (devid < 0)
		return pvx_usage_err("network-detach", "bad DEVID '%s' (0-%d, or a MAC)",
				     argv[2], PVX_NET_MAX_VIFS - 1);
	c = pvx_connect();
	if (!c)
		return 1;
	rc = pvx_resolve(c, argv[1], &domid);
	pvx_ctl_close(c);
	if (rc < 0)
		return 1;
	if (by_mac && (devid = pvx_net_find_mac(domid, argv[2])) < 0) {
		pvx_err("domain %d has no vif with MAC %s", (int)domid, argv[2]);
		return 1;
	}
	rc = pvx_net_remove(domid, (uint32_t)devid, DETACH_TIMEOUT_MS);
	if (rc == -ENOENT)
		pvx_err("domain %d has no vif %s", (int)domid, argv[2]);
	else if (rc == -ETIMEDOUT)
		pvx_err("vif %d: the backend did not close within %d s; removed anyway",
			devid, DETACH_TIMEOUT_MS / 1000);
	else if (rc < 0)
		pvx_err("cannot detach vif %s: %s", argv[2], strerror(-rc));
	return rc < 0;
}
