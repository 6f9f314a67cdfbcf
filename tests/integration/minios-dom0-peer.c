/*
 * minios-dom0-peer DOMID PORT COUNT: the Dom0 end of the minios dom0-echo
 * test. Binds a Dom0 event channel to the guest's unbound PORT through
 * pvxd's control socket (libpvxctl: two eventfds), then COUNT times sends
 * one event and waits (5 s at most) for the guest's echo on the receive
 * eventfd. Prints the round-trip latency (median, p99) and exits 0 only
 * if every echo arrived.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <pvx/ctlclient.h>

#define ECHO_TIMEOUT_MS 5000

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* One round trip; its latency in ns, or 0 on error/timeout. */
static uint64_t round_trip(const struct pvx_evtchn *ev)
{
	struct pollfd p = { .fd = ev->event_fd, .events = POLLIN };
	uint64_t t0 = now_ns();
	int rc;

	if (pvx_evtchn_notify(ev) < 0)
		return 0;
	do
		rc = poll(&p, 1, ECHO_TIMEOUT_MS);
	while (rc < 0 && errno == EINTR);
	if (rc <= 0 || pvx_evtchn_consume(ev) < 0)
		return 0;
	return now_ns() - t0;
}

static int run(struct pvx_ctl *c, int32_t dom, uint32_t port, unsigned count,
	       uint64_t *lat)
{
	struct pvx_evtchn ev = { .event_fd = -1, .notify_fd = -1 };
	unsigned i;
	int rc = pvx_evtchn_bind(c, dom, port, &ev);

	if (rc < 0) {
		fprintf(stderr, "minios-dom0-peer: bind to %d:%u: %s\n", dom, port, strerror(-rc));
		return 1;
	}
	/* Binding marks our new port pending (Xen semantics, so no event
	 * is lost across the bind): drop that one, or every round trip
	 * would see the previous echo. */
	pvx_evtchn_consume(&ev);
	for (i = 0; i < count; i++) {
		lat[i] = round_trip(&ev);
		if (!lat[i]) {
			fprintf(stderr, "minios-dom0-peer: no echo for event %u of %u\n", i + 1, count);
			pvx_evtchn_close(c, &ev);
			return 1;
		}
	}
	pvx_evtchn_close(c, &ev);
	qsort(lat, count, sizeof(*lat), cmp_u64);
	printf("dom0<->guest event round trip: n=%u median=%llu ns p99=%llu ns min=%llu ns max=%llu ns\n",
	       count, (unsigned long long)lat[count / 2],
	       (unsigned long long)lat[(uint64_t)count * 99 / 100],
	       (unsigned long long)lat[0], (unsigned long long)lat[count - 1]);
	return 0;
}

int main(int argc, char **argv)
{
	struct pvx_ctl *c = NULL;
	uint64_t *lat;
	unsigned count;
	char why[160];
	int rc;

	if (argc != 4 || atoi(argv[3]) <= 0) {
		fprintf(stderr, "usage: minios-dom0-peer DOMID PORT COUNT\n");
		return 2;
	}
	count = (unsigned)atoi(argv[3]);
	lat = calloc(count, sizeof(*lat));
	if (!lat)
		return 1;
	rc = pvx_ctl_open(&c);
	if (rc < 0) {
		pvx_ctl_open_error(rc, why, sizeof(why));
		fprintf(stderr, "minios-dom0-peer: %s\n", why);
		free(lat);
		return 1;
	}
	rc = run(c, atoi(argv[1]), (uint32_t)strtoul(argv[2], NULL, 10), count, lat);
	pvx_ctl_close(c);
	free(lat);
	return rc;
}
