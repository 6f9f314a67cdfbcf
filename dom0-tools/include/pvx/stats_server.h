/*
 * The server side of a daemon's statistics socket (the backends'
 * <rundir>/blkback.sock and netback.sock; the client is libpvxctl's
 * stats_sock.c): a client writes "stats\n" and reads what `put` writes,
 * then EOF; any other line gets "error unknown command" and an empty
 * line.
 *
 * The socket is mode 0600 from the start (pvx_listen_unix: the counters
 * name every guest's devices). Clients are bufferevents on the daemon's
 * loop, so one that never reads cannot block it; each has a 5 s timeout,
 * a request is at most one 64-byte line, and at most 16 are served at
 * once (more are closed at accept).
 */
#ifndef PVX_STATS_SERVER_H
#define PVX_STATS_SERVER_H

struct event;
struct event_base;
struct evbuffer;

struct pvx_stats_server {
	struct event_base *base;
	void (*put)(void *arg, struct evbuffer *out);
	void *arg;
	int fd;
	char path[108];
	struct event *ev;
	unsigned nr_clients;
};
#define PVX_STATS_SERVER_INIT { .fd = -1 }

/* Listens on `path` (replacing a stale socket: the caller's pid-file lock
 * says it is alone); 0 or -errno, logged. */
int pvx_stats_server_start(struct pvx_stats_server *s, struct event_base *base,
			   const char *path, void (*put)(void *arg, struct evbuffer *out),
			   void *arg);
/* Closes the socket and removes its file; idempotent. Clients still
 * being answered keep their bufferevents until the loop is freed. */
void pvx_stats_server_stop(struct pvx_stats_server *s);

#endif
