/*
 * Part 1b of xenstore-bench: the same READ / WRITE / watch-event rates
 * over a guest's store ring. The bench process is the guest: it shares a
 * page and two eventfds with the server child (created before the fork),
 * puts each request in the request ring, kicks, and sleeps on its eventfd
 * until the reply is complete, which is what a guest's xenbus driver does.
 * The bare transport is a ring echo child with the same page layout and
 * message sizes. Watch events: Dom0 writes over the socket, the guest
 * waits for the event on its ring; the echo's counterpart is a socket
 * round trip plus a ring round trip answering with an event-sized reply
 * (one message more than pvxstored needs, so it flatters the baseline).
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

#include "xenstore_bench.h"

struct bench_ring bench_ring_xs, bench_ring_echo;

int bench_ring_setup(struct bench_ring *r)
{
	r->page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		       -1, 0);
	r->evfd = eventfd(0, EFD_CLOEXEC);
	r->ntfd = eventfd(0, EFD_CLOEXEC);
	return r->page == MAP_FAILED || r->evfd < 0 || r->ntfd < 0 ? -1 : 0;
}

static void ring_put(struct xenstore_domain_interface *p, char *ring,
		     uint32_t *prod, const void *buf, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		ring[MASK_XENSTORE_IDX(*prod + i)] = ((const char *)buf)[i];
	/* The bytes before the index that publishes them. */
	__atomic_store_n(prod, *prod + n, __ATOMIC_RELEASE);
	(void)p;
}

static void kick(int fd)
{
	uint64_t one = 1;

	if (write(fd, &one, sizeof(one)) != sizeof(one))
		abort();
}

/* Waits (sleeping on fd) until n response bytes are there, takes them. */
static int ring_take(struct xenstore_domain_interface *p, int fd, void *out,
		     size_t n)
{
	size_t got = 0, k, i;
	uint64_t v;

	while (got < n) {
		k = __atomic_load_n(&p->rsp_prod, __ATOMIC_ACQUIRE) - p->rsp_cons;
		if (!k) {
			if (read(fd, &v, sizeof(v)) != sizeof(v))
				return -1;
			continue;
		}
		k = k < n - got ? k : n - got;
		for (i = 0; i < k; i++)
			((char *)out)[got + i] = p->rsp[MASK_XENSTORE_IDX(p->rsp_cons + i)];
		__atomic_store_n(&p->rsp_cons, p->rsp_cons + k, __ATOMIC_RELEASE);
		got += k;
	}
	return 0;
}

int bench_ring_rpc(struct bench_ring *r, uint32_t type, uint32_t tx,
		   const void *p, uint32_t len, bool want_event)
{
	static char buf[XENSTORE_PAYLOAD_MAX];
	struct xsd_sockmsg h = { type, 1, tx, len };

	if (type) {
		ring_put(r->page, r->page->req, &r->page->req_prod, &h, sizeof(h));
		ring_put(r->page, r->page->req, &r->page->req_prod, p, len);
		kick(r->evfd);
	}
	do {
		if (ring_take(r->page, r->ntfd, &h, sizeof(h)) || h.len > sizeof(buf) ||
		    ring_take(r->page, r->ntfd, buf, h.len))
			return -1;
	} while (want_event != (h.type == XS_WATCH_EVENT));
	return h.type == XS_ERROR ? -1 : 0;
}

static void echo_serve(struct bench_ring *r)
{
	static char zero[XENSTORE_PAYLOAD_MAX];
	struct xenstore_domain_interface *p = r->page;
	struct xsd_sockmsg h;
	uint64_t v;
	size_t i;

	for (;;) {
		if (read(r->evfd, &v, sizeof(v)) != sizeof(v))
			_exit(1);
		while (p->req_prod - p->req_cons >= sizeof(h)) {
			for (i = 0; i < sizeof(h); i++)
				((char *)&h)[i] = p->req[MASK_XENSTORE_IDX(p->req_cons + i)];
			if (p->req_prod - p->req_cons < sizeof(h) + h.len)
				break;
			__atomic_store_n(&p->req_cons, p->req_cons + sizeof(h) + h.len,
					 __ATOMIC_RELEASE);
			h.len = h.tx_id < sizeof(zero) ? h.tx_id : 0;
			ring_put(p, p->rsp, &p->rsp_prod, &h, sizeof(h));
			ring_put(p, p->rsp, &p->rsp_prod, zero, h.len);
		}
		kick(r->ntfd);
	}
}

pid_t bench_start_ring_echo(struct bench_ring *r)
{
	pid_t pid = fork();

	if (pid == 0)
		echo_serve(r);
	return pid;
}

static double ring_rate(struct bench_ring *r, uint32_t type, uint32_t tx,
			const void *p, uint32_t len, long n)
{
	uint64_t t0 = bench_now_ns();
	long i;

	for (i = 0; i < n; i++)
		if (bench_ring_rpc(r, type, tx, p, len, false))
			return -1;
	return n * 1e9 / (double)(bench_now_ns() - t0);
}

/* Dom0 writes over the socket; the guest waits for the event. */
static double ring_event_rate(struct bench_ring *r, int dom0, const void *w,
			      uint32_t wlen, long n, bool echo)
{
	uint64_t t0 = bench_now_ns();
	long i;

	for (i = 0; i < n; i++) {
		if (echo) {
			/* The echo's "event": a 15-byte reply to a kick. */
			if (bench_rpc(dom0, XS_WRITE, 3, w, wlen, NULL, NULL) ||
			    bench_ring_rpc(r, XS_WATCH_EVENT, 15, "", 1, true))
				return -1;
			continue;
		}
		if (bench_rpc(dom0, XS_WRITE, 0, w, wlen, NULL, NULL) ||
		    bench_ring_rpc(r, 0, 0, NULL, 0, true))
			return -1;
	}
	return n * 1e9 / (double)(bench_now_ns() - t0);
}

static void report(const char *what, double xs, double echo)
{
	printf("ring op=%s xs_per_s=%.0f echo_per_s=%.0f ratio=%.2f\n",
	       what, xs, echo, echo > 0 ? xs / echo : 0);
	fflush(stdout);
}

static double best(double a, double b)
{
	return a > b ? a : b;
}

int bench_ring_rates(const struct bench_opts *o, const char *xs_sock,
		     const char *echo_sock)
{
	static const char rd[] = "data/key", wr[] = "data/key\0" "0123456789abcdef";
	static const char watch[] = "data/w\0tok", ev[] = "/local/domain/1/data/w/x\0"
							"0123456789abcdef";
	struct bench_ring *x = &bench_ring_xs, *e = &bench_ring_echo;
	struct xs_handle *h;
	double a = 0, b = 0;
	int dom0 = bench_connect(xs_sock), edom0 = bench_connect(echo_sock), i, rc;
	long n = o->iters / 4;

	if (dom0 < 0 || edom0 < 0 || (rc = xs_open_path(xs_sock, &h)))
		return -1;
	/* Domain 1 with a guest-owned data directory, introduced on the
	 * shared page. */
	rc = xs_mkdir(h, XBT_NULL, "/local/domain/1/data") ||
	     xs_set_perms(h, XBT_NULL, "/local/domain/1/data",
			  &(struct xs_permission){ 1, XS_PERM_NONE }, 1) ||
	     xs_introduce_domain(h, BENCH_RING_DOMID, 0xfeff9, 1);
	xs_close(h);
	if (rc || bench_ring_rpc(x, XS_WRITE, 0, wr, sizeof(wr) - 1, false))
		return -1;
	for (i = 0; i < 3; i++) {
		b = best(b, ring_rate(e, XS_READ, 16, rd, sizeof(rd), n));
		a = best(a, ring_rate(x, XS_READ, 0, rd, sizeof(rd), n));
	}
	report("read", a, b);
	for (i = 0, a = b = 0; i < 3; i++) {
		b = best(b, ring_rate(e, XS_WRITE, 3, wr, sizeof(wr) - 1, n));
		a = best(a, ring_rate(x, XS_WRITE, 0, wr, sizeof(wr) - 1, n));
	}
	report("write", a, b);
	if (bench_ring_rpc(x, XS_WATCH, 0, watch, sizeof(watch), false) ||
	    bench_ring_rpc(x, 0, 0, NULL, 0, true))
		return -1;
	for (i = 0, a = b = 0; i < 3; i++) {
		b = best(b, ring_event_rate(e, edom0, ev, sizeof(ev) - 1, n, true));
		a = best(a, ring_event_rate(x, dom0, ev, sizeof(ev) - 1, n, false));
	}
	report("watch-event", a, b);
	close(dom0);
	close(edom0);
	return a > 0 && b > 0 ? 0 : -1;
}
