/*
 * Compaction in a child process, so the loop does not stand still while
 * a large store is written (380-520 ms at 100 MiB in-process). At the
 * start, in the loop:
 *   1. the buffer is flushed and the journal (epoch E) fdatasync'd: it is
 *      complete and durable, and no longer appended to;
 *   2. "<file>.journal.next" is created with epoch E+1 and from now on
 *      receives every change;
 *   3. fork(): the child holds a copy-on-write image of the store as it
 *      was at this instant, writes it as snapshot E+1 to "<file>.tmp",
 *      fdatasyncs it and exits, reporting through a pipe.
 * When the child is done, in the loop: "<file>.tmp" is renamed over the
 * snapshot, then journal.next over the journal (each followed by a
 * directory fsync). The loader copes with a crash anywhere in between:
 * it replays the journal if its epoch is the snapshot's, then
 * journal.next if its epoch is the one expected after that (snapshot E:
 * journal E then next E+1; snapshot E+1: stale journal E skipped, next
 * E+1). If the child fails, the compaction is done in-process.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "persist_priv.h"

static void child(struct xs_store *st, struct persist *ps, int pipe_w)
{
	char tmp[4200], ok = 0;
	int fd;

	/* The parent's handlers (libevent's) would report a signal sent to
	 * us as the daemon's own: a signal just ends the child, and the
	 * parent compacts in-process instead. */
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGHUP, SIG_DFL);

	snprintf(tmp, sizeof(tmp), "%s.tmp", ps->path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd >= 0 && persist_write_snapshot(st, fd, ps->epoch) > 0 &&
	    fdatasync(fd) == 0)
		ok = 1;
	if (write(pipe_w, &ok, 1) != 1)
		ok = 0;
	_exit(ok ? 0 : 1);
}

/* Renames the child's work into place; false if anything failed. */
static bool install(struct persist *ps)
{
	char tmp[4200];
	struct stat sb;

	snprintf(tmp, sizeof(tmp), "%s.tmp", ps->path);
	if (stat(tmp, &sb) || rename(tmp, ps->path) ||
	    persist_fsync_dir(ps->path) || rename(ps->npath, ps->jpath) ||
	    persist_fsync_dir(ps->jpath))
		return false;
	ps->snap_bytes = (uint64_t)sb.st_size;
	return true;
}

static void finish(struct xs_store *st, struct persist *ps, bool child_ok)
{
	bool ok;

	event_free(ps->bg_ev);
	ps->bg_ev = NULL;
	close(ps->bg_fd);
	ps->bg_fd = -1;
	ps->bg_pid = 0;
	ps->compact_queued = false;
	ok = child_ok && install(ps);
	if (!ok) {
		pvx_log_err("persist: compaction in a child failed (%s); "
			    "compacting in-process", child_ok ? strerror(errno) :
			    "the child reported an error");
		persist_save(st);
		return;
	}
	pvx_log_info("persist: compacted a %llu-byte journal into a %llu-byte "
		     "snapshot (epoch %llu) in a child in %lld ms (the loop "
		     "stopped %lld ms to start it)",
		     (unsigned long long)ps->bg_jbytes,
		     (unsigned long long)ps->snap_bytes,
		     (unsigned long long)ps->epoch, persist_ms_since(&ps->bg_t0),
		     ps->bg_stall_ms);
}

static bool reap(struct persist *ps, bool block)
{
	int status = 0;
	pid_t r;

	do
		r = waitpid(ps->bg_pid, &status, block ? 0 : WNOHANG);
	while (r < 0 && errno == EINTR);
	if (r == 0)
		return false;  /* not yet: the pipe closed early? wait more */
	return r == ps->bg_pid && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static void done_cb(evutil_socket_t fd, short what, void *arg)
{
	struct xs_store *st = arg;
	struct persist *ps = st->persist;

	(void)fd;
	(void)what;
	finish(st, ps, reap(ps, true));
}

int persist_compact(struct xs_store *st)
{
	struct persist *ps = st->persist;

	if (!ps || ps->bg_pid)
		return -EBUSY;
	return persist_bg_start(st);
}

void persist_bg_wait(struct xs_store *st)
{
	struct persist *ps = st->persist;

	if (ps->bg_pid)
		finish(st, ps, reap(ps, true));
}

/* Steps 1 and 2: the journal closed at a known point, journal.next open. */
static int switch_journal(struct persist *ps)
{
	int fd, rc;

	if (fdatasync(ps->fd))
		return -errno;
	rc = persist_journal_create(ps, ps->npath, ps->epoch + 1, &fd);
	if (rc)
		return rc;
	persist_journal_close(ps);
	ps->fd = fd;
	ps->epoch++;
	ps->bg_jbytes = ps->journal_bytes;
	ps->journal_bytes = (uint64_t)lseek(fd, 0, SEEK_END);
	return 0;
}

int persist_bg_start(struct xs_store *st)
{
	struct persist *ps = st->persist;
	int p[2], rc = -ENOMEM;
	pid_t pid;

	persist_flush(st);
	if (ps->broken || ps->fd < 0)
		return -EIO;
	clock_gettime(CLOCK_MONOTONIC, &ps->bg_t0);
	if (pipe2(p, O_CLOEXEC))
		return -errno;
	ps->bg_ev = event_new(st->base, p[0], EV_READ, done_cb, st);
	if (!ps->bg_ev || (rc = switch_journal(ps)))
		goto err;
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		child(st, ps, p[1]);
	}
	close(p[1]);
	p[1] = -1;
	if (pid < 0) {
		/* journal.next stays the live journal; the in-process save
		 * that follows writes epoch+1 and removes it. */
		rc = -errno;
		goto err;
	}
	ps->bg_pid = pid;
	ps->bg_fd = p[0];
	ps->bg_stall_ms = persist_ms_since(&ps->bg_t0);
	event_add(ps->bg_ev, NULL);
	return 0;
err:
	if (ps->bg_ev)
		event_free(ps->bg_ev);
	ps->bg_ev = NULL;
	close(p[0]);
	if (p[1] >= 0)
		close(p[1]);
	pvx_log_warn("persist: cannot compact in a child: %s", strerror(-rc));
	return rc;
}
