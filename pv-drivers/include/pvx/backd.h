/*
 * What pvx-blkback and pvx-netback share around their devices
 * (libpvxbackd, pv-drivers/common/): the keep-alive of their two links,
 * to pvxd (control connection + grant mapping) and to pvxstored (the
 * watch on their backend directory), so that both come back the same way
 * after either daemon's kill -9; and the table of their devices, found
 * from xenstore events and scans, each with a watch on its frontend.
 *
 * One backend daemon per process: backd_link_set() records how the link
 * reaches the daemon's handles and callbacks, and the four step functions
 * below then fit the daemon's struct pvx_step table directly (their
 * context is the daemon's state, struct pvx_daemon_state first).
 */
#ifndef PVX_BACKD_H
#define PVX_BACKD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/queue.h>

#ifndef LIST_FOREACH_SAFE /* glibc's sys/queue.h lacks it */
#define LIST_FOREACH_SAFE(var, head, field, tvar) \
	for ((var) = LIST_FIRST(head); (var) && ((tvar) = LIST_NEXT(var, field), 1); \
	     (var) = (tvar))
#endif

struct event;
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

/*
 * The device table. A device is the pair of directories B =
 * be_root/<domid>/<devid> (written by the toolstack, not guest-writable)
 * and F, its frontend's, as B/frontend names it. One watch covers be_root;
 * each device adds one on F, token "fe/<domid>/<devid>". A daemon embeds
 * struct backd_dev in its own device (backd_dev_of() gets that back) and
 * struct backd_devs in its state.
 */
struct backd_devs;

struct backd_dev {
	LIST_ENTRY(backd_dev) link;
	struct backd_devs *devs;
	int32_t domid;
	uint32_t devid;
	char be[96], fe[128];       /* B and F */
	char fe_token[48];          /* the watch token on F */
	struct event *close_ev;     /* deferred close of a broken ring */
};

/* The daemon's device (type, its struct backd_dev named member) around dev. */
#define backd_dev_of(dev, type, member) \
	((type *)(void *)((char *)(dev) - offsetof(type, member)))

struct backd_devs {
	LIST_HEAD(, backd_dev) list;
	const char *what;           /* "vbd", "vif": in messages */
	const char *be_root;
	uint32_t max_devid;         /* B's <devid> above it is not ours */
	void *daemon;               /* struct pvx_daemon_state first */
	struct xs_handle **xs;      /* the daemon's xenstore handle */
	/* A new B: allocate the device, backd_dev_init() it, read and check
	 * B/frontend, backd_dev_add(); NULL if B is not (yet) complete. */
	struct backd_dev *(*create)(void *daemon, int32_t domid, uint32_t devid);
	/* B or F changed (or a scan): re-evaluate; may remove and free dev. */
	void (*update)(struct backd_dev *dev);
	/* A ring broke: disconnect and close (on the loop turn after). */
	void (*ring_close)(struct backd_dev *dev);
};

/* Its identity and B's path; the device is not in the table yet. */
void backd_dev_init(struct backd_dev *dev, struct backd_devs *devs, int32_t domid,
		    uint32_t devid);
/* Records F, watches it and enters the table; 0 or -errno (the device is
 * then as backd_dev_init left it, for its creator to free). */
int backd_dev_add(struct backd_dev *dev, const char *fe);
/* Out of the table, F unwatched, the timer freed; the caller frees dev. */
void backd_dev_del(struct backd_dev *dev);
/* Not from inside the ring's own event callback: ring_close runs on the
 * next loop turn. */
void backd_dev_ring_broken(struct backd_dev *dev);
/* A watch event (B_ROOT or some F, never trusted: parsed). */
void backd_devs_watch_event(struct backd_devs *devs, const char *path);
/* Walks every B: new ones are created, known ones re-evaluated, vanished
 * ones freed; a directory whose name is not <domid>/<devid> is skipped. */
void backd_devs_scan(struct backd_devs *devs);

/* Writes n keys into B in one transaction, only while B exists (its
 * B/frontend is read in the same transaction): 0, -ENOENT once B is
 * gone (nothing written), or another -errno. */
struct backd_kv {
	const char *key;
	char val[64];
};
int backd_be_write(struct xs_handle *xs, const char *be, const struct backd_kv *kv,
		   size_t n);

#endif
