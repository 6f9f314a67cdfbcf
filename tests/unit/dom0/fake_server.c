/*
 * Scripted pvxd for unit tests (see fake_server.h).
 */
#include <check.h>
#include <dirent.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fake_server.h"

struct fake_server {
	int fd;
	pthread_t thread;
	fake_handler_fn fn;
	void *opaque;
};

static void *serve(void *arg)
{
	struct fake_server *s = arg;
	static __thread uint8_t buf[sizeof(struct pvx_ctl_hdr) + PVX_CTL_MAX_PAYLOAD];

	for (;;) {
		ssize_t n = recv(s->fd, buf, sizeof(buf), 0);
		struct pvx_ctl_hdr h;

		if (n <= 0)
			break;
		if ((size_t)n < sizeof(h))
			continue;
		memcpy(&h, buf, sizeof(h));
		s->fn(s->fd, &h, buf + sizeof(h), s->opaque);
	}
	return NULL;
}

struct fake_server *fake_server_start(fake_handler_fn fn, void *opaque,
				      struct pvx_ctl **client)
{
	struct fake_server *s = calloc(1, sizeof(*s));
	int sv[2];

	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	s->fd = sv[1];
	s->fn = fn;
	s->opaque = opaque;
	ck_assert_int_eq(pvx_ctl_from_fd(sv[0], client), 0);
	ck_assert_int_eq(pthread_create(&s->thread, NULL, serve, s), 0);
	return s;
}

int fake_server_fd(const struct fake_server *s)
{
	return s->fd;
}

void fake_server_stop(struct fake_server *s, struct pvx_ctl *client)
{
	pvx_ctl_close(client);
	pthread_join(s->thread, NULL);
	close(s->fd);
	free(s);
}

void fake_send_raw(int fd, const struct pvx_ctl_hdr *h, const void *payload,
		   size_t plen, const int *fds, int nfds)
{
	union {
		char b[CMSG_SPACE(8 * sizeof(int))];
		struct cmsghdr align;
	} ctrl;
	struct iovec iov[2] = {
		{ .iov_base = (void *)h, .iov_len = sizeof(*h) },
		{ .iov_base = (void *)payload, .iov_len = plen },
	};
	struct msghdr m = { .msg_iov = iov, .msg_iovlen = plen ? 2 : 1 };

	if (nfds) {
		struct cmsghdr *cm;

		m.msg_control = ctrl.b;
		m.msg_controllen = CMSG_SPACE(nfds * sizeof(int));
		cm = CMSG_FIRSTHDR(&m);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(nfds * sizeof(int));
		memcpy(CMSG_DATA(cm), fds, nfds * sizeof(int));
	}
	sendmsg(fd, &m, MSG_NOSIGNAL);
}

void fake_reply(int fd, const struct pvx_ctl_hdr *req, int32_t status,
		const void *payload, size_t plen, const int *fds, int nfds)
{
	struct pvx_ctl_hdr h = {
		.magic = PVX_CTL_MAGIC, .op = req->op, .seq = req->seq,
		.len = (uint32_t)plen, .domid = req->domid, .status = status,
	};

	fake_send_raw(fd, &h, payload, plen, fds, nfds);
}

void fake_event(int fd, int32_t domid, uint32_t state, int32_t reason)
{
	struct pvx_ctl_event ev = { .domid = domid, .state = state,
				    .shutdown_reason = reason };
	struct pvx_ctl_hdr h = {
		.magic = PVX_CTL_MAGIC, .op = PVX_CTL_EVENT, .seq = 0,
		.len = sizeof(ev), .domid = domid,
	};

	fake_send_raw(fd, &h, &ev, sizeof(ev), NULL, 0);
}

int fake_count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}
