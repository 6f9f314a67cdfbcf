/*
 * xenstore watches: routing events to their owners, and the xenwatch
 * thread that runs callbacks.
 *
 * The reader thread (xenstore.c) hands every XS_WATCH_EVENT here. An
 * event whose token a registered struct xs_watch owns is queued on that
 * watch; any other goes to the shared queue of the xs_watch()/
 * xs_read_watch() API. Nothing here blocks: queues drop their oldest
 * entry when full (Xen allows coalescing: a consumer re-reads state).
 *
 * Callbacks run on the "xenwatch" thread, never on the reader: a
 * callback may issue requests, whose replies only the reader can
 * deliver. One callback runs at a time, in event order per watch.
 */
#include <xen/public/errno.h>
#include <xen/public/io/xs_wire.h>

#include <minios/lib.h>
#include <minios/sched.h>
#include <minios/xenstore.h>

#define XS_EVENTS 8

struct xs_event {
	char path[XS_WATCH_PATH];
	char token[64];
};

#define XS_SHARED_WATCHES 8

static struct xs_watch *watches;
/* xs_watch()'s registrations, to make again in a new domain. */
static struct { char path[XS_WATCH_PATH]; char token[64]; } shared_w[XS_SHARED_WATCHES];
static struct xs_event events[XS_EVENTS];
static unsigned ev_head, ev_count;

static void push_path(struct xs_watch *w, const char *path)
{
	if (w->count == XS_WATCH_QLEN) {
		w->head = (w->head + 1) % XS_WATCH_QLEN;
		w->count--;
	}
	snprintf(w->q[(w->head + w->count++) % XS_WATCH_QLEN], XS_WATCH_PATH, "%s", path);
}

static void pop_path(struct xs_watch *w, char *path, size_t len)
{
	snprintf(path, len, "%s", w->q[w->head]);
	w->head = (w->head + 1) % XS_WATCH_QLEN;
	w->count--;
}

static void push_shared(const char *path, const char *token)
{
	struct xs_event *e;

	if (ev_count == XS_EVENTS) {
		ev_head = (ev_head + 1) % XS_EVENTS;
		ev_count--;
	}
	e = &events[(ev_head + ev_count++) % XS_EVENTS];
	snprintf(e->path, sizeof(e->path), "%s", path);
	snprintf(e->token, sizeof(e->token), "%s", token);
}

void xs_deliver_event(const char *payload, uint32_t len)
{
	size_t plen = strnlen(payload, len);
	const char *token = payload + plen + 1;
	struct xs_watch *w;

	if (plen + 1 >= len)
		return; /* no token: malformed, dropped */
	for (w = watches; w; w = w->next)
		if (!strcmp(w->token, token)) {
			push_path(w, payload);
			return;
		}
	push_shared(payload, token);
}

static int callback_due(void *arg)
{
	(void)arg;
	for (struct xs_watch *w = watches; w; w = w->next)
		if (w->cb && w->count)
			return 1;
	return 0;
}

static void xenwatch_main(void *arg)
{
	char path[XS_WATCH_PATH];

	(void)arg;
	for (;;) {
		struct xs_watch *w;

		thread_wait_cond(callback_due, NULL, 0);
		for (w = watches; w && !(w->cb && w->count); w = w->next)
			;
		if (!w)
			continue;
		pop_path(w, path, sizeof(path));
		w->cb(w, path);
	}
}

int xs_watch_start_thread(void)
{
	return thread_create("xenwatch", xenwatch_main, NULL) ? 0 : -XEN_ENOMEM;
}

static void unlink_watch(struct xs_watch *w)
{
	struct xs_watch **p;

	for (p = &watches; *p; p = &(*p)->next)
		if (*p == w) {
			*p = w->next;
			break;
		}
}

int xs_watch_add(struct xs_watch *w)
{
	int rc;

	for (struct xs_watch *o = watches; o; o = o->next)
		if (o == w || !strcmp(o->token, w->token))
			return -XEN_EEXIST;
	w->head = w->count = 0;
	w->next = watches;
	watches = w; /* before the request: the first event follows the reply */
	rc = xs_watch_op(XS_WATCH, w->path, w->token);
	if (rc < 0 && rc != -XEN_EEXIST) /* EEXIST: a timed-out earlier try got there */
		unlink_watch(w);
	return rc == -XEN_EEXIST ? 0 : rc;
}

int xs_watch_del(struct xs_watch *w)
{
	int rc = xs_watch_op(XS_UNWATCH, w->path, w->token);

	unlink_watch(w);
	w->count = 0;
	return rc;
}

static int has_event(void *arg)
{
	return *(const unsigned *)arg || xs_ring_state() < 0;
}

int xs_watch_wait(struct xs_watch *w, char *path, size_t len, uint64_t deadline_ns)
{
	if (!thread_wait_cond(has_event, &w->count, deadline_ns))
		return 0;
	if (!w->count)
		return xs_ring_state();
	pop_path(w, path, len);
	return 1;
}

static int shared_find(const char *path, const char *token)
{
	for (int i = 0; i < XS_SHARED_WATCHES; i++)
		if (!strcmp(shared_w[i].path, path) && !strcmp(shared_w[i].token, token))
			return i;
	return -1;
}

int xs_watch(const char *path, const char *token)
{
	int rc = xs_watch_op(XS_WATCH, path, token), i;

	if (rc == 0 && shared_find(path, token) < 0 && (i = shared_find("", "")) >= 0) {
		snprintf(shared_w[i].path, sizeof(shared_w[i].path), "%s", path);
		snprintf(shared_w[i].token, sizeof(shared_w[i].token), "%s", token);
	}
	return rc;
}

int xs_unwatch(const char *path, const char *token)
{
	int i = shared_find(path, token);

	if (i >= 0 && path[0])
		shared_w[i].path[0] = shared_w[i].token[0] = '\0';
	return xs_watch_op(XS_UNWATCH, path, token);
}

/* A new server knows none of our watches. Each registration fires its
 * initial event, so every owner re-reads its node: nothing written
 * while we were away is missed. EEXIST: a server that kept them. */
int xs_watch_resume(void)
{
	int rc, first = 0;

	for (struct xs_watch *w = watches; w; w = w->next) {
		rc = xs_watch_op(XS_WATCH, w->path, w->token);
		if (rc < 0 && rc != -XEN_EEXIST && !first)
			first = rc;
	}
	for (int i = 0; i < XS_SHARED_WATCHES; i++) {
		if (!shared_w[i].path[0])
			continue;
		rc = xs_watch_op(XS_WATCH, shared_w[i].path, shared_w[i].token);
		if (rc < 0 && rc != -XEN_EEXIST && !first)
			first = rc;
	}
	return first;
}

int xs_read_watch(char *path, size_t plen, char *token, size_t tlen,
		  uint64_t deadline_ns)
{
	struct xs_event *e;

	if (!thread_wait_cond(has_event, &ev_count, deadline_ns))
		return 0;
	if (!ev_count)
		return xs_ring_state();
	e = &events[ev_head];
	snprintf(path, plen, "%s", e->path);
	snprintf(token, tlen, "%s", e->token);
	ev_head = (ev_head + 1) % XS_EVENTS;
	ev_count--;
	return 1;
}
