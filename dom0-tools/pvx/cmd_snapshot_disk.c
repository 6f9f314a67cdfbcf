/*
 * Disk copies for snapshots: FICLONE (a reflink: instant, shares blocks
 * copy-on-write) where the file system can (btrfs, XFS, ...), else a
 * sparse copy that reads only the data ranges (SEEK_DATA/SEEK_HOLE) and
 * leaves holes as holes. Always into DST.part then renamed, so a copy
 * is whole or absent.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd_snapshot.h"

static int copy_range(int in, int out, off_t from, off_t to)
{
	static char buf[1 << 20];

	while (from < to) {
		size_t want = (size_t)(to - from) < sizeof(buf) ? (size_t)(to - from) : sizeof(buf);
		ssize_t got = pread(in, buf, want, from), put = 0;

		if (got <= 0)
			return got < 0 ? -errno : -EIO;
		while (put < got) {
			ssize_t w = pwrite(out, buf + put, (size_t)(got - put), from + put);
			if (w < 0)
				return -errno;
			put += w;
		}
		from += got;
	}
	return 0;
}

static int sparse_copy(int in, int out, off_t size)
{
	off_t at = 0;
	int rc = 0;

	if (ftruncate(out, size) < 0)
		return -errno;
	while (rc == 0 && at < size) {
		off_t data = lseek(in, at, SEEK_DATA), hole;

		if (data < 0)
			return errno == ENXIO ? 0 : -errno;
		hole = lseek(in, data, SEEK_HOLE);
		if (hole < 0)
			hole = size;
		rc = copy_range(in, out, data, hole);
		at = hole;
	}
	return rc;
}

int pvx_snap_copy(const char *src, const char *dst, bool *reflinked)
{
	char part[4200];
	struct stat sb;
	int in, out, rc = 0;

	snprintf(part, sizeof(part), "%s.part", dst);
	in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -errno;
	if (fstat(in, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		close(in);
		return -EINVAL; /* block devices are not copied */
	}
	out = open(part, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, sb.st_mode & 0777);
	if (out < 0) {
		rc = -errno;
		close(in);
		return rc;
	}
	*reflinked = ioctl(out, FICLONE, in) == 0;
	if (!*reflinked)
		rc = sparse_copy(in, out, sb.st_size);
	if (rc == 0 && fsync(out) < 0)
		rc = -errno;
	close(in);
	if (close(out) < 0 && rc == 0)
		rc = -errno;
	if (rc == 0 && rename(part, dst) < 0)
		rc = -errno;
	if (rc < 0)
		unlink(part);
	return rc;
}
