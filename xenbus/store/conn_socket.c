/*
 * The Unix socket transport: Dom0 clients (libpvxxs, the CLI, backends,
 * the toolstack). Every socket connection is domid 0 and privileged, as
 * in Xen. Input is read in 64 KiB gulps into a per-connection buffer and
 * fed to the parser; while the connection is stalled (too many replies
 * unread) reading stops, so a client that never reads cannot make the
 * daemon buffer without bound. One gulp a loop turn: a client that keeps
 * its socket full (80,000 pipelined WATCHes) would otherwise hold the
 * loop until it stops writing, and every other connection's requests
 * would wait behind it. Output is written as soon as it is queued and the
 * rest waits for EV_WRITE.
 *
 * Out of descriptors (EMFILE/ENFILE, or the kernel out of buffers),
 * accept() fails at once on every loop pass while the backlog is full:
 * libevent would call it again forever, spinning a CPU and logging each
 * failure. So the listener is disabled instead, with one log line per
 * ACCEPT_LOG_SECONDS, and enabled again when one of our connections
 * closes or, for a shortage outside this process, after ACCEPT_RETRY_MS.
 */
#include <errno.h>
#include <limits.h>
#include <event2/event.h>
#include <event2/listener.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <pvx/daemon.h>

#include "sock.h"

#define SOCK_BUF (64 * 1024)
#define ACCEPT_RETRY_MS    250
#define ACCEPT_LOG_SECONDS 10

/* The one listening socket's pause state (a daemon has one listener). */
static struct {
	struct evconnlistener *l;
	struct event *retry;
	bool paused;
	time_t logged_at;
	unsigned pauses;        /* since the last log line */
} lsn;

static void listen_resume(void)
{
	if (!lsn.paused)
		return;
	lsn.paused = false;
	event_del(lsn.retry);
	evconnlistener_enable(lsn.l);
}

struct sock_priv {
	int fd;
	struct event *rd, *wr;
	size_t have, off;
	bool write_failed;   /* torn down by conn_read_cb, from the loop */
	char buf[SOCK_BUF];
};

static ssize_t sock_write(struct xs_conn *c, const void *buf, size_t len)
{
	struct sock_priv *p = c->priv;
	ssize_t n = send(p->fd, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT);

	if (n >= 0)
		return n;
	return errno == EAGAIN || errno == EINTR ? 0 : -errno;
}

static void sock_kick(struct xs_conn *c)
{
	struct sock_priv *p = c->priv;

	if (p->write_failed)
		return;
	/* Inside a request (a watch event for another client): send from
	 * the loop, after the request's changes are in the journal, so no
	 * client hears of a change a crash could still lose. */
	if (c->st->in_request) {
		event_add(p->wr, NULL);
		return;
	}
	if (xs_conn_flush(c) < 0) {
		/* Not killed here: a kick can come from inside watch_fire,
		 * whose walk must not have this connection's watches freed
		 * under it (a Dom0 client closing its socket while its
		 * watches fire crashed the daemon). read_cb tears down. */
		p->write_failed = true;
		event_active(p->rd, EV_READ, 0);
		return;
	}
	if (!TAILQ_EMPTY(&c->out))
		event_add(p->wr, NULL);
}

static void sock_resume(struct xs_conn *c)
{
	struct sock_priv *p = c->priv;

	event_add(p->rd, NULL);
	event_active(p->rd, EV_READ, 0);
}

static void sock_release(struct xs_conn *c)
{
	struct sock_priv *p = c->priv;

	event_free(p->rd);
	event_free(p->wr);
	close(p->fd);
	free(p);
	listen_resume();   /* a descriptor is free again */
}

static const struct xs_conn_ops sock_ops = {
	.kind = "socket",
	.write = sock_write,
	.kick = sock_kick,
	.resume = sock_resume,
	.release = sock_release,
};

static void conn_read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct xs_conn *c = arg;
	struct sock_priv *p = c->priv;
	bool did_read = false;
	ssize_t n;

	(void)what;
	while (!c->dead && !p->write_failed) {
		if (xs_conn_stalled(c)) {
			event_del(p->rd);
			return;
		}
		if (p->off == p->have) {
			/* This turn's gulp is parsed: the (level-triggered) event
			 * brings us back, after the loop has served the others, if
			 * the socket holds more. */
			if (did_read)
				return;
			n = read(fd, p->buf, sizeof(p->buf));
			if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
				break;
			if (n < 0)
				return;
			p->have = n;
			p->off = 0;
			did_read = true;
		}
		p->off += xs_conn_feed(c, p->buf + p->off, p->have - p->off);
	}
	if (p->write_failed)
		xs_conn_kill(c, "write failed");
	xs_conn_destroy(c);
}

static void conn_write_cb(evutil_socket_t fd, short what, void *arg)
{
	struct xs_conn *c = arg;
	struct sock_priv *p = c->priv;

	(void)fd;
	(void)what;
	if (xs_conn_flush(c) < 0) {
		xs_conn_destroy(c);
		return;
	}
	if (TAILQ_EMPTY(&c->out))
		event_del(p->wr);
}

int sock_conn_new(struct xs_store *st, int fd)
{
	struct sock_priv *p = calloc(1, sizeof(*p));
	struct xs_conn *c;

	if (!p)
		goto err_close;
	p->fd = fd;
	c = xs_conn_new(st, &sock_ops, p, 0, true);
	if (!c)
		goto err_free;
	p->rd = event_new(st->base, fd, EV_READ | EV_PERSIST, conn_read_cb, c);
	p->wr = event_new(st->base, fd, EV_WRITE | EV_PERSIST, conn_write_cb, c);
	if (!p->rd || !p->wr || event_add(p->rd, NULL)) {
		xs_conn_destroy(c);
		return -ENOMEM;
	}
	return 0;
err_free:
	free(p);
err_close:
	close(fd);
	return -ENOMEM;
}

static void accept_cb(struct evconnlistener *l, evutil_socket_t fd,
		      struct sockaddr *sa, int socklen, void *arg)
{
	(void)l;
	(void)sa;
	(void)socklen;
	if (sock_conn_new(arg, fd))
		pvx_log_err("socket: out of memory for a connection");
}

static void retry_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	listen_resume();
}

static bool fd_shortage(int err)
{
	return err == EMFILE || err == ENFILE || err == ENOBUFS || err == ENOMEM;
}

/* accept() failed for a reason libevent does not retry by itself. */
static void accept_error_cb(struct evconnlistener *l, void *arg)
{
	struct timeval tv = { 0, ACCEPT_RETRY_MS * 1000 };
	int err = EVUTIL_SOCKET_ERROR();
	time_t now = time(NULL);

	(void)arg;
	evconnlistener_disable(l);
	lsn.paused = true;
	event_add(lsn.retry, &tv);
	lsn.pauses++;
	if (now - lsn.logged_at < ACCEPT_LOG_SECONDS)
		return;
	lsn.logged_at = now;
	pvx_log_warn("socket: accept: %s; %s (%u time(s) in the last %d s)",
		     strerror(err), fd_shortage(err) ?
		     "out of descriptors, not accepting until a connection closes" :
		     "not accepting for a moment", lsn.pauses, ACCEPT_LOG_SECONDS);
	lsn.pauses = 0;
}

static int make_dirs(const char *path)
{
	char buf[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char *s;

	snprintf(buf, sizeof(buf), "%s", path);
	for (s = strchr(buf + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (mkdir(buf, 0755) && errno != EEXIST)
			return -errno;
		*s = '/';
	}
	return 0;
}

struct evconnlistener *sock_listen(struct xs_store *st, const char *path)
{
	struct evconnlistener *l;
	int fd, rc;

	/* Too long for sun_path: say so before make_dirs truncates it. */
	rc = strlen(path) >= sizeof(((struct sockaddr_un *)0)->sun_path) ? -ENAMETOOLONG :
	     make_dirs(path);
	fd = rc ? rc : pvx_listen_unix(path, SOCK_STREAM | SOCK_NONBLOCK, 0600, 64);
	if (fd < 0) {
		char msg[PATH_MAX + 128];

		pvx_listen_unix_error(path, fd, msg, sizeof(msg));
		pvx_log_err("%s", msg);
		errno = -fd;
		return NULL;
	}
	/* Backlog 0: already listening. */
	l = evconnlistener_new(st->base, accept_cb, st,
			       LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC, 0, fd);
	if (!l) {
		close(fd);
		return NULL;
	}
	lsn.retry = evtimer_new(st->base, retry_cb, NULL);
	if (!lsn.retry) {
		evconnlistener_free(l);
		return NULL;
	}
	lsn.l = l;
	lsn.paused = false;
	evconnlistener_set_error_cb(l, accept_error_cb);
	return l;
}

void sock_unlisten(struct evconnlistener *l)
{
	if (!l)
		return;
	if (l == lsn.l) {
		event_free(lsn.retry);
		memset(&lsn, 0, sizeof(lsn));
	}
	evconnlistener_free(l);
}
