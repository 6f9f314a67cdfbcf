/*
 * xenstore client over the store ring (HVM_PARAM_STORE_PFN/EVTCHN): the
 * xsd_sockmsg wire protocol (io/xs_wire.h), callable from any thread.
 * Relative paths are relative to /local/domain/<our domid>, as xenstored
 * resolves them. Results: >= 0, or a negative Xen errno (the server's
 * "E..." error string mapped back, -XEN_ETIMEDOUT after 5 s without a
 * reply, -XEN_EIO once the server corrupted the ring).
 *
 * xs_init() (done at boot, idempotent) starts two threads: "xenbus", the
 * only reader of the response ring, which hands each reply to the
 * thread waiting for its req_id and each watch event to the watch that
 * owns its token; and "xenwatch", which runs watch callbacks. Several
 * threads may have requests outstanding at once.
 *
 * Watches, two ways:
 *  - struct xs_watch (caller-owned, lives until xs_watch_del): events
 *    for its token go to it alone: its callback runs on the xenwatch
 *    thread (a minios thread: it may block and issue requests), or, with
 *    no callback, xs_watch_wait() takes them one by one;
 *  - xs_watch(path, token) / xs_read_watch(): events for tokens no
 *    struct xs_watch owns, in one shared queue (the first API; kept).
 * Each watch keeps the last XS_WATCH_QLEN event paths; older ones are
 * dropped (events may be coalesced: re-read the state, as Xen says).
 */
#ifndef MINIOS_XENSTORE_H
#define MINIOS_XENSTORE_H

#include <stddef.h>
#include <stdint.h>

#define XS_WATCH_QLEN  4
#define XS_WATCH_PATH  256

int xs_init(void);
/* Value of path into buf (NUL-terminated); returns its length. */
int xs_read(uint32_t tx, const char *path, char *buf, size_t len);
int xs_write(uint32_t tx, const char *path, const char *value);
int xs_rm(uint32_t tx, const char *path);
/* Child names, each NUL-terminated, packed into buf; returns the count. */
int xs_directory(uint32_t tx, const char *path, char *buf, size_t len);
int xs_transaction_start(uint32_t *tx);
int xs_transaction_end(uint32_t tx, int commit);
/* Runs fn(tx, arg) in a fresh transaction and commits; while the commit
 * (or fn) answers -XEN_EAGAIN, runs the whole thing again, at most
 * max_tries times (0: 100). fn < 0 (other errors) aborts and returns it.
 * Returns fn's last result (>= 0) on a successful commit. */
int xs_transaction_run(int (*fn)(uint32_t tx, void *arg), void *arg,
		       unsigned max_tries);

struct xs_watch {
	const char *path;
	const char *token;       /* unique among this guest's watches */
	void (*cb)(struct xs_watch *w, const char *path); /* NULL: xs_watch_wait */
	void *arg;               /* for the callback */
	/* private */
	struct xs_watch *next;
	unsigned head, count;
	char q[XS_WATCH_QLEN][XS_WATCH_PATH];
};

/* Registers w (its first event, Xen's registration event, follows). */
int xs_watch_add(struct xs_watch *w);
int xs_watch_del(struct xs_watch *w);
/* For a watch without callback: waits until deadline_ns (0: forever)
 * for its next event. 1 event (path copied out), 0 timeout, < 0 error. */
int xs_watch_wait(struct xs_watch *w, char *path, size_t len, uint64_t deadline_ns);

int xs_watch(const char *path, const char *token);
int xs_unwatch(const char *path, const char *token);
/* Waits (until deadline_ns) for an event of an xs_watch() watch; path
 * and token copied out. 1 event, 0 timeout, < 0 error. */
int xs_read_watch(char *path, size_t plen, char *token, size_t tlen,
		  uint64_t deadline_ns);

/* Internal to xenstore.c and xenstore_watch.c: deliver one event
 * (payload "path\0token\0"); the xenwatch thread. */
void xs_deliver_event(const char *payload, uint32_t len);
int xs_watch_start_thread(void);
int xs_watch_op(uint32_t type, const char *path, const char *token);
/* <0 once the ring is unusable (the errno), else 0. */
int xs_ring_state(void);

/* Suspend (suspend.c). xs_suspend: new requests wait from now on; waits
 * until deadline_ns for the outstanding ones; returns how many are left.
 * xs_resume: new_domain 0 (cancelled): requests flow again; 1: the ring
 * found again, reset, unanswered requests resent, watches registered
 * again. 0 or a negative Xen errno. */
int xs_suspend(uint64_t deadline_ns);
int xs_resume(int new_domain);
/* Registers every watch again with a new server (xenstore_watch.c). */
int xs_watch_resume(void);
/* The store ring's port (0 without a ring). */
uint32_t xs_store_port(void);

#endif /* MINIOS_XENSTORE_H */
