/*
 * The migration channel: a TCP connection (ADDR:PORT, IPv4 or [IPv6])
 * with timeouts so that a cut link fails the migration instead of
 * stalling it, or a socket pair to an ssh child (`pvx migrate DOM HOST`,
 * as xl does it).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "migrate.h"

int pvx_mig_parse_addr(const char *s, void *sa, unsigned *salen)
{
	char host[64];
	const char *colon = strrchr(s, ':');
	size_t hl;
	char *end;
	long port;

	if (!colon || colon == s)
		return -EINVAL;
	hl = (size_t)(colon - s);
	if (s[0] == '[' && colon[-1] == ']') {
		s++;
		hl -= 2;
	}
	if (hl >= sizeof(host))
		return -EINVAL;
	memcpy(host, s, hl);
	host[hl] = '\0';
	errno = 0;
	port = strtol(colon + 1, &end, 10);
	if (errno || *end || end == colon + 1 || port < 0 || port > 65535)
		return -EINVAL;
	struct sockaddr_in *v4 = sa;
	struct sockaddr_in6 *v6 = sa;

	memset(sa, 0, sizeof(struct sockaddr_in6));
	if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons((uint16_t)port);
		*salen = sizeof(*v4);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)port);
		*salen = sizeof(*v6);
		return 0;
	}
	return -EINVAL;
}

int pvx_mig_listen(const char *addr)
{
	struct sockaddr_in6 sa;
	unsigned salen;
	int one = 1, fd, rc = pvx_mig_parse_addr(addr, &sa, &salen);

	if (rc)
		return rc;
	fd = socket(((struct sockaddr *)&sa)->sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa, salen) || listen(fd, 4)) {
		rc = -errno;
		close(fd);
		return rc;
	}
	return fd;
}

int pvx_mig_connect(const char *addr, int timeout_s)
{
	struct sockaddr_in6 sa;
	unsigned salen;
	int fd, rc = pvx_mig_parse_addr(addr, &sa, &salen);
	struct pollfd pfd;
	socklen_t elen = sizeof(rc);

	if (rc)
		return rc;
	fd = socket(((struct sockaddr *)&sa)->sa_family,
		    SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, salen) && errno != EINPROGRESS) {
		rc = -errno;
		goto fail;
	}
	pfd = (struct pollfd){ .fd = fd, .events = POLLOUT };
	rc = poll(&pfd, 1, timeout_s > 0 ? timeout_s * 1000 : -1);
	if (rc <= 0) {
		rc = rc == 0 ? -ETIMEDOUT : -errno;
		goto fail;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &rc, &elen) == 0 && rc) {
		rc = -rc;
		goto fail;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	return fd;
fail:
	close(fd);
	return rc;
}

void pvx_mig_sock_timeouts(int fd, int timeout_s)
{
	struct timeval tv = { .tv_sec = timeout_s };
	unsigned ut = (unsigned)timeout_s * 1000;
	int one = 1;

	if (timeout_s <= 0)
		return;
	/* A cut link: writes stall (user timeout), reads see nothing (rcvtimeo). */
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	setsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &ut, sizeof(ut));
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

int pvx_mig_spawn(const char *ssh_cmd, const char *host, const char *remote,
		  int *fd, int *pid)
{
	int sv[2];
	pid_t p;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		return -errno;
	p = fork();
	if (p < 0) {
		int e = -errno;

		close(sv[0]);
		close(sv[1]);
		return e;
	}
	if (p == 0) {
		char *cmd;

		dup2(sv[1], 0);
		dup2(sv[1], 1);
		if (asprintf(&cmd, "%s %s %s", ssh_cmd, host, remote) < 0)
			_exit(127);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(sv[1]);
	*fd = sv[0];
	*pid = p;
	return 0;
}
