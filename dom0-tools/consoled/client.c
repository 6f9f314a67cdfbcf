/*
 * libpvxcons: the client side of pvx-consoled's socket (pvx/consoled.h).
 * Replies are read one byte at a time up to the '\n', so that after
 * `attach` not one byte of the console stream is swallowed into a
 * buffer the caller cannot see.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <pvx/consoled.h>
#include <pvx/ctlclient.h>

#include "consoled.h"

int pvx_consoled_connect(int *fd)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int s, n;

	n = snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/%s", pvx_rundir(),
		     PVX_CONSOLED_SOCK_NAME);
	if (n < 0 || (size_t)n >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -errno;
	if (connect(s, (struct sockaddr *)&sa, sizeof(sa))) {
		n = -errno;
		close(s);
		return n;
	}
	*fd = s;
	return 0;
}

static int write_all(int fd, const char *buf, size_t len)
{
	ssize_t w;

	while (len) {
		w = send(fd, buf, len, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? -errno : -EIO;
		buf += w;
		len -= (size_t)w;
	}
	return 0;
}

static int read_line(int fd, char *line, size_t cap)
{
	size_t n = 0;
	ssize_t r;
	char c;

	while (n + 1 < cap) {
		r = read(fd, &c, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return r < 0 ? -errno : -ECONNRESET;
		if (c == '\n') {
			line[n] = '\0';
			return 0;
		}
		line[n++] = c;
	}
	return -EPROTO;
}

int pvx_consoled_request(int fd, const char *line, char *reply, size_t cap)
{
	char buf[PVX_CONSOLED_LINE_MAX * 4], *colon;
	int rc;

	if (strlen(line) >= PVX_CONSOLED_LINE_MAX || strchr(line, '\n'))
		return -EINVAL;
	snprintf(buf, sizeof(buf), "%s\n", line);
	rc = write_all(fd, buf, strlen(buf));
	if (!rc)
		rc = read_line(fd, buf, sizeof(buf));
	if (rc)
		return rc;
	if (!strncmp(buf, "ok", 2) && (!buf[2] || buf[2] == ' ')) {
		if (reply && cap)
			snprintf(reply, cap, "%s", buf[2] ? buf + 3 : "");
		return 0;
	}
	if (strncmp(buf, "error ", 6))
		return -EPROTO;
	colon = strchr(buf + 6, ':');
	if (colon)
		*colon = '\0';
	if (reply && cap)
		snprintf(reply, cap, "%s", colon ? colon + 1 + (colon[1] == ' ') : "");
	return -cons_errno_value(buf + 6);
}

static int one_shot(const char *line)
{
	int fd, rc = pvx_consoled_connect(&fd);

	if (rc)
		return rc;
	rc = pvx_consoled_request(fd, line, NULL, 0);
	close(fd);
	return rc;
}

int pvx_consoled_add(int32_t domid, const char *name)
{
	char line[PVX_CONSOLED_LINE_MAX];

	if (!cons_name_valid(name))
		return -EINVAL;
	snprintf(line, sizeof(line), "add %d %s", (int)domid, name);
	return one_shot(line);
}

int pvx_consoled_remove(int32_t domid)
{
	char line[64];

	snprintf(line, sizeof(line), "remove %d", (int)domid);
	return one_shot(line);
}

int pvx_consoled_attach(int32_t domid, bool want_rw, bool *rw, int *fd)
{
	char line[64], reply[64];
	int s, rc = pvx_consoled_connect(&s);

	if (rc)
		return rc;
	snprintf(line, sizeof(line), "attach %d %s", (int)domid, want_rw ? "rw" : "ro");
	rc = pvx_consoled_request(s, line, reply, sizeof(reply));
	if (rc) {
		close(s);
		return rc;
	}
	*rw = !strcmp(reply, "rw");
	*fd = s;
	return 0;
}
