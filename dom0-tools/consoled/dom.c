/*
 * One served domain console.
 *
 * Output path: guest kick (event_fd readable) -> drain the `out` ring
 * into a private buffer -> append it to <logdir>/console/<name>.log with
 * write(2) (nothing is buffered in this process, so nothing is lost if
 * we die next) -> copy it to every attachment. Draining frees ring space,
 * so the guest is kicked back after any progress (a guest blocked on a
 * full ring can go on). A guest that keeps the ring full is served
 * CONS_DRAIN_ROUNDS reads per turn, then the loop serves others first.
 *
 * Input path: bytes from the one read-write attachment go into the `in`
 * ring as far as they fit; the rest waits in that client's buffer until
 * the guest kicks us again (it has consumed some).
 *
 * Removal (domain death, `remove`, shutdown) always drains the ring one
 * last time first: the mapping of the guest's memory is ours and stays
 * valid after pvxd let the domain go, so a guest that dies right after
 * writing still has every byte logged. Text a guest wrote only through
 * console_io, before it ever used its ring, is handled by early.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "consoled.h"

struct cons_dom *cons_dom_find(struct consoled *cd, int32_t domid)
{
	struct cons_dom *d;

	LIST_FOREACH(d, &cd->doms, link)
		if (d->domid == domid)
			return d;
	return NULL;
}

static void write_log(struct cons_dom *d, const char *buf, size_t n)
{
	ssize_t w;

	while (n && d->log_fd >= 0) {
		w = write(d->log_fd, buf, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			pvx_log_err("domain %d (%s): writing %s: %s; logging stops",
			     d->domid, d->name, d->log_path, strerror(errno));
			close(d->log_fd);
			d->log_fd = -1;
			return;
		}
		buf += w;
		n -= (size_t)w;
	}
}

void cons_dom_emit(struct cons_dom *d, const char *buf, size_t n)
{
	struct cons_client *c, *next;

	d->bytes_out += n;
	write_log(d, buf, n);
	for (c = LIST_FIRST(&d->clients); c; c = next) {
		next = LIST_NEXT(c, link);
		cons_client_send(c, buf, n);
	}
}

static void note_corrupt(struct cons_dom *d, const char *ring)
{
	/* Rate-limited: a hostile guest must not flood our log. */
	if (d->corrupt_events++ < 5)
		pvx_log_warn("domain %d (%s): console %s ring indices are"
		     " corrupt; resynchronised", d->domid, d->name, ring);
}

/* Drains up to `rounds` ring-fulls; true if the ring may hold more. */
static bool drain(struct cons_dom *d, int rounds)
{
	char buf[sizeof(d->ring.intf->out)];
	size_t n, total = 0;
	bool corrupt;

	for (int i = 0; i < rounds; i++) {
		n = cons_ring_read(&d->ring, buf, sizeof(buf), &corrupt);
		if (corrupt)
			note_corrupt(d, "output");
		if (n == 0)
			break;
		if (!d->ring_seen) {
			d->ring_seen = true;
			cons_early_ring_started(d, buf, n);
		}
		cons_dom_emit(d, buf, n);
		total += n;
		if (i == rounds - 1) {
			d->io->notify(d->io);
			return true;
		}
	}
	if (total)
		d->io->notify(d->io);
	return false;
}

void cons_dom_drain(struct cons_dom *d)
{
	if (drain(d, CONS_DRAIN_ROUNDS))
		event_active(d->ev, EV_READ, 0);   /* more: after the others */
}

static void ring_cb(evutil_socket_t fd, short what, void *arg)
{
	struct cons_dom *d = arg;

	(void)fd;
	(void)what;
	d->io->consume(d->io);
	cons_dom_drain(d);
	cons_dom_push_input(d);
}

/* Input for the guest; returns how many bytes fitted in its ring. */
size_t cons_dom_input(struct cons_dom *d, const char *buf, size_t len)
{
	bool corrupt;
	size_t n = cons_ring_write(&d->ring, buf, len, &corrupt);

	if (corrupt)
		note_corrupt(d, "input");
	if (n)
		d->io->notify(d->io);
	return n;
}

void cons_dom_push_input(struct cons_dom *d)
{
	if (d->rw)
		cons_client_take_input(d->rw, d);
}

static int open_log(struct consoled *cd, struct cons_dom *d)
{
	if (asprintf(&d->log_path, "%s/%s.log", cd->console_dir, d->name) < 0) {
		d->log_path = NULL;
		return -ENOMEM;
	}
	d->log_fd = open(d->log_path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
	if (d->log_fd < 0) {
		pvx_log_err("cannot open %s: %s", d->log_path, strerror(errno));
		return -errno;
	}
	return 0;
}

static void dom_free(struct cons_dom *d)
{
	cons_early_dispose(d);
	if (d->ev)
		event_free(d->ev);
	if (d->io)
		d->io->release(d->io);
	if (d->log_fd >= 0)
		close(d->log_fd);
	free(d->log_path);
	free(d);
}

int cons_dom_add(struct consoled *cd, int32_t domid, const char *name,
		 struct cons_dom **out)
{
	struct cons_dom *d = cons_dom_find(cd, domid);
	int rc;

	if (d) {
		*out = d;
		return name && strcmp(name, d->name) ? -EEXIST : 0;
	}
	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	d->cd = cd;
	d->domid = domid;
	d->log_fd = -1;
	d->early.log_mark = -1;
	LIST_INIT(&d->clients);
	snprintf(d->name, sizeof(d->name), "%s", name ? name : "");
	rc = cd->open_io(cd, domid, d->name, sizeof(d->name), &d->io);
	if (rc)
		goto err;
	rc = cons_name_valid(d->name) ? open_log(cd, d) : -EINVAL;
	if (rc)
		goto err;
	cons_ring_init(&d->ring, d->io->intf);
	/* A ring that moved already (we were restarted): the ring is the
	 * console, no console_io mirror (it would repeat the log). */
	d->ring_seen = d->ring.out_cons != 0 ||
		       __atomic_load_n(&d->io->intf->out_prod, __ATOMIC_ACQUIRE) != 0;
	d->ev = event_new(cd->ds.base, d->io->event_fd, EV_READ | EV_PERSIST, ring_cb, d);
	if (!d->ev || event_add(d->ev, NULL)) {
		rc = -ENOMEM;
		goto err;
	}
	rc = cons_early_start(d);
	if (rc)
		goto err;
	LIST_INSERT_HEAD(&cd->doms, d, link);
	pvx_log_info("domain %d (%s): console served, log %s", domid,
	     d->name, d->log_path);
	cons_dom_drain(d);      /* anything written before we bound the port */
	*out = d;
	return 0;
err:
	dom_free(d);
	return rc;
}

/* The guest stopped running (shut down, crashed): its last words are in
 * the ring or, if it never used the ring, in its console_io log. */
void cons_dom_stopped(struct cons_dom *d)
{
	cons_dom_drain(d);
	cons_early_finish(d);
}

void cons_dom_remove(struct cons_dom *d)
{
	struct cons_client *c;

	/* A dead guest cannot refill the ring, a live one is cut off here:
	 * bound the last drain either way. */
	drain(d, CONS_DRAIN_ROUNDS);
	cons_early_finish(d);
	while ((c = LIST_FIRST(&d->clients)))
		cons_client_end(c);     /* detaches: moves it off our list */
	LIST_REMOVE(d, link);
	pvx_log_info("domain %d (%s): console closed after %llu bytes",
	     d->domid, d->name, (unsigned long long)d->bytes_out);
	dom_free(d);
}

/* Sends the last CONS_REPLAY_BYTES of the log, from a line start. */
static void replay(struct cons_dom *d, struct cons_client *c)
{
	char *buf = malloc(CONS_REPLAY_BYTES), *start;
	struct stat st;
	off_t off = 0;
	ssize_t n;
	int fd = open(d->log_path, O_RDONLY | O_CLOEXEC);

	if (fd >= 0 && buf && fstat(fd, &st) == 0) {
		if (st.st_size > CONS_REPLAY_BYTES)
			off = st.st_size - CONS_REPLAY_BYTES;
		n = pread(fd, buf, CONS_REPLAY_BYTES, off);
		start = buf;
		if (n > 0 && off > 0) {
			char *nl = memchr(buf, '\n', (size_t)n);

			start = nl ? nl + 1 : buf;
		}
		if (n > 0)
			cons_client_send(c, start, (size_t)(buf + n - start));
	}
	if (fd >= 0)
		close(fd);
	free(buf);
}

/* Attaches c (in command mode) to d; returns whether it is the rw one. */
int cons_dom_attach(struct cons_dom *d, struct cons_client *c, bool want_rw)
{
	LIST_REMOVE(c, link);
	LIST_INSERT_HEAD(&d->clients, c, link);
	c->dom = d;
	c->rw = want_rw && !d->rw;
	if (c->rw)
		d->rw = c;
	replay(d, c);
	return c->rw;
}

void cons_dom_detach(struct cons_dom *d, struct cons_client *c)
{
	if (d->rw == c)
		d->rw = NULL;
	LIST_REMOVE(c, link);
	LIST_INSERT_HEAD(&d->cd->clients, c, link);
	c->dom = NULL;
	c->rw = false;
}
