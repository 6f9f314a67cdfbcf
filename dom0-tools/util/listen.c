/*
 * A listening Unix socket that has its final mode from the moment
 * anyone can reach it (pvx/daemon.h, pvx_listen_unix).
 *
 * bind() creates the socket file with 0777 & ~umask; a chmod() after it
 * leaves a window in which, under umask 000, any user could connect to
 * a Dom0-only socket (seen during pvxstored restarts). umask() around
 * bind() would do, but it is process-wide and pvxd has threads. So the
 * socket is bound in a fresh 0700 directory beside its final path, where
 * nobody else can reach it, given its mode there, and renamed into
 * place: rename() also replaces a stale socket atomically, so clients
 * never see the path missing during a restart.
 *
 * Lengths: the limit is the final path's, the one clients put in their
 * sockaddr_un (sizeof(sun_path) - 1 bytes and a NUL). The temporary
 * "<dir>/.sXXXXXX/s" is 9 bytes longer than "<dir>/s", so when it does
 * not fit, it is bound as "/proc/self/fd/N/s" through an O_PATH
 * descriptor of the private directory: the longest valid path works, and
 * a longer one is refused up front instead of being renamed into a file
 * no client can name.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <pvx/daemon.h>

/* "<dir of path>/.sXXXXXX" into tmpl; 0 or -ENAMETOOLONG. */
static int private_dir_template(const char *path, char *tmpl, size_t cap)
{
	const char *slash = strrchr(path, '/');
	int dirlen = slash ? (int)(slash - path) : 1;
	const char *dir = slash ? path : ".";
	int n;

	if (slash == path)
		dirlen = 0; /* "/sock": the root directory */
	n = snprintf(tmpl, cap, "%.*s/.sXXXXXX", dirlen, dir);
	return n < 0 || (size_t)n >= cap ? -ENAMETOOLONG : 0;
}

#define SUN_PATH_SIZE sizeof(((struct sockaddr_un *)0)->sun_path)

/* Binds fd at tmp ("<dir>/s"), or, if tmp is too long for sun_path, at
 * the same file named through an O_PATH descriptor of dir. */
static int bind_listen(int fd, const char *dir, const char *tmp, unsigned int mode,
		       int backlog)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int dfd = -1, rc = 0;

	if (strlen(tmp) < sizeof(sa.sun_path)) {
		strcpy(sa.sun_path, tmp);
	} else {
		dfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (dfd < 0)
			return -errno;
		snprintf(sa.sun_path, sizeof(sa.sun_path), "/proc/self/fd/%d/s", dfd);
	}
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || chmod(sa.sun_path, mode) ||
	    listen(fd, backlog))
		rc = -errno;
	if (dfd >= 0)
		close(dfd);
	return rc;
}

int pvx_listen_unix(const char *path, int type, unsigned int mode, int backlog)
{
	char dir[PATH_MAX], tmp[PATH_MAX + 4];
	int fd, rc;

	if (strlen(path) >= SUN_PATH_SIZE)
		return -ENAMETOOLONG; /* no client could connect to it */
	rc = private_dir_template(path, dir, sizeof(dir));
	if (rc)
		return rc;
	if (!mkdtemp(dir))  /* mode 0700 whatever the umask */
		return -errno;
	snprintf(tmp, sizeof(tmp), "%s/s", dir);
	fd = socket(AF_UNIX, type | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		rc = -errno;
		goto out;
	}
	rc = bind_listen(fd, dir, tmp, mode, backlog);
	if (!rc && rename(tmp, path))
		rc = -errno;
	if (rc) {
		close(fd);
		unlink(tmp);
	}
out:
	rmdir(dir);
	return rc ? rc : fd;
}

void pvx_listen_unix_error(const char *path, int err, char *buf, size_t len)
{
	if (err == -ENAMETOOLONG && strlen(path) >= SUN_PATH_SIZE)
		snprintf(buf, len, "cannot listen on %s: the path is %zu bytes, a Unix"
			 " socket's is at most %zu (use a shorter run directory)",
			 path, strlen(path), SUN_PATH_SIZE - 1);
	else
		snprintf(buf, len, "cannot listen on %s: %s", path, strerror(-err));
}
