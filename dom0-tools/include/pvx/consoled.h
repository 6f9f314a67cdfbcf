/*
 * libpvxcons: the client side of pvx-consoled's socket
 * (<rundir>/consoled.sock, protocol in docs/console.md).
 *
 * The toolstack calls pvx_consoled_add() after building a domain and
 * before unpausing it, so the console is served (and logged to
 * <logdir>/console/<name>.log) from the guest's first instruction.
 * pvx_consoled_attach() returns a stream socket: reading gives the
 * replayed log tail then live output; writing sends input to the guest
 * if the attachment is read-write. EOF means the domain is gone (or
 * pvx-consoled stopped).
 *
 * Every call returns 0 or a negative errno; -ENOENT or -ECONNREFUSED
 * mean no pvx-consoled serves this run directory.
 */
#ifndef PVX_CONSOLED_H
#define PVX_CONSOLED_H

#include <stdbool.h>
#include <stdint.h>

#include <pvx/ctl.h>

#define PVX_CONSOLED_SOCK_NAME "consoled.sock"
#define PVX_CONSOLED_PID_NAME  "pvx-consoled.pid"
#define PVX_CONSOLED_LINE_MAX  256   /* one protocol line, with the '\n' */

/* Connects to <rundir>/consoled.sock; *fd is a blocking stream socket. */
int pvx_consoled_connect(int *fd);

/* Sends one command line (without '\n') and reads the one-line reply.
 * The text after "ok" (if any) goes to reply. */
int pvx_consoled_request(int fd, const char *line, char *reply, size_t cap);

/* Start serving domid's console, logging under `name`. -EEXIST if it is
 * served already. */
int pvx_consoled_add(int32_t domid, const char *name);
/* Stop serving it (after a last drain of the ring). */
int pvx_consoled_remove(int32_t domid);
/* Attach to domid's console. *rw tells whether input is accepted (only
 * one read-write attachment exists at a time; later ones are read-only).
 * The caller owns *fd. */
int pvx_consoled_attach(int32_t domid, bool want_rw, bool *rw, int *fd);

#endif /* PVX_CONSOLED_H */
