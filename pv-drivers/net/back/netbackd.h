/*
 * pvx-netback, the daemon: private header of main.c, tap.c, tap_list.c,
 * attach.c, vif_cfg.c, vif.c, vif_table.c, vif_ring.c, datapath.c, ctl.c,
 * gnt_pvx.c.
 * The ring engine (validation, tx/rx ring work, the handshake's pure
 * state machine, counters) is libpvxnetback (netback.h); this side owns
 * everything with a file descriptor: xenstore, pvxd (grants, event
 * channels), TAP devices, bridges and routes, the stats socket.
 *
 * One libevent base serves every vif of every domain. A vif is the pair of
 * directories F = /local/domain/D/device/vif/N and
 * B = /local/domain/0/backend/vif/D/N, one TAP device (B/vifname) with one
 * file descriptor per queue (IFF_MULTI_QUEUE), and 1..PVX_NET_MAX_QUEUES
 * queues, each a tx ring and an rx ring with one event channel or two.
 */
#ifndef PVX_NETBACKD_H
#define PVX_NETBACKD_H

#include <event2/event.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/queue.h>

#include <pvx/backd.h>
#include <pvx/ctlclient.h>
#include <pvx/daemon.h>
#include <pvx/stats_server.h>
#include <pvx/gnttab.h>
#include <pvx/log.h>
#include <pvx/xs.h>

#include <netif.h>

#include "netback.h"

#define NETBACK_NAME "pvx-netback"
#define NB_MAX_IPS 8                 /* addresses of B/ip we route */

struct netbackd;
struct nb_engine;

/* What the toolstack wrote in B, parsed and checked (vif_cfg.c). */
enum nb_script { NB_SCRIPT_BRIDGE, NB_SCRIPT_ROUTE };

struct nb_vif_cfg {
	uint8_t mac[6];
	char vifname[IFNAMSIZ];
	enum nb_script script;
	char bridge[IFNAMSIZ];          /* "" with vif-route */
	struct in_addr gateway;         /* vif-route: Dom0's address on the TAP */
	bool has_gateway;
	unsigned nr_ips;
	struct in_addr ips[NB_MAX_IPS];
};

/* One queue: a tx and an rx ring, their event channel(s), a TAP fd. */
struct nb_queue {
	struct nb_vif *vif;
	unsigned index;
	int tap_fd;                     /* -1 while disconnected */
	struct event *tap_ev;           /* TAP readable (rx towards the guest) */
	bool tap_watched;
	struct pvx_evtchn tx_port, rx_port;  /* rx_port unused unless split */
	bool split, tx_bound, rx_bound;
	struct event *tx_ev, *rx_ev;
	void *tx_sring, *rx_sring;      /* mapped ring pages */
	uint32_t tx_handle, rx_handle;
	bool tx_mapped, rx_mapped;
	struct nb_engine *engine;       /* datapath.c's per-queue state */
};

struct nb_vif {
	struct backd_dev dev;           /* B, F, its place in d->vifs */
	struct netbackd *d;
	int state;                      /* our B/state as last written */
	bool cfg_ok;                    /* cfg parsed and accepted */
	char cfg_err[160];              /* last configuration error logged */
	struct nb_vif_cfg cfg;
	bool tap_ready;                 /* TAP exists, configured, attached */
	bool connected;
	unsigned nr_queues;
	struct nb_queue q[PVX_NET_MAX_QUEUES];
	struct netback_stats stats;     /* of the queues closed so far */
	struct netback_features feat;   /* F's feature keys, read at connect */
	uint64_t log_window_ms;         /* nb_vif_log_ok's minute */
	unsigned log_lines;
};

struct netbackd {
	struct pvx_daemon_state ds;     /* first: the steps' context */
	struct xs_handle *xs;
	struct pvx_ctl *ctl;
	struct pvx_gnttab *gnt;
	struct event *xs_ev;
	struct pvx_stats_server ctl_srv;  /* the stats socket (ctl.c) */
	uint64_t poll_ns;               /* -p: tx poll window (0: off) */
	bool taps_swept;                /* tap_list.c read the last run's list */
	struct backd_devs vifs;
};

/* vif_cfg.c: B's keys, each checked; pure parsers are unit-testable. */
int nb_parse_mac(const char *s, uint8_t mac[6]);
int nb_check_ifname(const char *s);
int nb_parse_ipv4(const char *s, struct in_addr *a, int *prefix);
/* Reads B's keys into v->cfg; on failure writes a message naming the
 * domain, vif and key into err and returns -EINVAL. */
int nb_cfg_read(struct nb_vif *v, char *err, size_t errlen);

/* tap.c: persistent multi-queue TAP devices. */
int nb_tap_create(const char *name);            /* or re-open it; then closes */
int nb_tap_open_queue(const char *name);         /* a fd, or -errno */
int nb_tap_delete(const char *name);
bool nb_tap_exists(const char *name);

/* tap_list.c: <rundir>/netback.taps, the TAPs we own, across restarts. */
void nb_taps_save(struct netbackd *d);
void nb_taps_sweep(struct netbackd *d);

/* attach.c: bridge and route attachment (the vif-bridge / vif-route roles). */
int nb_attach(const struct nb_vif_cfg *cfg, const char *log_prefix);

/* vif.c: the handshake's actions. */
void nb_vif_update(struct nb_vif *v);           /* may free v */
int nb_vif_set_state(struct nb_vif *v, int state);
int nb_xs_read_int(struct netbackd *d, const char *dir, const char *key, long long *out);
int nb_xs_read_str(struct netbackd *d, const char *dir, const char *key, char *buf,
		   size_t cap);
/* Writes into B in one transaction, only while B exists (backd_be_write). */
int nb_be_write(struct nb_vif *v, const struct backd_kv *kv, size_t n);
int nb_be_printf(struct nb_vif *v, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Lines a guest can cause (its F keys, its rings, its reconnects) go
 * through this: at most NB_VIF_LOG_BURST per vif per minute, then one line
 * saying the rest is suppressed, so no guest floods Dom0's log. */
#define NB_VIF_LOG_BURST 20
bool nb_vif_log_ok(struct nb_vif *v);
#define nb_vif_log(v, lvl, ...) \
	do { if (nb_vif_log_ok(v)) pvx_log(lvl, __VA_ARGS__); } while (0)

/* vif_table.c: the vifs' table (pvx/backd.h), d->vifs set up. */
static inline struct nb_vif *nb_vif_of(struct backd_dev *dev)
{
	return backd_dev_of(dev, struct nb_vif, dev);
}

void nb_vifs_init(struct netbackd *d);
void nb_vif_remove(struct nb_vif *v, bool delete_tap);

/* vif_ring.c: map the frontend's rings, bind its ports, and undo that. */
int nb_rings_connect(struct nb_vif *v, bool attach);
void nb_rings_disconnect(struct nb_vif *v);

/* datapath.c: the per-queue engine between the rings and the TAP. */
int nb_queue_start(struct nb_queue *q, bool attach);
void nb_queue_stop(struct nb_queue *q);     /* folds its counters into the vif's */
void nb_vif_stats(const struct nb_vif *v, struct netback_stats *out);

/* gnt_pvx.c: netback_gnt_ops over libpvxgnttab; ctx is a struct nb_queue. */
extern const struct netback_gnt_ops nb_gnt_ops;

/* ctl.c: <rundir>/netback.sock, the stats socket. A step of main.c. */
int nb_ctl_init(void *netbackd);
void nb_ctl_exit(void *netbackd);

uint64_t nb_now_ms(void);

#endif
