/*
 * The harness behind harness.h. Replies are parsed from the captured
 * output; watch events met on the way are kept in a small queue.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

struct xs_store *T_st;
static char *logbuf;
static size_t loglen;

#define MAX_EVENTS 4096
struct ev {
	struct tc *t;
	char path[XENSTORE_PAYLOAD_MAX];
	char token[XENSTORE_PAYLOAD_MAX];
};
static struct ev *events;
static int nevents;

static void sink(const char *line, void *arg)
{
	size_t n = strlen(line);

	(void)arg;
	logbuf = realloc(logbuf, loglen + n + 1);
	memcpy(logbuf + loglen, line, n + 1);
	loglen += n;
}

bool log_has(const char *needle)
{
	return logbuf && strstr(logbuf, needle);
}

const char *log_text(void)
{
	return logbuf ? logbuf : "";
}

void log_clear(void)
{
	loglen = 0;
	if (logbuf)
		logbuf[0] = '\0';
}

void h_setup(void)
{
	T_st = calloc(1, sizeof(*T_st));
	ck_assert_int_eq(xs_store_init(T_st), 0);
	events = calloc(MAX_EVENTS, sizeof(*events));
	nevents = 0;
	log_clear();
	pvx_log_set_sink(sink, NULL);
}

void h_teardown(void)
{
	while (!TAILQ_EMPTY(&T_st->conns))
		xs_conn_destroy(TAILQ_FIRST(&T_st->conns));
	xs_store_dispose(T_st);
	free(T_st);
	free(events);
	pvx_log_set_sink(NULL, NULL);
}

static ssize_t fake_write(struct xs_conn *c, const void *buf, size_t len)
{
	struct tc *t = c->priv;

	if (t->blocked)
		return 0;
	if (t->write_limit && len > t->write_limit)
		len = t->write_limit;
	ck_assert_uint_le(t->len + len, TC_BUF);
	memcpy(t->out + t->len, buf, len);
	t->len += len;
	return (ssize_t)len;
}

static void fake_kick(struct xs_conn *c)
{
	struct tc *t = c->priv;

	t->kicks++;
	xs_conn_flush(c);
}

/* The connection owns its test wrapper: whoever destroys it frees both. */
static void fake_release(struct xs_conn *c)
{
	free(c->priv);
}

static const struct xs_conn_ops fake_ops = {
	.kind = "test", .write = fake_write, .kick = fake_kick,
	.release = fake_release,
};

struct tc *tc_new(uint32_t domid, bool privileged)
{
	struct tc *t = calloc(1, sizeof(*t));

	t->c = xs_conn_new(T_st, &fake_ops, t, domid, privileged);
	ck_assert_ptr_nonnull(t->c);
	return t;
}

void tc_free(struct tc *t)
{
	xs_conn_destroy(t->c);
}

void tc_feed(struct tc *t, const void *buf, size_t len)
{
	xs_conn_feed(t->c, buf, len);
}

bool tc_next(struct tc *t, struct xsd_sockmsg *h, char *payload)
{
	size_t n;

	if (t->len < sizeof(*h))
		return false;
	memcpy(h, t->out, sizeof(*h));
	ck_assert_uint_le(h->len, XENSTORE_PAYLOAD_MAX);
	n = sizeof(*h) + h->len;
	if (t->len < n)
		return false;
	memcpy(payload, t->out + sizeof(*h), h->len);
	payload[h->len] = '\0';
	memmove(t->out, t->out + n, t->len - n);
	t->len -= n;
	return true;
}

static void keep_event(struct tc *t, const char *payload)
{
	ck_assert_int_lt(nevents, MAX_EVENTS);
	events[nevents].t = t;
	snprintf(events[nevents].path, XENSTORE_PAYLOAD_MAX, "%s", payload);
	snprintf(events[nevents].token, XENSTORE_PAYLOAD_MAX, "%s",
		 payload + strlen(payload) + 1);
	nevents++;
}

uint32_t tc_req(struct tc *t, uint32_t type, uint32_t txid, const void *payload,
		uint32_t len, char *rsp, uint32_t *rsp_len)
{
	static char buf[sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX + 64];
	static char p[XENSTORE_PAYLOAD_MAX + 1];
	struct xsd_sockmsg h = { type, 77, txid, len };

	ck_assert_uint_le(len, sizeof(buf) - sizeof(h));
	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), payload, len);
	tc_feed(t, buf, sizeof(h) + len);
	while (tc_next(t, &h, p)) {
		if (h.type == XS_WATCH_EVENT) {
			keep_event(t, p);
			continue;
		}
		ck_assert_uint_eq(h.req_id, 77);
		ck_assert_uint_eq(h.tx_id, txid);
		if (rsp)
			memcpy(rsp, p, h.len + 1);
		if (rsp_len)
			*rsp_len = h.len;
		return h.type;
	}
	ck_abort_msg("no reply to request type %u", type);
	return 0;
}

static int result(uint32_t type, uint32_t want, const char *rsp)
{
	if (type == XS_ERROR) {
		size_t i;

		for (i = 0; i < XSD_ERRORS_COUNT; i++)
			if (strcmp(rsp, xsd_errors[i].errstring) == 0)
				return -xsd_errors[i].errnum;
		ck_abort_msg("error name %s not in the table", rsp);
	}
	ck_assert_uint_eq(type, want);
	return 0;
}

int tc_args(struct tc *t, uint32_t type, uint32_t tx, const char *const *args,
	    unsigned n, char *rsp)
{
	static char buf[XENSTORE_PAYLOAD_MAX + 1], r[XENSTORE_PAYLOAD_MAX + 1];
	size_t used = 0, k;
	unsigned i;

	for (i = 0; i < n; i++) {
		k = strlen(args[i]) + 1;
		memcpy(buf + used, args[i], k);
		used += k;
	}
	type = tc_req(t, type, tx, buf, used, rsp ? rsp : r, NULL) == XS_ERROR ?
	       XS_ERROR : type;
	return result(type, type, rsp ? rsp : r);
}

int tc_simple(struct tc *t, uint32_t type, uint32_t tx, const char *arg)
{
	return tc_args(t, type, tx, &arg, 1, NULL);
}

int tc_write(struct tc *t, uint32_t tx, const char *path, const char *val)
{
	static char buf[XENSTORE_PAYLOAD_MAX + 1], r[XENSTORE_PAYLOAD_MAX + 1];
	size_t pl = strlen(path) + 1, vl = strlen(val);
	uint32_t type;

	memcpy(buf, path, pl);
	memcpy(buf + pl, val, vl);
	type = tc_req(t, XS_WRITE, tx, buf, pl + vl, r, NULL);
	return result(type, XS_WRITE, r);
}

int tc_read(struct tc *t, uint32_t tx, const char *path, char *val)
{
	static char r[XENSTORE_PAYLOAD_MAX + 1];
	uint32_t len, type = tc_req(t, XS_READ, tx, path, strlen(path) + 1, r, &len);
	int rc = result(type, XS_READ, r);

	if (!rc && val)
		memcpy(val, r, len + 1);
	return rc ? rc : (int)len;
}

/* Names joined with ',' into names (empty string for none). */
int tc_dir(struct tc *t, uint32_t tx, const char *path, char *names)
{
	static char r[XENSTORE_PAYLOAD_MAX + 1];
	uint32_t len, i, type = tc_req(t, XS_DIRECTORY, tx, path, strlen(path) + 1,
				       r, &len);
	int rc = result(type, XS_DIRECTORY, r);

	if (rc)
		return rc;
	for (i = 0; i < len; i++)
		names[i] = r[i] ? r[i] : ',';
	names[len ? len - 1 : 0] = '\0';
	return 0;
}

int tc_watch(struct tc *t, const char *path, const char *token)
{
	const char *a[] = { path, token };

	return tc_args(t, XS_WATCH, 0, a, 2, NULL);
}

int tc_tx_start(struct tc *t, uint32_t *tx)
{
	char r[XENSTORE_PAYLOAD_MAX + 1];
	const char *none = "";
	int rc = tc_args(t, XS_TRANSACTION_START, 0, &none, 1, r);

	if (!rc)
		*tx = (uint32_t)strtoul(r, NULL, 10);
	return rc;
}

int tc_tx_end(struct tc *t, uint32_t tx, bool commit)
{
	return tc_simple(t, XS_TRANSACTION_END, tx, commit ? "T" : "F");
}

int tc_perms(struct tc *t, const char *path, const char *const *perms, unsigned n)
{
	const char *a[16] = { path };
	unsigned i;

	for (i = 0; i < n; i++)
		a[i + 1] = perms[i];
	return tc_args(t, XS_SET_PERMS, 0, a, n + 1, NULL);
}

static void collect(struct tc *t)
{
	static char p[XENSTORE_PAYLOAD_MAX + 1];
	struct xsd_sockmsg h;

	while (tc_next(t, &h, p)) {
		ck_assert_uint_eq(h.type, XS_WATCH_EVENT);
		keep_event(t, p);
	}
}

int tc_event_count(struct tc *t)
{
	int i, n = 0;

	collect(t);
	for (i = 0; i < nevents; i++)
		n += events[i].t == t;
	return n;
}

bool tc_event(struct tc *t, char *path, char *token)
{
	int i;

	collect(t);
	for (i = 0; i < nevents; i++) {
		if (events[i].t != t)
			continue;
		if (path)
			strcpy(path, events[i].path);
		if (token)
			strcpy(token, events[i].token);
		memmove(&events[i], &events[i + 1], (nevents - i - 1) * sizeof(*events));
		nevents--;
		return true;
	}
	return false;
}

void tc_drain_events(struct tc *t)
{
	while (tc_event(t, NULL, NULL))
		;
}
