/*
 * What pvx-blkback and pvx-netback share around their devices
 * (libpvxbackd, pv-drivers/common/): the keep-alive of their two links,
 * to pvxd (control connection + grant mapping) and to pvxstored (the
 * watch on their backend directory), so that both come back the same way
 * after either daemon's kill -9.
 *
 * One backend daemon per process: backd_link_set() records how the link
 * reaches the daemon's handles and callbacks, and the four step functions
 * below then fit the daemon's struct pvx_step table directly (their
 * context is the daemon's state, struct pvx_daemon_state first).
 */
#ifndef PVX_BACKD_H
#define PVX_BACKD_H

#include <stdbool.h>
#include <stdint.h>

struct xs_handle;
struct pvx_ctl;
struct pvx_gnttab;

struct backd_link {
	const char *what;           /* "vbd", "vif": the devices, in messages */
	const char *be_root;        /* the backends' directory, watched as "be" */
	void *daemon;               /* the callbacks' argument */
	/* The daemon's own handles: the link opens and closes them, the
	 * daemon uses them; *ctl is NULL while pvxd is down. */
	struct xs_handle **xs;
	struct pvx_ctl **ctl;
	struct pvx_gnttab **gnt;
	/* A watch fired on path while pvxd is up (events while it is down
	 * are dropped: the rescan after it comes back finds their news). */
	void (*watch_event)(void *daemon, const char *path);
	/* pvxd died, taking every domain: each device goes as if removed. */
	void (*drop_devices)(void *daemon);
	/* pvxd is back: find the new instance's devices. */
	void (*rescan)(void *daemon);
};

/* Copies *link; call once, before the steps start. */
void backd_link_set(const struct backd_link *link);

/*
 * Steps. pvxd: opens the control connection and the grant device (start-up
 * fails without pvxd), then keeps them across pvxd's restarts
 * (pvx_pvxd_keep, pvx/daemon.h). xenstore: opens it, keeps the watches
 * across pvxstored's restarts (pvx/xs_keep.h) and watches be_root, whose
 * first event, at once, scans every existing backend.
 */
int backd_pvxd_init(void *daemon);
void backd_pvxd_exit(void *daemon);
int backd_xs_init(void *daemon);
void backd_xs_exit(void *daemon);

#endif
