/* libpvxxs internals shared by its files. */
#ifndef XS_CLIENT_H
#define XS_CLIENT_H

#include <pvx/xs.h>
#include <xen/public/io/xs_wire.h>

struct xs_event {
	struct xs_event *next;
	char *path;   /* path and token in one allocation */
	char *token;
};

/* Bytes read from a socket but not yet parsed: usually one read() brings
 * a whole reply, header and payload together. */
struct xs_rbuf {
	size_t have;
	char buf[sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX];
};

/* A watch as registered, to register it again after a reconnect. */
struct xs_watch_rec {
	struct xs_watch_rec *next;
	int depth;
	char *token;  /* path and token follow the struct */
	char path[];
};

struct xs_handle {
	char sockpath[108];
	int fd;           /* requests and replies */
	int wfd;          /* watches and their events, -1 until needed */
	int efd;          /* eventfd, non-zero while events are queued */
	int pfd;          /* epoll over wfd and efd: what xs_fileno gives */
	uint32_t req_id;
	struct xs_event *head, **tail;
	struct xs_rbuf rfd, rwfd;  /* read buffers of fd and wfd */
	struct xs_watch_rec *watches;
};

/* The registered watches (xs_client_watch.c). */
void xs_watches_free(struct xs_handle *h);

/* One request on fd, waiting for its reply; events met are queued. */
int xs_transact(struct xs_handle *h, int fd, uint32_t type, xs_transaction_t t,
		const void *payload, uint32_t len, char **rsp, uint32_t *rsp_len);
/* Reads one message from fd through rb; waits XS_TIMEOUT_MS per read()
 * (SO_RCVTIMEO), or for ever. */
int xs_recv_msg(int fd, struct xs_rbuf *rb, struct xsd_sockmsg *hdr,
		char **body, bool forever);
/* True if rb holds a whole message. */
bool xs_rbuf_ready(const struct xs_rbuf *rb);
/* Moves every whole message buffered for wfd to the event queue, so
 * xs_fileno() never hides an event sitting in our buffer. */
void xs_drain_buffered(struct xs_handle *h);
int xs_connect(const char *path, int *fd);
void xs_queue_event(struct xs_handle *h, char *body, uint32_t len);

#endif /* XS_CLIENT_H */
