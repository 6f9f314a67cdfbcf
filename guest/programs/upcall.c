/*
 * upcall [COUNT]: the interrupt path. minios normally polls with upcalls
 * masked; this program has the platform route upcalls
 * (evtchn_upcall_enable: on pvh MINIOS_UPCALL_VECTOR through
 * HVMOP_set_evtchn_upcall_vector, on pv a C callback through
 * CALLBACKOP_register), clears evtchn_upcall_mask, and sends COUNT events
 * to its own IPI port. Each must arrive as one upcall: the handler (pvh:
 * traps.inc at CPL0, which also EOIs the LAPIC; pv: pv_upcall, entered
 * by pvxd's signal) counts it and returns; this code sees the count move,
 * acknowledges the event and measures send-to-handler latency. Then it
 * masks upcalls again and checks that a masked event raises no upcall.
 */
#include <minios/arch.h>
#include <minios/console.h>
#include <minios/events.h>
#include <minios/lib.h>
#include <minios/platform.h>
#include <minios/program.h>
#include <minios/time.h>

#include "programs.h"
#include "stats.h"

#define MAX_COUNT 10000
#define DELIVERY_TIMEOUT_NS 1000000000ull

static uint64_t lat[MAX_COUNT];

/* Sends one event and waits for the handler; latency or 0 on timeout. */
static uint64_t one_upcall(evtchn_port_t port)
{
	uint64_t before = upcall_count, t0 = time_now_ns(), t;

	evtchn_send(port);
	while (upcall_count == before) {
		t = time_now_ns();
		if (t - t0 > DELIVERY_TIMEOUT_NS)
			return 0;
		cpu_relax();
	}
	t = time_now_ns();
	evtchn_clear(port);
	evtchn_ack_upcall();
	return t > t0 ? t - t0 : 1;
}

static int masked_check(evtchn_port_t port)
{
	uint64_t before = upcall_count, t0 = time_now_ns();

	evtchn_send(port);
	while (time_now_ns() - t0 < 20000000ull)
		cpu_relax();
	evtchn_clear(port);
	evtchn_ack_upcall();
	return upcall_count == before;
}

int prog_upcall(int argc, char **argv)
{
	uint64_t count, i, other0 = irq_other_count;
	struct lat_stats s;
	evtchn_port_t port;
	int rc, quiet;

	if (arg_u64(argc, argv, 1, 100, &count) < 0 || !count || count > MAX_COUNT)
		return fail("upcall: usage: upcall [COUNT<=%u]", MAX_COUNT);
	if (!time_available())
		return fail("upcall: no clock");
	rc = evtchn_bind_ipi(0, &port);
	if (rc < 0)
		return fail("upcall: EVTCHNOP_bind_ipi: %d", rc);
	evtchn_clear(port);
	evtchn_ack_upcall();
	rc = evtchn_upcall_enable();
	if (rc < 0)
		return fail("upcall: routing upcalls (%s): %d", platform->upcall_how, rc);
	for (i = 0; i < count; i++) {
		lat[i] = one_upcall(port);
		if (!lat[i])
			break;
	}
	evtchn_upcall_disable();
	quiet = masked_check(port);
	evtchn_close(port);
	if (i < count)
		return fail("upcall: event %lu of %lu raised no upcall within 1 s",
			    (unsigned long)i + 1, (unsigned long)count);
	stats_compute(lat, (unsigned)count, &s);
	printk("upcall: %lu upcalls, send->handler median %lu ns, p99 %lu ns, stray irqs %lu\n",
	       (unsigned long)count, s.median, s.p99, (unsigned long)(irq_other_count - other0));
	if (!quiet)
		return fail("upcall: an event raised an upcall while evtchn_upcall_mask was set");
	return pass("upcall: %lu events delivered through %s, median %lu ns",
		    (unsigned long)count, platform->upcall_how, s.median);
}
