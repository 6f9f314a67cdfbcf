/*
 * blk-hotplug [MIB]: a guest that boots without a disk. It waits (60 s)
 * for one to be hot-attached, checks MIB MiB of it (default 4), then
 * keeps reading 64 KiB blocks until the disk is hot-detached. Detach must
 * be clean: every request in flight either completes or fails with an
 * error once the backend closes (never hangs), and the device directory
 * disappears.
 */
#include <xen/public/errno.h>
#include <xen/public/io/xenbus.h>

#include <minios/console.h>
#include <minios/lib.h>
#include <minios/program.h>
#include <minios/time.h>

#include "blk_util.h"
#include "programs.h"

static int wait_gone(uint32_t devid)
{
	uint64_t deadline = time_now_ns() + 20000000000ull;
	uint32_t ids[8];

	while (time_now_ns() < deadline) {
		int n = blkfront_list(ids, 8), found = 0;
		for (int i = 0; i < n; i++)
			found |= ids[i] == devid;
		if (!found)
			return 0;
		msleep(10);
	}
	return -XEN_ETIMEDOUT;
}

int prog_blk_hotplug(int argc, char **argv)
{
	static struct blkfront_dev d;
	uint64_t mib, rounds = 0;
	int64_t bad;
	int rc;

	if (arg_u64(argc, argv, 1, 4, &mib) < 0 || mib == 0)
		return fail("blk-hotplug: usage: blk-hotplug [MIB]");
	printk("blk-hotplug: waiting for a disk\n");
	rc = blk_open_disk(&d, 0, 60000, NULL);
	if (rc < 0)
		return fail("blk-hotplug: no disk appeared: %d", rc);
	rc = blk_pipeline(&d, BLKIF_OP_WRITE, mib << 20, 65536, 4, 3, &bad);
	if (rc == 0)
		rc = blk_pipeline(&d, BLKIF_OP_READ, mib << 20, 65536, 4, 3, &bad);
	if (rc || bad >= 0)
		return fail("blk-hotplug: attach check: %d, mismatch at %lld", rc, (long long)bad);
	pass("blk-hotplug attach %llu MiB", (unsigned long long)mib);
	do {
		rc = blk_pipeline(&d, BLKIF_OP_READ, mib << 20, 65536, 4, 0, &bad);
		rounds++;
	} while (rc == 0 && rounds < 100000);
	printk("blk-hotplug: I/O stopped after %llu rounds: %d (%llu requests)\n",
	       (unsigned long long)rounds, rc, (unsigned long long)d.requests);
	if (rc != -XEN_ENODEV && rc != 1)
		return fail("blk-hotplug: detach was not clean: %d", rc);
	blkfront_close(&d);
	if (wait_gone(d.devid) < 0)
		return fail("blk-hotplug: device/vbd/%u still there", d.devid);
	return pass("blk-hotplug detach");
}
