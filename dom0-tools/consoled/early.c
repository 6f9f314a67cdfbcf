/*
 * Console text a guest wrote through the console_io hypercall before it
 * ever used its console ring.
 *
 * A guest that dies during early boot (minios `crash-early`, a Linux
 * kernel panicking before hvc0 is up) prints through console_io only;
 * pvxd keeps that text in the domain's log, which goes away with the
 * domain. So while a domain's ring has carried nothing, its console_io
 * text is mirrored into its console log: polled every 5 ms for the first
 * 200 ms, every 50 ms up to 5 s, then every 500 ms, and once more when
 * the domain stops or is removed. The first ring byte ends the mirror
 * and truncates the log back to where the mirror began: from then on
 * the ring is the console (guests print everything there, Linux even
 * replays its early messages), so nothing appears twice. In short: the
 * console log holds the ring output, or, for a guest that never used
 * its ring, what it wrote through console_io.
 *
 * A domain destroyed within a few ms of its last console_io write may
 * lose that write here (it is still in pvxd.log); the ring path has no
 * such window because we hold the mapping.
 */
#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "consoled.h"

#define FETCH_ROUNDS 16

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void fetch(struct cons_dom *d)
{
	char buf[4096];
	int n;

	for (int i = 0; i < FETCH_ROUNDS; i++) {
		n = d->io->read_log(d->io, &d->early.off, buf, sizeof(buf));
		if (n <= 0)
			return;
		cons_dom_emit(d, buf, (size_t)n);
	}
}

static void arm(struct cons_dom *d)
{
	uint64_t age_ms = (now_ns() - d->early.started_ns) / 1000000;
	struct timeval tv = { 0, age_ms < 200 ? 5000 : age_ms < 5000 ? 50000 : 500000 };

	evtimer_add(d->early.timer, &tv);
}

static void timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct cons_dom *d = arg;

	(void)fd;
	(void)what;
	if (d->early.done)
		return;
	fetch(d);
	arm(d);
}

int cons_early_start(struct cons_dom *d)
{
	struct cons_early *e = &d->early;

	e->done = true;
	if (!d->io->read_log || d->log_fd < 0)
		return 0;
	e->log_mark = lseek(d->log_fd, 0, SEEK_END);
	e->timer = evtimer_new(d->cd->base, timer_cb, d);
	if (!e->timer)
		return -ENOMEM;
	e->done = false;
	e->started_ns = now_ns();
	fetch(d);
	arm(d);
	return 0;
}

void cons_early_ring_started(struct cons_dom *d)
{
	struct cons_early *e = &d->early;

	if (e->done)
		return;
	e->done = true;
	evtimer_del(e->timer);
	if (e->log_mark >= 0 && d->log_fd >= 0 &&
	    lseek(d->log_fd, 0, SEEK_END) > e->log_mark &&
	    ftruncate(d->log_fd, e->log_mark))
		cons_log(CLOG_WARN, "domain %d (%s): cannot truncate %s: %s",
			 d->domid, d->name, d->log_path, strerror(errno));
}

void cons_early_finish(struct cons_dom *d)
{
	struct cons_early *e = &d->early;

	if (e->done)
		return;
	fetch(d);
	e->done = true;
	evtimer_del(e->timer);
}

void cons_early_dispose(struct cons_dom *d)
{
	if (d->early.timer)
		event_free(d->early.timer);
	d->early.timer = NULL;
}
