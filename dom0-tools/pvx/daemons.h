/* The daemons of one run directory (daemons.c, cmd_daemons.c). */
#ifndef PVX_CLI_DAEMONS_H
#define PVX_CLI_DAEMONS_H

#include <stdbool.h>
#include <sys/types.h>

struct pvx_daemon {
	const char *name;   /* binary next to pvx, pid file <rundir>/<name>.pid */
	const char *sock;   /* socket under the run dir that accepts when ready */
	int sock_type;      /* SOCK_SEQPACKET or SOCK_STREAM */
};

extern const struct pvx_daemon pvx_daemons[];
extern const size_t pvx_ndaemons;

/* <bindir>/<name> is an executable file. */
bool pvx_daemon_built(const struct pvx_daemon *d, const char *bindir);
/* Live pid from <rundir>/<name>.pid whose process is that daemon, or 0. */
pid_t pvx_daemon_pid(const struct pvx_daemon *d);
/* If the pid file names a daemon still exiting (killed -9, threads
 * tearing down: pvx/daemon.h pvx_pid_dying), waits up to
 * PVX_DYING_WAIT_MS for it to be gone. */
void pvx_daemon_wait_dying(const struct pvx_daemon *d);
/* The socket accepts a connection. */
bool pvx_daemon_ready(const struct pvx_daemon *d);
/* The daemon of that name in the table is ready (false if none). */
bool pvx_daemon_running(const char *name);
/* Starts it detached (stdio to <logdir>/<name>.stderr.log), waits until
 * ready; returns its pid or -errno. */
pid_t pvx_daemon_start(const struct pvx_daemon *d, const char *bindir);
/* SIGTERM, waits; 0 if it stopped (or was not running). */
int pvx_daemon_stop(const struct pvx_daemon *d);

#endif
