/*
 * The listening socket <rundir>/consoled.sock. Only peers with our uid
 * or root are served (SO_PEERCRED), like pvxd's control socket: console
 * input is as powerful as a keyboard on the guest. The pid file lock
 * (daemon.c) is held before we get here, so a leftover socket file can
 * only be a stale one and is replaced.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <event2/listener.h>

#include "consoled.h"

static void accept_cb(struct evconnlistener *l, evutil_socket_t fd,
		      struct sockaddr *sa, int salen, void *arg)
{
	struct consoled *cd = arg;
	struct ucred cred;
	socklen_t len = sizeof(cred);

	(void)l;
	(void)sa;
	(void)salen;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) ||
	    (cred.uid != 0 && cred.uid != getuid())) {
		pvx_log_warn("refused a client with uid %d", (int)cred.uid);
		close(fd);
		return;
	}
	evutil_make_socket_nonblocking(fd);
	if (cons_client_new(cd, fd))
		pvx_log_err("out of memory for a client");
}

int cons_listen_start(void *consoled)
{
	struct consoled *cd = consoled;
	/* 0660 from the start: bind-then-chmod left it 0777 under umask 000. */
	int fd = pvx_listen_unix(cd->sock_path, SOCK_STREAM | SOCK_NONBLOCK, 0660, 64);

	char msg[PATH_MAX + 128];

	if (fd < 0) {
		pvx_listen_unix_error(cd->sock_path, fd, msg, sizeof(msg));
		pvx_log_err("%s", msg);
		return fd;
	}
	/* Backlog 0: already listening. */
	cd->listener = evconnlistener_new(cd->ds.base, accept_cb, cd,
					  LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC,
					  0, fd);
	if (!cd->listener) {
		close(fd);
		pvx_log_err("cannot listen on %s: out of memory", cd->sock_path);
		return -ENOMEM;
	}
	return 0;
}

void cons_listen_stop(void *consoled)
{
	struct consoled *cd = consoled;
	struct cons_client *c;

	if (cd->listener) {
		evconnlistener_free(cd->listener);
		cd->listener = NULL;
		unlink(cd->sock_path);
	}
	while ((c = LIST_FIRST(&cd->clients)))
		cons_client_free(c);
}
