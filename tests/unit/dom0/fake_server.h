/*
 * A scripted pvxd for libpvxctl tests: one end of a SOCK_SEQPACKET
 * socketpair served by a thread that hands every request to the test's
 * handler. Handlers answer with fake_send(), which can produce any
 * datagram (wrong magic, lying lengths, extra fds), because the point is
 * to see the client survive a broken server.
 */
#ifndef PVX_TEST_FAKE_SERVER_H
#define PVX_TEST_FAKE_SERVER_H

#include <stddef.h>
#include <stdint.h>
#include <pvx/ctl.h>
#include <pvx/ctlclient.h>

typedef void (*fake_handler_fn)(int fd, const struct pvx_ctl_hdr *req,
				const void *payload, void *opaque);

struct fake_server;

/* Starts the server thread; *client is connected to it. */
struct fake_server *fake_server_start(fake_handler_fn fn, void *opaque,
				      struct pvx_ctl **client);
/* The server's end of the socket (to push events unasked). */
int fake_server_fd(const struct fake_server *s);
/* Closes the client, joins the thread. */
void fake_server_stop(struct fake_server *s, struct pvx_ctl *client);

/* Sends hdr (magic/op/seq/status as given, len = plen unless len_override
 * >= 0) + payload + fds. */
void fake_send_raw(int fd, const struct pvx_ctl_hdr *h, const void *payload,
		   size_t plen, const int *fds, int nfds);
/* A well-formed reply to req. */
void fake_reply(int fd, const struct pvx_ctl_hdr *req, int32_t status,
		const void *payload, size_t plen, const int *fds, int nfds);
void fake_event(int fd, int32_t domid, uint32_t state, int32_t reason);

/* Number of open fds of this process (leak checks). */
int fake_count_fds(void);

#endif
