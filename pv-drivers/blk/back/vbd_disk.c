/*
 * The disk behind a vbd and the xenstore keys that describe it.
 *
 * B/params names a raw image file or a host block device, B/mode is "r"
 * or "w", B/direct-io "1" opens it O_DIRECT (the page cache is then
 * bypassed; the segments' 512-byte alignment satisfies it). The size is
 * taken once, at open: a vbd's geometry does not change while connected.
 * Features go out before InitWait (the frontend reads them when it sees
 * state 2), the geometry just before Connected, in the order
 * linux-pvh-abi.md §6.4 gives.
 *
 * Images on tmpfs or ramfs are read and written inline, on the daemon's
 * thread (unless -U): their I/O is a memory copy, but io_uring cannot
 * start it without blocking and hands every request to a worker thread,
 * a third busy thread beside the guest's vCPU and this one; measured in
 * docs/block.md ("Inline I/O on tmpfs").
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <linux/magic.h>
#include <unistd.h>

#include "daemon.h"

static bool memory_backed(int fd)
{
	struct stat st;
	struct statfs sf;

	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || fstatfs(fd, &sf) < 0)
		return false;
	return sf.f_type == TMPFS_MAGIC || sf.f_type == RAMFS_MAGIC;
}

static int disk_size(struct bb_vbd *v, uint64_t *bytes)
{
	struct stat st;
	unsigned int pbs = 512;

	if (fstat(v->fd, &st) < 0)
		return -errno;
	v->phys_sector = 4096;
	if (S_ISREG(st.st_mode)) {
		*bytes = (uint64_t)st.st_size;
		return 0;
	}
	if (!S_ISBLK(st.st_mode))
		return -ENOTBLK;
	if (ioctl(v->fd, BLKGETSIZE64, bytes) < 0)
		return -errno;
	if (ioctl(v->fd, BLKPBSZGET, &pbs) == 0 && pbs >= 512)
		v->phys_sector = pbs;
	return 0;
}

int bb_disk_open(struct bb_vbd *v)
{
	char path[160], *params = NULL, *mode = NULL;
	long long direct = 0;
	uint64_t bytes = 0;
	int rc, flags;

	snprintf(path, sizeof(path), "%s/params", v->dev.be);
	rc = xs_read(v->d->xs, XBT_NULL, path, &params, NULL);
	if (rc < 0)
		goto out;
	snprintf(path, sizeof(path), "%s/mode", v->dev.be);
	if (xs_read(v->d->xs, XBT_NULL, path, &mode, NULL) < 0)
		mode = NULL;
	bb_xs_read_int(v->d, v->dev.be, "direct-io", &direct);
	memset(&v->info, 0, sizeof(v->info));
	v->info.readonly = !mode || strcmp(mode, "w") != 0;
	v->direct = direct == 1;
	flags = (v->info.readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC |
		(v->direct ? O_DIRECT : 0);
	v->fd = open(params, flags);
	if (v->fd < 0) {
		rc = -errno;
		pvx_log_err("%s: cannot open %s: %s", v->dev.be, params, strerror(errno));
		goto out;
	}
	rc = disk_size(v, &bytes);
	if (rc < 0) {
		bb_disk_close(v);
		goto out;
	}
	v->info.sectors = bytes >> BLKIF_SECTOR_SHIFT;
	v->info.flush = v->info.barrier = true;
	v->info.discard = !v->info.readonly;
	v->info.max_indirect = PVX_BLK_MAX_INDIRECT_SEGS;
	v->info.inline_rw = !v->d->uring_only && memory_backed(v->fd);
	pvx_log_info("%s: %s, %llu sectors, %s%s%s", v->dev.be, params,
	       (unsigned long long)v->info.sectors, v->info.readonly ? "ro" : "rw",
	       v->direct ? ", O_DIRECT" : "", v->info.inline_rw ? ", inline I/O" : "");
out:
	free(params);
	free(mode);
	return rc;
}

void bb_disk_close(struct bb_vbd *v)
{
	if (v->fd >= 0)
		close(v->fd);
	v->fd = -1;
}

int bb_disk_publish_features(struct bb_vbd *v)
{
	struct blkbackd *d = v->d;
	int rc = 0;

	rc |= bb_xs_printf(d, v->dev.be, "max-ring-page-order", "%d", PVX_BLK_MAX_RING_ORDER);
	rc |= bb_xs_printf(d, v->dev.be, "multi-queue-max-queues", "%d", PVX_BLK_MAX_QUEUES);
	rc |= bb_xs_printf(d, v->dev.be, "feature-flush-cache", "1");
	rc |= bb_xs_printf(d, v->dev.be, "feature-barrier", "1");
	rc |= bb_xs_printf(d, v->dev.be, "feature-discard", "%d", v->info.discard);
	rc |= bb_xs_printf(d, v->dev.be, "discard-granularity", "4096");
	rc |= bb_xs_printf(d, v->dev.be, "discard-alignment", "0");
	rc |= bb_xs_printf(d, v->dev.be, "discard-secure", "0");
	rc |= bb_xs_printf(d, v->dev.be, "feature-persistent", "1");
	rc |= bb_xs_printf(d, v->dev.be, "feature-max-indirect-segments", "%d",
			   PVX_BLK_MAX_INDIRECT_SEGS);
	return rc ? -EIO : 0;
}

int bb_disk_publish_geometry(struct bb_vbd *v)
{
	struct blkbackd *d = v->d;
	int rc = 0;

	rc |= bb_xs_printf(d, v->dev.be, "sectors", "%llu", (unsigned long long)v->info.sectors);
	rc |= bb_xs_printf(d, v->dev.be, "sector-size", "512");
	rc |= bb_xs_printf(d, v->dev.be, "physical-sector-size", "%u", v->phys_sector);
	rc |= bb_xs_printf(d, v->dev.be, "info", "%d", v->info.readonly ? VDISK_READONLY : 0);
	return rc ? -EIO : 0;
}
