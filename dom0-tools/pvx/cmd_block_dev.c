/*
 * A vbd's two xenstore directories, as libxl lays them out
 * (toolstack-xenstore.md §3.7, linux-pvh-abi.md §6.4), D = domid,
 * V = devid from the vdev name:
 *
 *   F = /local/domain/D/device/vbd/V        owner D, Dom0 may read
 *       backend, backend-id=0, state=1, virtual-device=V, device-type=disk
 *   B = /local/domain/0/backend/vbd/D/V     owner Dom0, D may read
 *       frontend, frontend-id=D, online=1, state=1, params, type, mode,
 *       dev, device-type=disk, removable=0, bootable=1, direct-io
 *
 * Both are written in one transaction, so pvx-blkback never sees half a
 * device. Nodes inherit their directory's permissions, so setting them on
 * F and B covers every key. Detach follows libxl: B/online=0, wait for
 * the backend to drain and report Closed, then remove both directories.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <pvx/config.h>
#include <pvx/xs.h>
#include <xen/public/io/xenbus.h>

#include "cmd_block.h"

int pvx_blk_vdev_devid(const char *vdev, uint32_t *devid)
{
	unsigned long disk = 0;
	const char *p;
	char *end;

	if (isdigit((unsigned char)vdev[0])) {
		unsigned long n = strtoul(vdev, &end, 10);
		if (*end || n == 0 || n > INT32_MAX)
			return -EINVAL;
		*devid = (uint32_t)n;
		return 0;
	}
	if (strncmp(vdev, "xvd", 3) != 0 || !vdev[3] || strlen(vdev) > 6)
		return -EINVAL;
	for (p = vdev + 3; *p; p++) { /* bijective base 26: a=1 .. z=26, aa=27 */
		if (*p < 'a' || *p > 'z')
			return -EINVAL;
		disk = disk * 26 + (unsigned long)(*p - 'a' + 1);
	}
	disk--;
	*devid = disk < 16 ? (uint32_t)((202u << 8) | (disk << 4))
			   : (uint32_t)((1u << 28) | (disk << 8));
	return 0;
}

struct add_ctx {
	int32_t domid;
	uint32_t devid;
	const struct pvx_disk_spec *disk;
	const char *target;
	bool blockdev;
	char fe[80], be[80];
};

static int put(struct xs_handle *h, xs_transaction_t t, const char *dir,
	       const char *key, const char *val)
{
	char path[160];

	snprintf(path, sizeof(path), "%s/%s", dir, key);
	return xs_write_str(h, t, path, val);
}

static int add_txn(struct xs_handle *h, xs_transaction_t t, void *arg)
{
	struct add_ctx *a = arg;
	struct xs_permission fe_perm[2] = { { (uint32_t)a->domid, XS_PERM_NONE },
					    { 0, XS_PERM_READ } };
	struct xs_permission be_perm[2] = { { 0, XS_PERM_NONE },
					    { (uint32_t)a->domid, XS_PERM_READ } };
	char *old = NULL, num[24], dom[16];
	int rc = 0;

	if (xs_read(h, t, a->be, &old, NULL) == 0) {
		free(old);
		return -EEXIST;
	}
	snprintf(num, sizeof(num), "%u", a->devid);
	snprintf(dom, sizeof(dom), "%d", (int)a->domid);
	rc |= xs_mkdir(h, t, a->fe) | xs_set_perms(h, t, a->fe, fe_perm, 2);
	rc |= xs_mkdir(h, t, a->be) | xs_set_perms(h, t, a->be, be_perm, 2);
	rc |= put(h, t, a->fe, "backend", a->be) | put(h, t, a->fe, "backend-id", "0");
	rc |= put(h, t, a->fe, "virtual-device", num) | put(h, t, a->fe, "device-type", "disk");
	rc |= put(h, t, a->fe, "state", "1");
	rc |= put(h, t, a->be, "frontend", a->fe) | put(h, t, a->be, "frontend-id", dom);
	rc |= put(h, t, a->be, "online", "1") | put(h, t, a->be, "params", a->target);
	rc |= put(h, t, a->be, "type", a->blockdev ? "phy" : "file");
	rc |= put(h, t, a->be, "mode", a->disk->readonly ? "r" : "w");
	rc |= put(h, t, a->be, "dev", a->disk->vdev) | put(h, t, a->be, "device-type", "disk");
	rc |= put(h, t, a->be, "removable", "0") | put(h, t, a->be, "bootable", "1");
	rc |= put(h, t, a->be, "direct-io", a->disk->direct ? "1" : "0");
	rc |= put(h, t, a->be, "state", "1");
	return rc ? -EIO : 0;
}

static void dirs(int32_t domid, uint32_t devid, char *fe, char *be, size_t len)
{
	snprintf(fe, len, "/local/domain/%d/device/vbd/%u", (int)domid, devid);
	snprintf(be, len, "/local/domain/0/backend/vbd/%d/%u", (int)domid, devid);
}

int pvx_blk_add(int32_t domid, const struct pvx_disk_spec *disk, char *err, size_t errlen)
{
	struct add_ctx a = { .domid = domid, .disk = disk };
	struct xs_handle *h = NULL;
	char *target = NULL;
	struct stat st;
	int rc;

	if (!disk->vdev || pvx_blk_vdev_devid(disk->vdev, &a.devid) < 0) {
		snprintf(err, errlen, "bad vdev '%s'", disk->vdev ? disk->vdev : "");
		return -EINVAL;
	}
	if (disk->format && strcmp(disk->format, "raw") != 0) {
		snprintf(err, errlen, "disk format '%s' is not supported (raw only)", disk->format);
		return -EINVAL;
	}
	if (!disk->target || !(target = realpath(disk->target, NULL)) || stat(target, &st) < 0 ||
	    (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode))) {
		snprintf(err, errlen, "disk target '%s' is not a file or block device",
			 disk->target ? disk->target : "");
		free(target);
		return -ENOENT;
	}
	a.target = target;
	a.blockdev = S_ISBLK(st.st_mode);
	dirs(domid, a.devid, a.fe, a.be, sizeof(a.fe));
	rc = xs_open(&h);
	if (rc == 0)
		rc = xs_transaction_run(h, add_txn, &a, 0);
	if (rc < 0)
		snprintf(err, errlen, rc == -EEXIST ? "%s: vdev %s is already attached"
			 : "%s: cannot write the vbd in xenstore: %s", disk->vdev,
			 rc == -EEXIST ? disk->vdev : strerror(-rc));
	xs_close(h);
	free(target);
	return rc;
}

static long long read_ll(struct xs_handle *h, const char *dir, const char *key)
{
	char path[160], *val = NULL;
	long long n = -1;

	snprintf(path, sizeof(path), "%s/%s", dir, key);
	if (xs_read(h, XBT_NULL, path, &val, NULL) == 0)
		n = strtoll(val, NULL, 10);
	free(val);
	return n;
}

/* Waits for B/state == Closed (or B gone) using a watch on B/state. */
static int wait_closed(struct xs_handle *h, const char *be, int timeout_ms)
{
	char path[160], *p, *tok;
	struct timespec t0, t1;
	int rc = -ETIMEDOUT;

	snprintf(path, sizeof(path), "%s/state", be);
	if (xs_watch(h, path, "detach") < 0)
		return -EIO;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		long long st = read_ll(h, be, "state");
		struct pollfd pfd = { xs_fileno(h), POLLIN, 0 };
		long left;

		if (st < 0 || st == XenbusStateClosed) {
			rc = 0;
			break;
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		left = timeout_ms - ((t1.tv_sec - t0.tv_sec) * 1000 +
				     (t1.tv_nsec - t0.tv_nsec) / 1000000);
		if (left <= 0)
			break;
		if (poll(&pfd, 1, (int)(left < 200 ? left : 200)) > 0 &&
		    xs_read_watch(h, &p, &tok, false) == 0)
			free(p);
	}
	xs_unwatch(h, path, "detach");
	return rc;
}

int pvx_blk_remove(int32_t domid, uint32_t devid, int timeout_ms)
{
	struct xs_handle *h = NULL;
	char fe[80], be[80], path[160];
	int rc;

	dirs(domid, devid, fe, be, sizeof(fe));
	rc = xs_open(&h);
	if (rc < 0)
		return rc;
	if (read_ll(h, be, "state") < 0) {
		xs_close(h);
		return -ENOENT;
	}
	snprintf(path, sizeof(path), "%s/online", be);
	xs_write_str(h, XBT_NULL, path, "0");
	rc = wait_closed(h, be, timeout_ms);
	xs_rm(h, XBT_NULL, fe);
	xs_rm(h, XBT_NULL, be);
	xs_close(h);
	return rc;
}

void pvx_blk_remove_all(int32_t domid)
{
	struct xs_handle *h = NULL;
	char be[64];

	if (xs_open(&h) < 0)
		return;
	snprintf(be, sizeof(be), "/local/domain/0/backend/vbd/%d", (int)domid);
	xs_rm(h, XBT_NULL, be);
	xs_close(h);
}
