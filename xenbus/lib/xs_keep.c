/*
 * xs_keep (pvx/xs_keep.h): the watch side of a daemon that must outlive
 * pvxstored. Before it, pvx-blkback and pvx-netback spun on the EOF of a
 * dead pvxstored's socket without a word and never saw a device created
 * after its restart.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <pvx/log.h>
#include <pvx/xs_keep.h>

#define KEEP_BATCH 256          /* events per callback: let others run */
#define KEEP_MIN_MS 100u
#define KEEP_MAX_MS 2000u

struct xs_keep {
	struct xs_handle *h;
	struct event *ev, *timer;
	xs_keep_fn fn;
	void *arg;
	unsigned backoff_ms, reconnects;
	bool said_absent;
};

static void arm(struct xs_keep *k)
{
	struct timeval tv = { k->backoff_ms / 1000, (k->backoff_ms % 1000) * 1000 };

	evtimer_add(k->timer, &tv);
	k->backoff_ms = k->backoff_ms * 2 > KEEP_MAX_MS ? KEEP_MAX_MS : k->backoff_ms * 2;
}

static void lost(struct xs_keep *k, int rc)
{
	event_del(k->ev);
	pvx_log_warn("lost pvxstored (%s); reconnecting", strerror(-rc));
	k->said_absent = true;
	k->backoff_ms = KEEP_MIN_MS;
	arm(k);
}

static void read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct xs_keep *k = arg;
	char *path, *token;
	int rc = 0;

	(void)fd;
	(void)what;
	for (int i = 0; i < KEEP_BATCH; i++) {
		rc = xs_read_watch(k->h, &path, &token, false);
		if (rc < 0)
			break;
		k->fn(k->arg, path, token);
		free(path);
	}
	if (rc < 0 && rc != -EAGAIN)
		lost(k, rc);
}

static void timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct xs_keep *k = arg;
	int rc = xs_reconnect(k->h);

	(void)fd;
	(void)what;
	if (rc < 0) {
		if (!k->said_absent)
			pvx_log_warn("pvxstored not reachable (%s); retrying up to"
				     " every %u ms", strerror(-rc), KEEP_MAX_MS);
		k->said_absent = true;
		arm(k);
		return;
	}
	k->reconnects++;
	k->said_absent = false;
	k->backoff_ms = KEEP_MIN_MS;
	pvx_log_info("reconnected to pvxstored; watches registered again");
	event_add(k->ev, NULL);
	event_active(k->ev, EV_READ, 0); /* the watches' first events */
}

int xs_keep_start(struct event_base *base, struct xs_handle *h, xs_keep_fn fn,
		  void *arg, struct xs_keep **out)
{
	struct xs_keep *k = calloc(1, sizeof(*k));
	int fd = xs_fileno(h);

	if (!k)
		return -ENOMEM;
	if (fd < 0) {
		free(k);
		return fd;
	}
	k->h = h;
	k->fn = fn;
	k->arg = arg;
	k->backoff_ms = KEEP_MIN_MS;
	k->ev = event_new(base, fd, EV_READ | EV_PERSIST, read_cb, k);
	k->timer = evtimer_new(base, timer_cb, k);
	if (!k->ev || !k->timer || event_add(k->ev, NULL) < 0) {
		xs_keep_stop(k);
		return -ENOMEM;
	}
	*out = k;
	return 0;
}

void xs_keep_stop(struct xs_keep *k)
{
	if (!k)
		return;
	if (k->ev)
		event_free(k->ev);
	if (k->timer)
		event_free(k->timer);
	free(k);
}

unsigned xs_keep_reconnects(const struct xs_keep *k)
{
	return k->reconnects;
}
