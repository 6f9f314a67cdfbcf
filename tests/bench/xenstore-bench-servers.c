/*
 * The two servers xenstore-bench measures, each in a child process:
 *  - the store: pvxstored's own modules (libpvxstore: tree, watches,
 *    transactions, socket transport, write-behind persistence every
 *    200 ms) with a fake ring platform, because INTRODUCE's mapping and
 *    binding belong to pvxd and are not what this benchmark is about;
 *  - the echo: the bare transport, a poll loop answering each message
 *    with a reply of the size the client asks for (tx_id), and relaying
 *    an event-sized message (req_id bytes) to a subscriber for type 99.
 */
#include <errno.h>
#include <event2/event.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "xenstore_bench.h"
#include "../../xenbus/store/persist.h"
#include "../../xenbus/store/ring.h"
#include "../../xenbus/store/sock.h"

struct fake_bind {
	int ev, nt;
};

static int fmap(void *ctx, uint32_t domid, uint64_t gfn,
		struct xenstore_domain_interface **intf, void **handle)
{
	(void)ctx; (void)gfn;
	if (domid == BENCH_RING_DOMID) {
		/* The page the bench process plays the guest on. */
		*intf = bench_ring_xs.page;
		*handle = NULL;
		return 0;
	}
	*intf = aligned_alloc(4096, 4096);
	if (!*intf)
		return -ENOMEM;
	memset(*intf, 0, 4096);
	*handle = *intf;
	return 0;
}

static void funmap(void *ctx, void *handle)
{
	(void)ctx;
	free(handle);
}

static int fbind(void *ctx, uint32_t domid, uint32_t port, int *event_fd,
		 int *notify_fd, void **handle)
{
	struct fake_bind *b = malloc(sizeof(*b));

	(void)ctx; (void)port;
	if (!b)
		return -ENOMEM;
	if (domid == BENCH_RING_DOMID) {
		b->ev = *event_fd = dup(bench_ring_xs.evfd);
		b->nt = *notify_fd = dup(bench_ring_xs.ntfd);
		*handle = b;
		return 0;
	}
	b->ev = *event_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	b->nt = *notify_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	*handle = b;
	return 0;
}

static void funbind(void *ctx, void *handle)
{
	struct fake_bind *b = handle;

	(void)ctx;
	close(b->ev);
	close(b->nt);
	free(b);
}

static const struct xs_ring_backend fake = { fmap, funmap, fbind, funbind, NULL };

static void quiet(const char *line, void *arg)
{
	(void)line;
	(void)arg;
}

pid_t bench_start_store(const char *sock, const char *dbfile)
{
	static struct xs_store st;
	struct event_base *b;
	int p[2];
	pid_t pid;
	char c;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid) {
		close(p[1]);
		if (pid < 0 || read(p[0], &c, 1) != 1)
			pid = -1;
		close(p[0]);
		return pid;
	}
	pvx_log_set_sink(quiet, NULL);
	b = event_base_new();
	if (!b || xs_store_init(&st))
		_exit(1);
	st.base = b;
	st.ring_backend = &fake;
	if (persist_init(&st, dbfile, 200, NULL) || !sock_listen(&st, sock))
		_exit(1);
	if (write(p[1], "r", 1) != 1)
		_exit(1);
	event_base_dispatch(b);
	_exit(0);
}

/* One message: usually one read(), as pvxstored's socket reads gulps. */
static int echo_read(int fd, struct xsd_sockmsg *h, char *payload)
{
	static char buf[sizeof(*h) + XENSTORE_PAYLOAD_MAX];
	ssize_t n = read(fd, buf, sizeof(buf)), k;
	size_t got = n > 0 ? (size_t)n : 0;

	if (n <= 0)
		return -1;
	while (got < sizeof(*h) || got < sizeof(*h) + ((struct xsd_sockmsg *)buf)->len) {
		k = read(fd, buf + got, sizeof(buf) - got);
		if (k <= 0)
			return -1;
		got += (size_t)k;
	}
	memcpy(h, buf, sizeof(*h));
	if (h->len > XENSTORE_PAYLOAD_MAX)
		return -1;
	memcpy(payload, buf + sizeof(*h), h->len);
	return 0;
}

static int echo_one(int fd, int *sub)
{
	static char buf[XENSTORE_PAYLOAD_MAX], zero[XENSTORE_PAYLOAD_MAX];
	struct xsd_sockmsg h;

	if (echo_read(fd, &h, buf))
		return -1;
	if (h.type == 98)
		*sub = fd;
	if (bench_send(fd, h.type, h.req_id, h.tx_id, zero,
		       h.tx_id < sizeof(zero) ? h.tx_id : 0))
		return -1;
	if (h.type == 99 && *sub >= 0 &&
	    bench_send(*sub, XS_WATCH_EVENT, 0, 0, zero,
		       h.req_id < sizeof(zero) ? h.req_id : 0))
		return -1;
	return 0;
}

static void echo_loop(int ls)
{
	struct pollfd pf[64];
	int n = 1, i, sub = -1;

	pf[0].fd = ls;
	pf[0].events = POLLIN;
	for (;;) {
		if (poll(pf, n, -1) < 0)
			continue;
		if ((pf[0].revents & POLLIN) && n < 64) {
			pf[n].fd = accept(ls, NULL, NULL);
			pf[n].events = POLLIN;
			n += pf[n].fd >= 0;
		}
		for (i = 1; i < n; i++) {
			if (!(pf[i].revents & (POLLIN | POLLHUP)))
				continue;
			if (echo_one(pf[i].fd, &sub)) {
				close(pf[i].fd);
				pf[i--] = pf[--n];
			}
		}
	}
}

pid_t bench_start_echo(const char *sock)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int ls = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	pid_t pid;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock);
	if (ls < 0 || bind(ls, (struct sockaddr *)&sa, sizeof(sa)) || listen(ls, 16))
		return -1;
	pid = fork();
	if (pid == 0)
		echo_loop(ls);
	close(ls);
	return pid;
}
