/*
 * xenstore-bench: how fast pvxstored answers, against the bare transport,
 * and how its costs grow with the number of domains (issue 4).
 *
 *   xenstore-bench [-n ITERS] [-d MAX_DOMAINS]
 *
 * Part 1, rates over the Unix socket, one request in flight (what a
 * toolstack or backend does): READ, WRITE and watch-event delivery
 * (writer's WRITE until the watcher has the event) through pvxstored's
 * modules, and the same message sizes through a bare echo server; the
 * ratio is the daemon's share.
 * Part 1b, the same over a guest's store ring (the bench plays the guest
 * on a shared page with eventfd kicks) against a bare ring echo.
 * Part 2, scale: domains are introduced (fake rings) with the keys libxl
 * writes for a guest with one disk and one NIC, plus a toolstack watch on
 * each domain's control/shutdown; at 10, 100, 1000 domains it times a
 * DIRECTORY of /local/domain, a write that fires a watch (until the
 * watcher has the event) and introducing one more domain.
 *
 * Output lines are "key=value" for scripts (docs/xenstore.md).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "xenstore_bench.h"

uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int bench_connect(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		fd = -1;
	}
	return fd;
}

static int full(int fd, void *buf, size_t n, bool wr)
{
	size_t done = 0;
	ssize_t k;

	while (done < n) {
		k = wr ? write(fd, (char *)buf + done, n - done)
		       : read(fd, (char *)buf + done, n - done);
		if (k <= 0 && !(k < 0 && errno == EINTR))
			return -1;
		done += k > 0 ? (size_t)k : 0;
	}
	return 0;
}

int bench_send(int fd, uint32_t type, uint32_t req_id, uint32_t tx,
	       const void *p, uint32_t len)
{
	struct xsd_sockmsg h = { type, req_id, tx, len };
	struct iovec iov[2] = { { &h, sizeof(h) }, { (void *)p, len } };

	/* Small messages: one writev is one send. */
	return writev(fd, iov, 2) == (ssize_t)(sizeof(h) + len) ? 0 : -1;
}

int bench_recv(int fd, struct xsd_sockmsg *h, char *payload)
{
	if (full(fd, h, sizeof(*h), false) || h->len > XENSTORE_PAYLOAD_MAX ||
	    full(fd, payload, h->len, false))
		return -1;
	payload[h->len] = '\0';
	return 0;
}

int bench_rpc(int fd, uint32_t type, uint32_t tx, const void *p, uint32_t len,
	      char *rsp, uint32_t *rsp_len)
{
	static char buf[XENSTORE_PAYLOAD_MAX + 1];
	struct xsd_sockmsg h;

	if (bench_send(fd, type, 1, tx, p, len))
		return -1;
	do {
		if (bench_recv(fd, &h, rsp ? rsp : buf))
			return -1;
	} while (h.type == XS_WATCH_EVENT);
	if (rsp_len)
		*rsp_len = h.len;
	return h.type == XS_ERROR ? -1 : 0;
}

int main(int argc, char **argv)
{
	struct bench_opts o = { 20000, 1000, NULL };
	char dir[] = "/tmp/xs-bench.XXXXXX", xs[128], echo[128], db[128], cmd[200];
	pid_t spid, epid, rpid = -1;
	int opt, rc;

	while ((opt = getopt(argc, argv, "n:d:")) != -1) {
		if (opt == 'n')
			o.iters = atol(optarg);
		else if (opt == 'd')
			o.max_domains = atoi(optarg);
		else {
			fprintf(stderr, "usage: xenstore-bench [-n ITERS] [-d MAX_DOMAINS]\n");
			return 2;
		}
	}
	signal(SIGPIPE, SIG_IGN);
	if (!mkdtemp(dir))
		return 1;
	o.dir = dir;
	snprintf(xs, sizeof(xs), "%s/xenstored/socket", dir);
	snprintf(echo, sizeof(echo), "%s/echo", dir);
	snprintf(db, sizeof(db), "%s/pvxstored.db", dir);
	if (bench_ring_setup(&bench_ring_xs) || bench_ring_setup(&bench_ring_echo))
		return 1;
	spid = bench_start_store(xs, db);
	epid = bench_start_echo(echo);
	rpid = bench_start_ring_echo(&bench_ring_echo);
	rc = spid < 0 || epid < 0 || rpid < 0;
	if (!rc)
		rc = bench_rates(&o, xs, echo);
	if (!rc)
		rc = bench_ring_rates(&o, xs, echo);
	if (!rc)
		rc = bench_scale(&o, xs);
	if (spid > 0)
		kill(spid, SIGKILL);
	if (epid > 0)
		kill(epid, SIGKILL);
	if (rpid > 0)
		kill(rpid, SIGKILL);
	waitpid(spid, NULL, 0);
	waitpid(epid, NULL, 0);
	waitpid(rpid, NULL, 0);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd))
		rc = 1;
	return rc ? 1 : 0;
}
