/*
 * Event-channel programs:
 *   evtchn-pong PEERDOM      allocate an unbound port for PEERDOM, print
 *                            it, echo every event until the peer closes
 *   evtchn-ping PEERDOM PORT COUNT
 *                            bind to PEERDOM's PORT, time COUNT round trips
 *   bench-evtchn PEERDOM PORT COUNT
 *                            the same, one machine-readable result line
 *   bench-evtchn             (no arguments) cost of a send to our own port
 *   dom0-echo [COUNT]        allocate a port for Dom0, print it, echo
 *                            COUNT events back (default 1000)
 * All waiting is polling: SCHEDOP_poll through the scheduler, no upcalls.
 */
#include <xen/public/event_channel.h>

#include <minios/console.h>
#include <minios/events.h>
#include <minios/hypercall.h>
#include <minios/lib.h>
#include <minios/program.h>
#include <minios/sched.h>
#include <minios/time.h>

#include "programs.h"
#include "stats.h"

#define MAX_SAMPLES 20000
#define WARMUP      100
#define IDLE_CHECK_NS 1000000000ull    /* pong: peer alive? every second */
#define ECHO_TIMEOUT_NS 60000000000ull /* dom0-echo: per event */
#define RTT_TIMEOUT_NS 5000000000ull   /* ping: per round trip */

static uint64_t samples[MAX_SAMPLES];

static int port_status(evtchn_port_t port)
{
	struct evtchn_status st = { .dom = DOMID_SELF, .port = port };
	long rc = event_channel_op(EVTCHNOP_status, &st);

	return rc < 0 ? (int)rc : (int)st.status;
}

int prog_evtchn_pong(int argc, char **argv)
{
	uint64_t peer, echoed = 0;
	evtchn_port_t port;
	int rc, connected = 0;

	if (argc < 2 || arg_u64(argc, argv, 1, 0, &peer) < 0 || peer >= DOMID_FIRST_RESERVED)
		return fail("evtchn-pong: usage: evtchn-pong PEERDOM");
	rc = evtchn_alloc_unbound((domid_t)peer, &port);
	if (rc < 0)
		return fail("evtchn-pong: EVTCHNOP_alloc_unbound(%lu): %d", (unsigned long)peer, rc);
	printk("evtchn-pong: port %u for domain %lu\n", port, (unsigned long)peer);
	for (;;) {
		if (evtchn_wait_until(port, time_now_ns() + IDLE_CHECK_NS)) {
			evtchn_send(port);
			echoed++;
			connected = 1;
			continue;
		}
		rc = port_status(port);
		if (rc == EVTCHNSTAT_interdomain)
			connected = 1;
		else if (connected || rc < 0)
			break;
	}
	evtchn_close(port);
	return pass("evtchn-pong: echoed %lu events, peer closed", (unsigned long)echoed);
}

/* Times count round trips on port; fills samples; 0 or -1 on timeout. */
static int ping_loop(evtchn_port_t port, unsigned count, unsigned *done)
{
	unsigned i;

	for (i = 0; i < count + WARMUP; i++) {
		uint64_t t0 = time_now_ns();

		evtchn_send(port);
		if (!evtchn_wait_until(port, t0 + RTT_TIMEOUT_NS)) {
			*done = i;
			return -1;
		}
		if (i >= WARMUP)
			samples[(i - WARMUP) % MAX_SAMPLES] = time_now_ns() - t0;
	}
	*done = i;
	return 0;
}

static int ping(int argc, char **argv, const char *name, int bench)
{
	uint64_t peer, rport, count;
	struct lat_stats s;
	evtchn_port_t port;
	unsigned done;
	int rc;

	if (argc < 4 || arg_u64(argc, argv, 1, 0, &peer) < 0 ||
	    arg_u64(argc, argv, 2, 0, &rport) < 0 || arg_u64(argc, argv, 3, 0, &count) < 0 ||
	    peer >= DOMID_FIRST_RESERVED || rport > 0xFFFFFFFFull || !count || count > 10000000)
		return fail("%s: usage: %s PEERDOM PORT COUNT", name, name);
	if (!time_available())
		return fail("%s: no clock", name);
	rc = evtchn_bind_interdomain((domid_t)peer, (evtchn_port_t)rport, &port);
	if (rc < 0)
		return fail("%s: EVTCHNOP_bind_interdomain(%lu, %lu): %d", name,
			    (unsigned long)peer, (unsigned long)rport, rc);
	/* Binding marks our port pending (Xen semantics): drop that event,
	 * or each round trip would see the previous echo. */
	evtchn_clear(port);
	rc = ping_loop(port, (unsigned)count, &done);
	evtchn_close(port);
	if (rc < 0)
		return fail("%s: round trip %u of %lu timed out", name, done, (unsigned long)count);
	stats_compute(samples, (unsigned)MIN(count, (uint64_t)MAX_SAMPLES), &s);
	if (bench)
		printk("bench-evtchn: rtt n=%lu median_ns=%lu p99_ns=%lu min_ns=%lu max_ns=%lu mean_ns=%lu\n",
		       (unsigned long)count, s.median, s.p99, s.min, s.max, s.mean);
	return pass("%s: %lu round trips with domain %lu, median %lu ns, p99 %lu ns",
		    name, (unsigned long)count, (unsigned long)peer, s.median, s.p99);
}

int prog_evtchn_ping(int argc, char **argv)
{
	return ping(argc, argv, "evtchn-ping", 0);
}

/* Without arguments: the cost of EVTCHNOP_send to a port of our own
 * (an IPI port), i.e. one hypercall that marks a port pending. */
static int bench_send_self(void)
{
	const unsigned n = 2000;
	evtchn_port_t port;
	uint64_t t0, t1;
	unsigned i, seen = 0;
	int rc = evtchn_bind_ipi(0, &port);

	if (rc < 0)
		return fail("bench-evtchn: EVTCHNOP_bind_ipi: %d", rc);
	t0 = time_now_ns();
	for (i = 0; i < n; i++) {
		evtchn_send(port);
		seen += (unsigned)evtchn_test_and_clear(port);
	}
	t1 = time_now_ns();
	evtchn_close(port);
	printk("bench-evtchn: self send n=%u ns_per_op=%lu\n", n, (unsigned long)((t1 - t0) / n));
	if (seen != n)
		return fail("bench-evtchn: %u of %u sends to self were seen pending", seen, n);
	return pass("bench-evtchn: self send %lu ns/op", (unsigned long)((t1 - t0) / n));
}

int prog_bench_evtchn(int argc, char **argv)
{
	if (argc == 1)
		return bench_send_self();
	return ping(argc, argv, "bench-evtchn", 1);
}

int prog_dom0_echo(int argc, char **argv)
{
	uint64_t count, i;
	evtchn_port_t port;
	int rc;

	if (arg_u64(argc, argv, 1, 1000, &count) < 0 || !count)
		return fail("dom0-echo: usage: dom0-echo [COUNT]");
	rc = evtchn_alloc_unbound(0, &port);
	if (rc < 0)
		return fail("dom0-echo: EVTCHNOP_alloc_unbound(0): %d", rc);
	printk("dom0-echo: port %u\n", port);
	for (i = 0; i < count; i++) {
		if (!evtchn_wait_until(port, time_now_ns() + ECHO_TIMEOUT_NS))
			return fail("dom0-echo: no event %lu of %lu within 60 s",
				    (unsigned long)i + 1, (unsigned long)count);
		rc = evtchn_send(port);
		if (rc < 0)
			return fail("dom0-echo: EVTCHNOP_send: %d", rc);
	}
	evtchn_close(port);
	return pass("dom0-echo: echoed %lu events", (unsigned long)count);
}
