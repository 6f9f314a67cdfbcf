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

static int bind_listen(int fd, const char *at, unsigned int mode, int backlog)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	if (strlen(at) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, at);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || chmod(at, mode) ||
	    listen(fd, backlog))
		return -errno;
	return 0;
}

int pvx_listen_unix(const char *path, int type, unsigned int mode, int backlog)
{
	char dir[PATH_MAX], tmp[PATH_MAX + 4];
	int fd, rc;

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
	rc = bind_listen(fd, tmp, mode, backlog);
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
