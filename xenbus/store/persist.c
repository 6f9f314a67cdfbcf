/*
 * Persistence: a snapshot of the whole store ("<file>", see
 * persist_rec.c) plus an append-only journal of the changes made since
 * ("<file>.journal"), so the cost of persisting follows what changed, not
 * the size of the store.
 *
 * Write path: tree.c reports each node change (on_node), each change of
 * a domain or its ring's watches (on_domain) and of the special nodes'
 * permissions (on_change). Records collect in a buffer; before any
 * output leaves (xs_conn_flush calls persist_flush, never in the middle
 * of a request) the buffer goes to the journal as one CRC-checked frame
 * with one write(); a ring's requests answered in one pass share it. So:
 *  - every acknowledged change is in the kernel before the client hears
 *    of it (reply or watch event): killing pvxstored (even kill -9) loses
 *    nothing acknowledged;
 *  - group commit: the first frame after a sync point arms a timer, and
 *    fdatasync runs interval_ms (200 in pvxstored) later, so a host crash
 *    or power loss loses at most the changes acknowledged in the last
 *    interval plus the fdatasync's own duration;
 *  - a frame holds whole requests (a transaction's commit included):
 *    replay applies each whole or not at all.
 * Changes made outside a request (a domain dying) are flushed from the
 * event loop right after.
 *
 * Compaction: when the journal outgrows max(snapshot, 8 MiB), the store
 * is written to "<file>.tmp" (fdatasync, rename, directory fsync) with the
 * next epoch, then an empty journal of that epoch replaces the old one
 * the same way. A crash in between leaves a journal of the old epoch,
 * which the loader ignores: its changes are in the new snapshot. Restart
 * reads at most one snapshot and a journal of about the same size.
 *
 * Write errors (a full disk): the journal is cut back to its last whole
 * frame, records are no longer buffered, and a compaction is retried
 * every second until one succeeds; one log line per failure run.
 */
#include <errno.h>
#include <event2/event.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "persist_priv.h"

#define RETRY_MS 1000


static struct timeval ms_tv(unsigned ms)
{
	struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };

	return tv;
}

int persist_fsync_dir(const char *path)
{
	char *copy = strdup(path);
	int fd, rc = 0;

	if (!copy)
		return -ENOMEM;
	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fsync(fd))
		rc = -errno;
	if (fd >= 0)
		close(fd);
	free(copy);
	return rc;
}

/* Writes the frame for payload p[0..n) at the journal's end. */
static int append_frame(struct persist *ps, const void *p, size_t n)
{
	uint8_t hdr[JOURNAL_HDR];
	struct iovec iov[2] = { { hdr, sizeof(hdr) }, { (void *)p, n } };
	size_t want = sizeof(hdr) + n, done = 0;
	ssize_t k;

	journal_frame_hdr(hdr, p, (uint32_t)n);
	while (done < want) {
		k = done < sizeof(hdr) ?
			writev(ps->fd, iov, 2) :
			write(ps->fd, (const uint8_t *)p + (done - sizeof(hdr)),
			      want - done);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return k < 0 ? -errno : -EIO;
		done += (size_t)k;
		if (done < sizeof(hdr)) {
			iov[0].iov_base = hdr + done;
			iov[0].iov_len = sizeof(hdr) - done;
		}
	}
	ps->journal_bytes += want;
	return 0;
}

int persist_journal_create(struct persist *ps, const char *path,
			   uint64_t epoch, int *out)
{
	char tmp[4200];
	struct jbuf b = { 0 };
	int fd, rc;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	jb_put8(&b, 'H');
	jb_put64(&b, epoch);
	rc = write(fd, MAGIC_JOURNAL, MAGIC_LEN) == MAGIC_LEN ? 0 : -EIO;
	if (!rc) {
		int save = ps->fd;

		ps->fd = fd;
		rc = append_frame(ps, b.p, b.len);
		ps->fd = save;
	}
	jb_free(&b);
	if (!rc && (fdatasync(fd) || rename(tmp, path)))
		rc = -errno;
	if (!rc)
		rc = persist_fsync_dir(path);
	if (rc) {
		close(fd);
		unlink(tmp);
		return rc;
	}
	*out = fd;
	return 0;
}

void persist_journal_close(struct persist *ps)
{
	if (ps->fd >= 0)
		close(ps->fd);
	ps->fd = -1;
}

static int write_snapshot(struct xs_store *st, struct persist *ps, uint64_t epoch)
{
	char tmp[4200];
	long long n;
	int fd, rc = 0;

	snprintf(tmp, sizeof(tmp), "%s.tmp", ps->path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	n = persist_write_snapshot(st, fd, epoch);
	if (n < 0)
		rc = (int)n;
	else if (fdatasync(fd))
		rc = -errno;
	close(fd);
	if (!rc && rename(tmp, ps->path))
		rc = -errno;
	if (!rc)
		rc = persist_fsync_dir(ps->path);
	if (rc) {
		unlink(tmp);
		return rc;
	}
	ps->snap_bytes = (uint64_t)n;
	return 0;
}

int persist_save(struct xs_store *st)
{
	struct persist *ps = st->persist;
	uint64_t jbytes;
	struct timespec t0;
	struct timeval tv;
	int rc, fd;

	if (!ps)
		return 0;
	if (ps->bg_pid)
		persist_bg_wait(st);
	jbytes = ps->journal_bytes;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ps->compact_queued = false;
	persist_flush(st);
	rc = write_snapshot(st, ps, ps->epoch + 1);
	if (!rc) {
		ps->epoch++;
		persist_journal_close(ps);
		ps->journal_bytes = 0;
		rc = persist_journal_create(ps, ps->jpath, ps->epoch, &fd);
		if (!rc)
			ps->fd = fd;
	}
	if (rc) {
		if (!ps->broken)
			pvx_log_err("persist: cannot write %s: %s; retrying every "
				    "%u ms", ps->path, strerror(-rc), RETRY_MS);
		ps->broken = true;
		persist_journal_close(ps);
		tv = ms_tv(RETRY_MS);
		event_add(ps->compact_ev, &tv);
		return rc;
	}
	if (ps->broken)
		pvx_log_info("persist: %s written again", ps->path);
	/* A journal.next left by a compaction in a child is older than the
	 * snapshot now (lower epoch); gone, it cannot confuse anyone. */
	if (unlink(ps->npath) == 0)
		persist_fsync_dir(ps->npath);
	/* The loop stood still meanwhile: say for how long. */
	pvx_log_info("persist: compacted a %llu-byte journal into a %llu-byte "
		     "snapshot (epoch %llu) in-process in %lld ms",
		     (unsigned long long)jbytes, (unsigned long long)ps->snap_bytes,
		     (unsigned long long)ps->epoch, persist_ms_since(&t0));
	ps->broken = false;
	ps->meta_dirty = ps->all_dirty = false;
	ps->ndirty = 0;
	return 0;
}

static void sync_cb(evutil_socket_t fd, short what, void *arg)
{
	struct persist *ps = arg;

	(void)fd;
	(void)what;
	ps->sync_armed = false;
	ps->syncs++;
	if (ps->fd >= 0 && fdatasync(ps->fd))
		pvx_log_err("persist: fdatasync %s: %s", ps->jpath, strerror(errno));
}

long long persist_ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (long long)((t1.tv_sec - t0->tv_sec) * 1000 +
			   (t1.tv_nsec - t0->tv_nsec) / 1000000);
}

/* The journal outgrew the snapshot (or a failed save is retried). */
static void compact_cb(evutil_socket_t fd, short what, void *arg)
{
	struct xs_store *st = arg;
	struct persist *ps = st->persist;

	(void)fd;
	(void)what;
	if (ps->bg_pid)
		return;
	if (ps->broken || persist_bg_start(st))
		persist_save(st);
}

static void journal_failed(struct xs_store *st, struct persist *ps, int rc)
{
	pvx_log_err("persist: cannot append to %s: %s; compacting instead",
		    ps->jpath, strerror(-rc));
	/* Cut a partial frame off, so appends after a retry stay readable. */
	if (ftruncate(ps->fd, (off_t)ps->journal_bytes))
		pvx_log_err("persist: ftruncate %s: %s", ps->jpath, strerror(errno));
	persist_save(st);
}

/* The request's changes of domains and special nodes, as they are now. */
static void put_dirty(struct xs_store *st, struct persist *ps)
{
	size_t i;

	if (ps->all_dirty) {
		persist_put_meta(&ps->buf, st);
		return;
	}
	if (ps->meta_dirty)
		persist_put_specials(&ps->buf, st);
	for (i = 0; i < ps->ndirty; i++)
		persist_put_domain(&ps->buf, st, ps->dirty[i]);
}

void persist_flush(struct xs_store *st)
{
	struct persist *ps = st->persist;
	struct timeval tv;
	int rc;

	if (!ps)
		return;
	if (!ps->broken)
		put_dirty(st, ps);
	ps->meta_dirty = ps->all_dirty = false;
	ps->ndirty = 0;
	if (!ps->buf.len || ps->broken) {
		jb_reset(&ps->buf);
		return;
	}
	rc = ps->buf.err ? -ENOMEM : append_frame(ps, ps->buf.p, ps->buf.len);
	jb_reset(&ps->buf);
	if (rc) {
		journal_failed(st, ps, rc);
		return;
	}
	if (!ps->sync_armed) {
		ps->sync_armed = true;
		tv = ms_tv(ps->interval_ms);
		evtimer_add(ps->sync_timer, &tv);
	}
	if (!ps->compact_queued && ps->journal_bytes >
	    (ps->snap_bytes * PERSIST_COMPACT_RATIO > PERSIST_COMPACT_MIN ?
	     ps->snap_bytes * PERSIST_COMPACT_RATIO : PERSIST_COMPACT_MIN)) {
		ps->compact_queued = true;
		event_active(ps->compact_ev, 0, 0);
	}
}

static void flush_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	persist_flush(arg);
}

void persist_request_done(struct xs_store *st)
{
	struct persist *ps = st->persist;

	if (ps && (ps->buf.len || ps->ndirty || ps->meta_dirty || ps->all_dirty))
		event_active(ps->flush_ev, 0, 0);
}

/* Outside a request nobody waits for an answer: flush from the loop. */
static void soon(struct xs_store *st, struct persist *ps)
{
	if (!st->in_request)
		event_active(ps->flush_ev, 0, 0);
}

static void on_node(struct xs_store *st, const char *path, const struct xs_node *n)
{
	struct persist *ps = st->persist;

	if (ps->broken)
		return;
	if (n)
		persist_put_node(&ps->buf, path, n);
	else
		persist_put_remove(&ps->buf, path);
	soon(st, ps);
}

static void on_change(struct xs_store *st)
{
	struct persist *ps = st->persist;

	ps->meta_dirty = true;
	soon(st, ps);
}

/* One record per changed domain, not all of them: a guest registering a
 * watch must not cost a write of every domain's watches. */
static void on_domain(struct xs_store *st, uint32_t domid)
{
	struct persist *ps = st->persist;
	uint32_t *q;
	size_t i;

	for (i = 0; i < ps->ndirty; i++)
		if (ps->dirty[i] == domid)
			return;
	if (ps->ndirty == ps->cdirty) {
		q = realloc(ps->dirty, (ps->cdirty ? ps->cdirty * 2 : 16) *
			    sizeof(*q));
		if (!q) {
			ps->all_dirty = true;
			soon(st, ps);
			return;
		}
		ps->dirty = q;
		ps->cdirty = ps->cdirty ? ps->cdirty * 2 : 16;
	}
	ps->dirty[ps->ndirty++] = domid;
	soon(st, ps);
}

static int open_journal(struct persist *ps, const struct persist_info *info)
{
	int fd = open(ps->jpath, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	/* Drop a torn tail, so what we append is read after it. */
	if (ftruncate(fd, (off_t)info->journal_end) ||
	    lseek(fd, 0, SEEK_END) < 0) {
		close(fd);
		return -errno;
	}
	ps->fd = fd;
	ps->journal_bytes = info->journal_end;
	ps->snap_bytes = info->snap_bytes;
	ps->epoch = info->epoch;
	return 0;
}

static void persist_free(struct persist *ps)
{
	if (!ps)
		return;
	if (ps->sync_timer)
		event_free(ps->sync_timer);
	if (ps->flush_ev)
		event_free(ps->flush_ev);
	if (ps->compact_ev)
		event_free(ps->compact_ev);
	persist_journal_close(ps);
	jb_free(&ps->buf);
	free(ps->dirty);
	free(ps->path);
	free(ps->jpath);
	free(ps->npath);
	free(ps);
}

int persist_init(struct xs_store *st, const char *path, unsigned interval_ms,
		 const struct persist_info *info)
{
	struct persist *ps = calloc(1, sizeof(*ps));

	if (!ps)
		return -ENOMEM;
	ps->fd = ps->bg_fd = -1;
	ps->interval_ms = interval_ms;
	ps->path = strdup(path);
	if (ps->path && asprintf(&ps->jpath, "%s.journal", path) < 0)
		ps->jpath = NULL;
	if (ps->path && asprintf(&ps->npath, "%s.journal.next", path) < 0)
		ps->npath = NULL;
	ps->sync_timer = evtimer_new(st->base, sync_cb, ps);
	ps->flush_ev = event_new(st->base, -1, 0, flush_cb, st);
	ps->compact_ev = evtimer_new(st->base, compact_cb, st);
	if (!ps->path || !ps->jpath || !ps->npath || !ps->sync_timer || !ps->flush_ev ||
	    !ps->compact_ev)
		goto err;
	st->persist = ps;
	/* Go on with the journal that was replayed, or start afresh. */
	if (!info || !info->journal_ok || open_journal(ps, info)) {
		/* A failure is logged and retried: the daemon runs on. */
		ps->epoch = info ? info->epoch : 0;
		persist_save(st);
	}
	st->on_node = on_node;
	st->on_change = on_change;
	st->on_domain = on_domain;
	return 0;
err:
	st->persist = NULL;
	persist_free(ps);
	return -ENOMEM;
}

void persist_dispose(struct xs_store *st)
{
	struct persist *ps = st->persist;

	if (!ps)
		return;
	if (ps->bg_pid)
		persist_bg_wait(st);
	persist_flush(st);
	if (ps->fd >= 0 && fdatasync(ps->fd))
		pvx_log_err("persist: fdatasync %s: %s", ps->jpath, strerror(errno));
	persist_free(ps);
	st->persist = NULL;
	st->on_node = NULL;
	st->on_change = NULL;
	st->on_domain = NULL;
}
