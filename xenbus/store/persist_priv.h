/*
 * Persistence's shared state and helpers (persist.c: the journal and
 * synchronous compaction; persist_bg.c: compaction in a child process).
 * Private to those two files.
 */
#ifndef XS_PERSIST_PRIV_H
#define XS_PERSIST_PRIV_H

#include <event2/event.h>
#include <sys/types.h>
#include <time.h>

#include "persist.h"

struct persist {
	char *path, *jpath;
	int fd;                  /* the journal, -1 while broken */
	uint64_t epoch;
	uint64_t snap_bytes, journal_bytes;
	struct jbuf buf;         /* this request's records */
	bool meta_dirty;         /* special nodes' permissions */
	bool all_dirty;          /* dirty[] could not grow: write every domain */
	uint32_t *dirty;         /* domains changed in this request */
	size_t ndirty, cdirty;
	bool sync_armed, broken, compact_queued;
	unsigned interval_ms;
	uint64_t syncs;          /* fdatasyncs done by the group-commit timer */
	struct event *sync_timer, *flush_ev, *compact_ev;
	/* A compaction in a child process (persist_bg.c). */
	char *npath;             /* <file>.journal.next */
	pid_t bg_pid;            /* 0: none running */
	int bg_fd;               /* the child's end-of-work pipe */
	struct event *bg_ev;
	struct timespec bg_t0;
	long long bg_stall_ms;   /* the loop's share: sync, switch, fork */
	uint64_t bg_jbytes;
};

int persist_fsync_dir(const char *path);
/* Creates path with a fresh "H epoch" header, durably; *out its fd. */
int persist_journal_create(struct persist *ps, const char *path,
			   uint64_t epoch, int *out);
void persist_journal_close(struct persist *ps);
long long persist_ms_since(const struct timespec *t0);

/* Compaction in a child (persist_bg.c): 0 if started; else -errno and
 * the caller compacts in-process. */
int persist_bg_start(struct xs_store *st);
/* Waits for a running child and finishes its compaction. */
void persist_bg_wait(struct xs_store *st);

#endif /* XS_PERSIST_PRIV_H */
