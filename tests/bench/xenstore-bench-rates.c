/*
 * Part 1 of xenstore-bench: READ, WRITE and watch-event rates over the
 * socket, each beside the bare echo transport with the same message
 * sizes (requests and replies byte for byte as long as pvxstored's).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "xenstore_bench.h"

#define KEY "/bench/key"
#define WKEY "/bench/w/x"
#define VAL "0123456789abcdef" /* 16 bytes */

struct msgs {
	char read_req[64], write_req[64];
	uint32_t read_len, write_len;
};

static void build(struct msgs *m, const char *key)
{
	m->read_len = strlen(KEY) + 1;
	memcpy(m->read_req, KEY, m->read_len);
	m->write_len = strlen(key) + 1 + strlen(VAL);
	memcpy(m->write_req, key, strlen(key) + 1);
	memcpy(m->write_req + strlen(key) + 1, VAL, strlen(VAL));
}

/* ops per second of n sequential requests. */
static double rate(int fd, uint32_t type, uint32_t tx, const void *p,
		   uint32_t len, long n)
{
	uint64_t t0 = bench_now_ns();
	long i;

	for (i = 0; i < n; i++)
		if (bench_rpc(fd, type, tx, p, len, NULL, NULL))
			return -1;
	return n * 1e9 / (double)(bench_now_ns() - t0);
}

#define ROUNDS 3
static double max2(double a, double b) { return a > b ? a : b; }

/* Writer writes, watcher receives the event: events per second. */
static double event_rate(int writer, int watcher, uint32_t type, uint32_t tx,
			 uint32_t evsize, const void *p, uint32_t len, long n)
{
	static char buf[XENSTORE_PAYLOAD_MAX + 1];
	struct xsd_sockmsg h;
	uint64_t t0 = bench_now_ns();
	long i;

	for (i = 0; i < n; i++) {
		if (bench_send(writer, type, evsize, tx, p, len) ||
		    bench_recv(writer, &h, buf))
			return -1;
		do {
			if (bench_recv(watcher, &h, buf))
				return -1;
		} while (h.type != XS_WATCH_EVENT);
	}
	return n * 1e9 / (double)(bench_now_ns() - t0);
}

static void report(const char *what, double xs, double echo)
{
	printf("socket op=%s xs_per_s=%.0f echo_per_s=%.0f ratio=%.2f\n",
	       what, xs, echo, echo > 0 ? xs / echo : 0);
}

int bench_rates(const struct bench_opts *o, const char *xs_sock,
		const char *echo_sock)
{
	int x = bench_connect(xs_sock), xw = bench_connect(xs_sock);
	int e = bench_connect(echo_sock), ew = bench_connect(echo_sock);
	static const char watch[] = "/bench/w\0tok";
	struct msgs m;
	double a, b;
	char buf[64];
	int i;

	if (x < 0 || xw < 0 || e < 0 || ew < 0)
		return -1;
	build(&m, KEY);
	if (bench_rpc(x, XS_WRITE, 0, m.write_req, m.write_len, NULL, NULL))
		return -1;
	/* Best of ROUNDS interleaved runs each: the machine is shared. */
	/* READ: 11-byte path in, 16-byte value out. */
	for (i = 0, a = b = 0; i < ROUNDS; i++) {
		b = max2(b, rate(e, XS_READ, 16, m.read_req, m.read_len, o->iters));
		a = max2(a, rate(x, XS_READ, 0, m.read_req, m.read_len, o->iters));
	}
	report("read", a, b);
	/* WRITE: path + 16 bytes in, "OK" out. */
	for (i = 0, a = b = 0; i < ROUNDS; i++) {
		b = max2(b, rate(e, XS_WRITE, 3, m.write_req, m.write_len, o->iters));
		a = max2(a, rate(x, XS_WRITE, 0, m.write_req, m.write_len, o->iters));
	}
	report("write", a, b);
	/* Watch events: "/bench/w/x\0tok\0" (15 bytes) to the watcher. */
	build(&m, WKEY);
	if (bench_rpc(xw, XS_WATCH, 0, watch, sizeof(watch), buf, NULL) ||
	    bench_rpc(ew, 98, 0, NULL, 0, NULL, NULL))
		return -1;
	{
		/* The watch's registration event. */
		static char ev[XENSTORE_PAYLOAD_MAX + 1];
		struct xsd_sockmsg h;

		if (bench_recv(xw, &h, ev))
			return -1;
	}
	for (i = 0, a = b = 0; i < ROUNDS; i++) {
		b = max2(b, event_rate(e, ew, 99, 3, 15, m.write_req, m.write_len,
				       o->iters));
		a = max2(a, event_rate(x, xw, XS_WRITE, 0, 0, m.write_req,
				       m.write_len, o->iters));
	}
	report("watch-event", a, b);
	close(x);
	close(xw);
	close(e);
	close(ew);
	return a < 0 || b < 0 ? -1 : 0;
}
