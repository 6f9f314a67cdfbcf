/* The Unix socket transport (conn_socket.c). */
#ifndef XS_SOCK_H
#define XS_SOCK_H

#include "xs_core.h"

struct evconnlistener;

/* Listens at path (its directories are created), the socket mode 0600
 * from the start; NULL on failure (errno set). */
struct evconnlistener *sock_listen(struct xs_store *st, const char *path);
/* Stops listening (and the accept-retry timer); NULL is fine. */
void sock_unlisten(struct evconnlistener *l);
/* Serves an accepted (or socketpair) fd as a Dom0 connection. */
int sock_conn_new(struct xs_store *st, int fd);

#endif /* XS_SOCK_H */
