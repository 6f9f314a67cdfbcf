/*
 * A daemon's statistics socket, server side (pvx/stats_server.h): the
 * accept loop and the bounded one-line protocol pvx-blkback and
 * pvx-netback each carried a copy of; they now only write their lines.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>

#include <pvx/daemon.h>
#include <pvx/log.h>
#include <pvx/stats_server.h>

#define STATS_MAX_CLIENTS 16
#define STATS_MAX_LINE 64

static void client_free(struct bufferevent *bev, struct pvx_stats_server *s)
{
	bufferevent_free(bev);
	s->nr_clients--;
}

static void client_written(struct bufferevent *bev, void *arg)
{
	client_free(bev, arg); /* the answer is out: close */
}

static void client_event(struct bufferevent *bev, short what, void *arg)
{
	(void)what; /* EOF, error or timeout: all end the client */
	client_free(bev, arg);
}

static void client_read(struct bufferevent *bev, void *arg)
{
	struct pvx_stats_server *s = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	size_t n;
	char *line = evbuffer_readln(in, &n, EVBUFFER_EOL_LF);

	if (!line) {
		if (evbuffer_get_length(in) > STATS_MAX_LINE)
			client_free(bev, s);
		return;
	}
	if (!strcmp(line, "stats"))
		s->put(s->arg, bufferevent_get_output(bev));
	else
		evbuffer_add_printf(bufferevent_get_output(bev), "error unknown command\n\n");
	free(line);
	bufferevent_disable(bev, EV_READ);
	bufferevent_setcb(bev, NULL, client_written, client_event, s);
	bufferevent_enable(bev, EV_WRITE);
}

static void accept_cb(evutil_socket_t fd, short what, void *arg)
{
	struct pvx_stats_server *s = arg;
	struct timeval tmo = { 5, 0 };
	struct bufferevent *bev;
	int c;

	(void)what;
	for (int i = 0; i < STATS_MAX_CLIENTS; i++) {
		c = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (c < 0)
			return;
		if (s->nr_clients >= STATS_MAX_CLIENTS) {
			close(c);
			continue;
		}
		bev = bufferevent_socket_new(s->base, c, BEV_OPT_CLOSE_ON_FREE);
		if (!bev) {
			close(c);
			continue;
		}
		s->nr_clients++;
		bufferevent_setcb(bev, client_read, NULL, client_event, s);
		bufferevent_set_timeouts(bev, &tmo, &tmo);
		bufferevent_enable(bev, EV_READ);
	}
}

void pvx_stats_server_stop(struct pvx_stats_server *s)
{
	if (s->ev)
		event_free(s->ev);
	s->ev = NULL;
	if (s->fd >= 0) {
		close(s->fd);
		unlink(s->path);
	}
	s->fd = -1;
}

int pvx_stats_server_start(struct pvx_stats_server *s, struct event_base *base,
			   const char *path, void (*put)(void *arg, struct evbuffer *out),
			   void *arg)
{
	int rc;

	snprintf(s->path, sizeof(s->path), "%s", path);
	s->base = base;
	s->put = put;
	s->arg = arg;
	/* A path s->path cannot hold is one sun_path cannot either. */
	s->fd = pvx_listen_unix(path, SOCK_STREAM | SOCK_NONBLOCK, 0600, 16);
	rc = s->fd < 0 ? s->fd : 0;
	if (!rc) {
		s->ev = event_new(base, s->fd, EV_READ | EV_PERSIST, accept_cb, s);
		if (!s->ev || event_add(s->ev, NULL) < 0)
			rc = -ENOMEM;
	}
	if (rc < 0) {
		char msg[PATH_MAX + 128];

		pvx_listen_unix_error(path, rc, msg, sizeof(msg));
		pvx_log_err("%s", msg);
		if (s->fd < 0)
			s->fd = -1;
		pvx_stats_server_stop(s);
	}
	return rc;
}
