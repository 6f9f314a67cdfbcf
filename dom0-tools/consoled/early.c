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
 * the domain stops or is removed. The first ring output ends the
 * mirror: from then on the ring is the console. Guests that print to
 * both (minios: console_io first, then the ring) have that first ring
 * line in the mirror too, so the log is cut back to where that line
 * begins in the mirrored text, and nothing appears twice. In short: the
 * console log holds what the guest printed through console_io until its
 * ring came up, then the ring output. (A guest whose first ring line is
 * not in its console_io text keeps both; Linux with earlyprintk=xen
 * replays its early messages on hvc0, so those appear twice.)
 *
 * pvxd's own lines about the domain, which it also puts in that log,
 * are left out; text is mirrored whole lines at a time for that.
 *
 * A domain destroyed within a few ms of its last console_io write may
 * lose that write here (it is still in pvxd.log); the ring path has no
 * such window because we hold the mapping.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "consoled.h"

#define FETCH_ROUNDS 16
#define MIRROR_MAX   (1024 * 1024)  /* beyond: keep it all */

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* pvxd also logs its own lines about the domain into the domain's log
 * ("HH:MM:SS.mmm pvxd LEVEL: ..."); they are not the guest's console. */
static bool pvxd_line(const char *s, size_t n)
{
	static const char shape[] = "00:00:00.000 pvxd ";

	if (n < sizeof(shape) - 1)
		return false;
	for (size_t i = 0; i < sizeof(shape) - 1; i++) {
		if (shape[i] == '0' ? s[i] < '0' || s[i] > '9' : s[i] != shape[i])
			return false;
	}
	return true;
}

static void put_line(struct cons_dom *d, const char *s, size_t n)
{
	if (!pvxd_line(s, n))
		cons_dom_emit(d, s, n);
}

/* Splits console_io text into lines, holding back an incomplete one. */
static void mirror(struct cons_dom *d, const char *buf, size_t n)
{
	struct cons_early *e = &d->early;
	const char *nl;
	size_t k;

	while (n) {
		nl = memchr(buf, '\n', n);
		k = nl ? (size_t)(nl - buf) + 1 : n;
		if (e->line_len + k > sizeof(e->line)) {
			put_line(d, e->line, e->line_len);   /* too long: as is */
			e->line_len = 0;
		}
		if (e->line_len == 0 && nl) {
			put_line(d, buf, k);
		} else if (e->line_len + k <= sizeof(e->line)) {
			memcpy(e->line + e->line_len, buf, k);
			e->line_len += k;
			if (nl) {
				put_line(d, e->line, e->line_len);
				e->line_len = 0;
			}
		} else {
			cons_dom_emit(d, buf, k);
		}
		buf += k;
		n -= k;
	}
}

static void fetch(struct cons_dom *d)
{
	char buf[4096];
	int n;

	for (int i = 0; i < FETCH_ROUNDS; i++) {
		n = d->io->read_log(d->io, &d->early.off, buf, sizeof(buf));
		if (n <= 0)
			return;
		mirror(d, buf, (size_t)n);
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
	if (!d->io->read_log || d->log_fd < 0 || d->ring_seen)
		return 0;
	e->log_mark = lseek(d->log_fd, 0, SEEK_END);
	e->timer = evtimer_new(d->cd->ds.base, timer_cb, d);
	if (!e->timer)
		return -ENOMEM;
	e->done = false;
	e->started_ns = now_ns();
	fetch(d);
	arm(d);
	return 0;
}

/* Where in the mirrored text (log bytes from log_mark on) the guest's
 * first ring line begins, or -1. */
static int64_t find_overlap(struct cons_dom *d, const char *ring, size_t n)
{
	const char *nl = memchr(ring, '\n', n);
	size_t keylen = nl ? (size_t)(nl - ring) + 1 : n;
	off_t end = lseek(d->log_fd, 0, SEEK_END);
	size_t len = end > d->early.log_mark ? (size_t)(end - d->early.log_mark) : 0;
	char *buf, *hit;
	ssize_t got;
	int64_t pos = -1;

	if (len == 0 || len > MIRROR_MAX)
		return -1;
	buf = malloc(len);
	if (!buf)
		return -1;
	got = pread(d->log_fd, buf, len, d->early.log_mark);
	hit = got > 0 ? memmem(buf, (size_t)got, ring, keylen) : NULL;
	if (hit)
		pos = hit - buf;
	free(buf);
	return pos;
}

/* The first ring output (ring, n) is about to be logged. */
void cons_early_ring_started(struct cons_dom *d, const char *ring, size_t n)
{
	struct cons_early *e = &d->early;
	int64_t pos;

	if (e->done)
		return;
	fetch(d);       /* all that was written before this ring output */
	e->done = true;
	evtimer_del(e->timer);
	if (e->log_mark < 0 || d->log_fd < 0)
		return;
	pos = find_overlap(d, ring, n);
	if (pos >= 0 && ftruncate(d->log_fd, e->log_mark + pos))
		pvx_log_warn("domain %d (%s): cannot truncate %s: %s",
			 d->domid, d->name, d->log_path, strerror(errno));
}

void cons_early_finish(struct cons_dom *d)
{
	struct cons_early *e = &d->early;

	if (e->done)
		return;
	fetch(d);
	put_line(d, e->line, e->line_len);  /* the guest's last, unfinished line */
	e->line_len = 0;
	e->done = true;
	evtimer_del(e->timer);
}

void cons_early_dispose(struct cons_dom *d)
{
	if (d->early.timer)
		event_free(d->early.timer);
	d->early.timer = NULL;
}
