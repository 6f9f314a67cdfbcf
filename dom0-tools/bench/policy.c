/*
 * Notification policies, one ops row each (STYLE: variation through ops
 * structs, not flags tested in the loops):
 *
 *   always   the producer signals the peer's eventfd after every push, and
 *            an idle consumer blocks in read(). No lost wake-up: a push that
 *            lands between "nothing to do" and read() has already bumped
 *            the eventfd, so read() returns at once.
 *   holdoff  Xen's rules: the producer signals only when the ring header's
 *            push_*_and_check_notify says the peer asked (req_event /
 *            rsp_event lies in the batch just published); an idle consumer
 *            first runs final_check_* (re-arms the event index, looks
 *            again) and blocks only if that still finds nothing.
 *   poll     nobody signals; an idle side spins with a pause hint, and a
 *            push is a plain release store of the producer index.
 *
 * With --spin, an idle side of a blocking policy first polls the ring for
 * that long (front.c / back.c) and only then runs the wait below: the
 * notification rules stay the same, fewer of them fire.
 */
#include <errno.h>
#include <stdint.h>
#include <unistd.h>

#include "bench.h"

int bench_evt_notify(int fd)
{
	uint64_t one = 1;

	return write(fd, &one, sizeof(one)) == sizeof(one) ? 0 : -errno;
}

int bench_evt_wait(int fd)
{
	uint64_t v;
	ssize_t n;

	do
		n = read(fd, &v, sizeof(v));
	while (n < 0 && errno == EINTR);
	return n == sizeof(v) ? 0 : n < 0 ? -errno : -EIO;
}

static int notify(int fd, bool yes)
{
	return !yes ? 0 : bench_evt_notify(fd) ? -errno : 1;
}

static int always_front_push(struct bench_shm *s, struct bench_front_ring *fr)
{
	bench_front_push_requests_and_check_notify(fr);
	return notify(s->kick_fd, true);
}

static int always_back_push(struct bench_shm *s, struct bench_back_ring *br)
{
	bench_back_push_responses_and_check_notify(br);
	return notify(s->call_fd, true);
}

static int holdoff_front_push(struct bench_shm *s, struct bench_front_ring *fr)
{
	return notify(s->kick_fd, bench_front_push_requests_and_check_notify(fr));
}

static int holdoff_back_push(struct bench_shm *s, struct bench_back_ring *br)
{
	return notify(s->call_fd, bench_back_push_responses_and_check_notify(br));
}

/*
 * A polling producer never notifies, so it publishes its index without the
 * full fence and event-index read that only the notify decision needs.
 */
static int poll_front_push(struct bench_shm *s, struct bench_front_ring *fr)
{
	(void)s;
	/* Write the request bodies before publishing req_prod. */
	__atomic_thread_fence(__ATOMIC_RELEASE);
	pvx_ring_write_idx(&fr->sring->hdr.req_prod, fr->r.req_prod_pvt);
	return 0;
}

static int poll_back_push(struct bench_shm *s, struct bench_back_ring *br)
{
	(void)s;
	/* Finish reading requests and writing responses before publishing rsp_prod. */
	__atomic_thread_fence(__ATOMIC_RELEASE);
	pvx_ring_write_idx(&br->sring->hdr.rsp_prod, br->r.rsp_prod_pvt);
	return 0;
}

static int always_front_wait(struct bench_shm *s, struct bench_front_ring *fr)
{
	int r = bench_front_has_unconsumed_responses(fr);

	return r != 0 ? r : bench_evt_wait(s->call_fd);
}

static int always_back_wait(struct bench_shm *s, struct bench_back_ring *br)
{
	int r = bench_back_has_unconsumed_requests(br);

	return r != 0 ? r : bench_evt_wait(s->kick_fd);
}

static int holdoff_front_wait(struct bench_shm *s, struct bench_front_ring *fr)
{
	int r = bench_front_final_check_for_responses(fr);

	return r != 0 ? r : bench_evt_wait(s->call_fd);
}

static int holdoff_back_wait(struct bench_shm *s, struct bench_back_ring *br)
{
	int r = bench_back_final_check_for_requests(br);

	return r != 0 ? r : bench_evt_wait(s->kick_fd);
}

/*
 * A polling side re-reads the ring after one pause hint. Longer back-offs
 * (8 pauses) were tried to keep the shared index line from bouncing: no
 * throughput gain was measurable here, and the one-in-flight round trip
 * grew from ~145 to ~260 ns.
 */
#define POLL_BACKOFF 1

static void backoff(void)
{
	for (int i = 0; i < POLL_BACKOFF; i++)
		__builtin_ia32_pause();
}

static int poll_front_wait(struct bench_shm *s, struct bench_front_ring *fr)
{
	(void)s, (void)fr;
	backoff();
	return 0;
}

static int poll_back_wait(struct bench_shm *s, struct bench_back_ring *br)
{
	(void)s, (void)br;
	backoff();
	return 0;
}

static const struct bench_policy policies[] = {
	[BENCH_NOTIFY_ALWAYS] = { "always", true, always_front_push, always_back_push,
				  always_front_wait, always_back_wait },
	[BENCH_NOTIFY_HOLDOFF] = { "holdoff", true, holdoff_front_push, holdoff_back_push,
				   holdoff_front_wait, holdoff_back_wait },
	[BENCH_NOTIFY_POLL] = { "poll", false, poll_front_push, poll_back_push,
				poll_front_wait, poll_back_wait },
};

const struct bench_policy *bench_policy_get(enum bench_notify n)
{
	return &policies[n];
}
