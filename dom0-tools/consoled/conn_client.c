/*
 * One client connection on consoled.sock.
 *
 * A connection starts in command mode: '\n'-terminated lines, each
 * answered by one line, "ok[ TEXT]" or "error ENAME: message". A line
 * longer than PVX_CONSOLED_LINE_MAX ends the connection (after the error
 * reply): nothing unbounded is buffered for a peer. `attach` switches
 * the connection to stream mode for the rest of its life: we send the
 * replayed log tail then live output; what the client sends is console
 * input if it holds the read-write attachment, and is discarded if not.
 *
 * Output to a slow reader is bounded (CONS_CLIENT_OUT_MAX): beyond it,
 * output for that client is dropped (the log file keeps everything), so
 * one stuck `pvx console` never stalls a guest or the daemon. Input is
 * bounded by the read watermark: libevent stops reading from the client
 * while CONS_INPUT_MAX bytes wait for room in the guest's ring.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>

#include "consoled.h"

#define REPLY_BACKLOG_MAX (64 * 1024)
#define CLOSE_FLUSH_SECS  10

typedef void (*cmd_fn)(struct cons_client *c, const struct cons_req *req);

static void reply(struct cons_client *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void reply(struct cons_client *c, const char *fmt, ...)
{
	char line[PVX_CONSOLED_LINE_MAX * 4];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	bufferevent_write(c->bev, line, (size_t)n);
}

static void reply_err(struct cons_client *c, int err, const char *msg)
{
	reply(c, "error %s: %s", cons_errno_name(err), msg);
}

static void cmd_add(struct cons_client *c, const struct cons_req *req)
{
	struct cons_dom *d;
	int rc = cons_dom_add(c->cd, req->domid, req->name, &d);

	if (rc == -ENOENT || rc == -ECONNREFUSED)
		rc = -ENODEV;   /* clients read those two as "no consoled" */
	if (rc)
		reply_err(c, -rc, rc == -EEXIST ? "domain served under another name"
			  : "cannot serve this domain's console");
	else
		reply(c, "ok");
}

static void cmd_remove(struct cons_client *c, const struct cons_req *req)
{
	struct cons_dom *d = cons_dom_find(c->cd, req->domid);

	if (!d) {
		reply_err(c, ESRCH, "domain not served");
		return;
	}
	cons_dom_remove(d);
	reply(c, "ok");
}

static void cmd_attach(struct cons_client *c, const struct cons_req *req)
{
	struct cons_dom *d = cons_dom_find(c->cd, req->domid);
	int rc = 0;

	if (!d)   /* e.g. we restarted: serve it now, pvxd knows its name */
		rc = cons_dom_add(c->cd, req->domid, NULL, &d);
	if (rc) {
		reply_err(c, ESRCH, "no console for this domain");
		return;
	}
	/* Reply first: the replay is the start of the stream. */
	reply(c, "ok %s", req->rw && !d->rw ? "rw" : "ro");
	cons_dom_attach(d, c, req->rw);
}

static void cmd_list(struct cons_client *c, const struct cons_req *req)
{
	char line[PVX_CONSOLED_LINE_MAX * 4];
	struct cons_dom *d;
	size_t o = 0;

	(void)req;
	line[0] = '\0';
	LIST_FOREACH(d, &c->cd->doms, link) {
		int n = snprintf(line + o, sizeof(line) - o, " %d:%s", d->domid, d->name);

		if (n < 0 || (size_t)n >= sizeof(line) - o)
			break;
		o += (size_t)n;
	}
	reply(c, "ok%s", line);
}

static void cmd_ping(struct cons_client *c, const struct cons_req *req)
{
	(void)req;
	reply(c, "ok pvx-consoled %d", (int)getpid());
}

static const cmd_fn commands[] = {
	[CONS_OP_ADD] = cmd_add,
	[CONS_OP_REMOVE] = cmd_remove,
	[CONS_OP_ATTACH] = cmd_attach,
	[CONS_OP_LIST] = cmd_list,
	[CONS_OP_PING] = cmd_ping,
};

static void discard_input(struct cons_client *c)
{
	struct evbuffer *in = bufferevent_get_input(c->bev);

	evbuffer_drain(in, evbuffer_get_length(in));
}

/* Moves what fits of the rw client's input into the guest's ring. */
int cons_client_take_input(struct cons_client *c, struct cons_dom *d)
{
	struct evbuffer *in = bufferevent_get_input(c->bev);
	size_t len, n, w;
	unsigned char *p;

	while ((len = evbuffer_get_length(in)) > 0) {
		n = len < 1024 ? len : 1024;
		p = evbuffer_pullup(in, (ssize_t)n);
		if (!p)
			return -ENOMEM;
		w = cons_dom_input(d, (const char *)p, n);
		evbuffer_drain(in, w);
		if (w < n)
			break;      /* ring full: the rest waits for a kick */
	}
	return 0;
}

static void command_mode(struct cons_client *c)
{
	struct evbuffer *in = bufferevent_get_input(c->bev);
	struct cons_req req;
	char why[128], *line;
	size_t n;

	while (!c->dom && !c->closing) {
		/* A client that sends requests without reading the replies
		 * stops being read (write_cb resumes it): bounded memory. */
		if (evbuffer_get_length(bufferevent_get_output(c->bev)) > REPLY_BACKLOG_MAX)
			return;
		line = evbuffer_readln(in, &n, EVBUFFER_EOL_LF);
		if (!line) {
			if (evbuffer_get_length(in) >= PVX_CONSOLED_LINE_MAX) {
				reply_err(c, EINVAL, "line too long");
				cons_client_end(c);
			}
			return;
		}
		if (n >= PVX_CONSOLED_LINE_MAX || strlen(line) != n ||
		    cons_proto_parse(line, &req, why, sizeof(why)))
			reply_err(c, EINVAL, n >= PVX_CONSOLED_LINE_MAX ||
				  strlen(line) != n ? "malformed line" : why);
		else
			commands[req.op](c, &req);
		free(line);
	}
}

static void read_cb(struct bufferevent *bev, void *arg)
{
	struct cons_client *c = arg;

	(void)bev;
	if (!c->dom && !c->closing)
		command_mode(c);
	if (c->closing)
		discard_input(c);
	else if (c->dom && c->rw)
		cons_client_take_input(c, c->dom);
	else if (c->dom)
		discard_input(c);
}

static void write_cb(struct bufferevent *bev, void *arg)
{
	struct cons_client *c = arg;

	(void)bev;
	if (c->closing)
		cons_client_free(c);
	else if (!c->dom)
		read_cb(c->bev, c);     /* requests held back by the backlog */
}

static void event_cb(struct bufferevent *bev, short what, void *arg)
{
	(void)bev;
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR | BEV_EVENT_TIMEOUT))
		cons_client_free(arg);
}

int cons_client_new(struct consoled *cd, int fd)
{
	struct cons_client *c = calloc(1, sizeof(*c));

	if (!c) {
		close(fd);
		return -ENOMEM;
	}
	c->cd = cd;
	c->bev = bufferevent_socket_new(cd->ds.base, fd, BEV_OPT_CLOSE_ON_FREE);
	if (!c->bev) {
		close(fd);
		free(c);
		return -ENOMEM;
	}
	bufferevent_setcb(c->bev, read_cb, write_cb, event_cb, c);
	bufferevent_setwatermark(c->bev, EV_READ, 0, CONS_INPUT_MAX);
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);
	LIST_INSERT_HEAD(&cd->clients, c, link);
	return 0;
}

void cons_client_send(struct cons_client *c, const char *data, size_t len)
{
	struct evbuffer *out = bufferevent_get_output(c->bev);

	if (c->closing)
		return;
	if (evbuffer_get_length(out) + len > CONS_CLIENT_OUT_MAX) {
		if (c->dropped == 0)
			pvx_log_warn("a console reader is too slow; dropping its"
			     " output (the log keeps it)");
		c->dropped += len;
		return;
	}
	bufferevent_write(c->bev, data, len);
}

/* Flushes what is queued, then closes; a peer that does not read it
 * within CLOSE_FLUSH_SECS is dropped. */
void cons_client_end(struct cons_client *c)
{
	struct timeval tv = { CLOSE_FLUSH_SECS, 0 };

	if (c->dom)
		cons_dom_detach(c->dom, c);
	c->closing = true;
	bufferevent_set_timeouts(c->bev, NULL, &tv);
	if (evbuffer_get_length(bufferevent_get_output(c->bev)) == 0)
		cons_client_free(c);
}

void cons_client_free(struct cons_client *c)
{
	if (c->dom)
		cons_dom_detach(c->dom, c);
	LIST_REMOVE(c, link);
	bufferevent_free(c->bev);
	free(c);
}
