/*
 * pvx block-detach DOMAIN VDEV: hot-unplug. pvx-blkback finishes the I/O
 * in flight (every request gets its response), unmaps the guest's pages
 * and reports Closed; then both xenstore directories go. If the backend
 * does not close within the timeout the directories are removed anyway
 * and the command fails, saying so.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pvx/ctlclient.h>

#include "cmd.h"
#include "cmd_block.h"

#define DETACH_TIMEOUT_MS 10000

int cmd_block_detach(int argc, char **argv)
{
	struct pvx_ctl *c;
	uint32_t devid;
	int32_t domid;
	int rc;

	if (argc != 3)
		return pvx_usage_err("block-detach", "expected DOMAIN VDEV");
	if (pvx_blk_vdev_devid(argv[2], &devid) < 0)
		return pvx_usage_err("block-detach", "bad VDEV '%s'", argv[2]);
	c = pvx_connect();
	if (!c)
		return 1;
	rc = pvx_resolve(c, argv[1], &domid);
	pvx_ctl_close(c);
	if (rc < 0)
		return 1;
	rc = pvx_blk_remove(domid, devid, DETACH_TIMEOUT_MS);
	if (rc == -ENOENT)
		pvx_err("domain %d has no disk %s", (int)domid, argv[2]);
	else if (rc == -ETIMEDOUT)
		pvx_err("%s: the backend did not close within %d s; removed anyway",
			argv[2], DETACH_TIMEOUT_MS / 1000);
	else if (rc < 0)
		pvx_err("cannot detach %s: %s", argv[2], strerror(-rc));
	return rc < 0;
}
