/*
 * pvx-consoled, private header: the daemon's state and the interfaces
 * between its files.
 *
 *   ring.c         the xencons ring, copy-once (pure, unit-tested)
 *   dom.c          one served domain: ring -> log file + attachments,
 *                  attachment input -> ring
 *   early.c        console_io text of a guest that has not used its ring
 *   io_pvxd.c      how a domain's ring and port are obtained from pvxd
 *                  (memory map + event channel); tests plug in fakes
 *   conn_pvxd.c    pvxd connections: calls, and domain events (death)
 *   conn_listen.c  the consoled.sock listener
 *   conn_client.c  one client connection: commands, then a console stream
 *   proto.c        the command-line parser of the socket protocol
 *   paths.c        the console log directory and the socket path
 *   main.c         the ordered start/stop table (run/log directories,
 *                  pid file, signals and logging come from libpvxutil:
 *                  pvx/daemon.h, pvx/log.h)
 *
 * Everything runs on one libevent event_base in one thread; no locks.
 */
#ifndef PVX_CONSOLED_PRIV_H
#define PVX_CONSOLED_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/queue.h>

#include <event2/event.h>
#include <event2/bufferevent.h>

#include <pvx/consoled.h>
#include <pvx/daemon.h>
#include <pvx/log.h>
#include <xen/public/io/console.h>

#define CONS_REPLAY_BYTES   (64 * 1024)  /* log tail replayed on attach */
#define CONS_CLIENT_OUT_MAX (1024 * 1024)/* per attachment, then drop */
#define CONS_INPUT_MAX      4096         /* buffered input from the rw client */
#define CONS_DRAIN_ROUNDS   64           /* ring reads per event, then yield */

/* ring.c: the guest's page plus our private copies of the indices we
 * own (out_cons, in_prod); the guest's are read once per call. */
struct cons_ring {
	struct xencons_interface *intf;
	XENCONS_RING_IDX out_cons;
	XENCONS_RING_IDX in_prod;
};
void cons_ring_init(struct cons_ring *r, struct xencons_interface *intf);
size_t cons_ring_read(struct cons_ring *r, char *buf, size_t cap, bool *corrupt);
size_t cons_ring_write(struct cons_ring *r, const char *buf, size_t len,
		       bool *corrupt);

/* How a domain's console is reached. Real: io_pvxd.c; tests: fakes. */
struct cons_dom_io {
	struct xencons_interface *intf;
	int event_fd;                                /* readable: guest kicked */
	int (*notify)(struct cons_dom_io *io);       /* kick the guest */
	void (*consume)(struct cons_dom_io *io);     /* clear event_fd */
	void (*release)(struct cons_dom_io *io);     /* unmap, unbind, free */
	/* Optional: the guest's console_io text from *off (advanced);
	 * bytes copied, or -errno (e.g. -ESRCH once the domain is gone). */
	int (*read_log)(struct cons_dom_io *io, uint64_t *off, char *buf,
			size_t cap);
};

/* early.c: mirroring of console_io text while the ring is silent. */
struct cons_early {
	struct event *timer;
	uint64_t off;           /* next byte of the console_io log */
	int64_t log_mark;       /* log size when mirroring began, or -1 */
	uint64_t started_ns;
	bool done;
	char line[256];         /* an incomplete line, until its '\n' */
	size_t line_len;
};

struct consoled;
struct cons_client;

struct cons_dom {
	LIST_ENTRY(cons_dom) link;
	struct consoled *cd;
	int32_t domid;
	char name[PVX_NAME_MAX];
	struct cons_ring ring;
	struct cons_dom_io *io;
	struct event *ev;
	int log_fd;
	char *log_path;
	LIST_HEAD(, cons_client) clients;
	struct cons_client *rw;     /* the one read-write attachment */
	struct cons_early early;
	bool ring_seen;             /* the ring has carried output */
	uint64_t bytes_out;
	unsigned corrupt_events;
};

struct consoled {
	struct pvx_daemon_state ds;         /* first: the steps' context */
	char *console_dir, *sock_path;
	LIST_HEAD(, cons_dom) doms;
	LIST_HEAD(, cons_client) clients;   /* not attached (command mode) */
	struct evconnlistener *listener;
	/* Opens the io of a domain; NULL name asks for the name too. */
	int (*open_io)(struct consoled *cd, int32_t domid, char *name,
		       size_t name_len, struct cons_dom_io **io);
	struct cons_pvxd *pvxd;             /* conn_pvxd.c, or NULL */
	struct event *pvxd_timer;           /* conn_pvxd.c: reconnect, or scan */
	unsigned pvxd_backoff_ms;
	bool pvxd_said_absent;
};

/* dom.c */
int cons_dom_add(struct consoled *cd, int32_t domid, const char *name,
		 struct cons_dom **out);
struct cons_dom *cons_dom_find(struct consoled *cd, int32_t domid);
void cons_dom_drain(struct cons_dom *d);
void cons_dom_push_input(struct cons_dom *d);
size_t cons_dom_input(struct cons_dom *d, const char *buf, size_t len);
void cons_dom_emit(struct cons_dom *d, const char *buf, size_t n);
void cons_dom_stopped(struct cons_dom *d);      /* shut down or crashed */

/* early.c */
int cons_early_start(struct cons_dom *d);
void cons_early_ring_started(struct cons_dom *d, const char *ring, size_t n);
void cons_early_finish(struct cons_dom *d);
void cons_early_dispose(struct cons_dom *d);
void cons_dom_remove(struct cons_dom *d);       /* final drain, then free */
int cons_dom_attach(struct cons_dom *d, struct cons_client *c, bool want_rw);
void cons_dom_detach(struct cons_dom *d, struct cons_client *c);

/* conn_client.c */
struct cons_client {
	LIST_ENTRY(cons_client) link;
	struct consoled *cd;
	struct bufferevent *bev;
	struct cons_dom *dom;       /* attached to, or NULL */
	bool rw;
	bool closing;               /* flush the output, then free */
	uint64_t dropped;
};
int cons_client_new(struct consoled *cd, int fd);
void cons_client_send(struct cons_client *c, const char *data, size_t len);
void cons_client_end(struct cons_client *c);    /* flush then close */
void cons_client_free(struct cons_client *c);
int cons_client_take_input(struct cons_client *c, struct cons_dom *d);

/* conn_listen.c; steps of main.c's table, so `consoled` is a struct
 * consoled (as for the cons_pvxd_ and cons_paths_ steps) */
int cons_listen_start(void *consoled);
void cons_listen_stop(void *consoled);

/* conn_pvxd.c, io_pvxd.c */
int cons_pvxd_open_io(struct consoled *cd, int32_t domid, char *name,
		      size_t name_len, struct cons_dom_io **io);
int cons_pvxd_start(void *consoled);
void cons_pvxd_stop(void *consoled);
struct pvx_ctl *cons_pvxd_ctl(struct consoled *cd);

/* proto.c: one command line of the socket protocol */
enum cons_op { CONS_OP_ADD, CONS_OP_REMOVE, CONS_OP_ATTACH, CONS_OP_LIST,
	       CONS_OP_PING };
struct cons_req {
	enum cons_op op;
	int32_t domid;
	char name[PVX_NAME_MAX];
	bool rw;
};
int cons_proto_parse(const char *line, struct cons_req *req, char *why,
		     size_t whylen);
bool cons_name_valid(const char *name);
const char *cons_errno_name(int err);
int cons_errno_value(const char *name);

/* paths.c: <logdir>/console/ and the socket path (after pvx_daemon_paths) */
int cons_paths_init(void *consoled);
void cons_paths_exit(void *consoled);

#endif /* PVX_CONSOLED_PRIV_H */
