/*
 * Virtual network interfaces in xenstore (cmd_network_dev.c), shared by
 * the create hook and `pvx network-attach/-detach/-list`, and the reader
 * of pvx-netback's statistics (cmd_network_stats.c) for `pvx list --json`
 * and network-list. The layout is the contract's, pv-drivers/net/netif.h.
 */
#ifndef PVX_CLI_NETWORK_H
#define PVX_CLI_NETWORK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pvx/json.h>

struct pvx_config;
struct pvx_vif_spec;
struct xs_handle;

/* "00:16:3e" and three random bytes (the first below 0x80), as xl does. */
int pvx_net_random_mac(char mac[18]);
/* Gives every vif of cfg without a MAC a generated one, so that the
 * monitor's restarts keep the guest's MAC. */
int pvx_net_fill_macs(struct pvx_config *cfg);

/* Writes B then F for one vif (one transaction). devid < 0: the lowest
 * free index. Returns the devid, or -errno with one line in err:
 * -EEXIST (devid taken, same MAC in this domain, vifname used by another
 * vif), -ENOSPC (PVX_NET_MAX_VIFS reached), -EINVAL. */
int pvx_net_add(int32_t domid, int devid, const struct pvx_vif_spec *vif,
		char *err, size_t errlen);
/* B/online=0 and B/state=5 (Closing), as libxl asks; waits up to
 * timeout_ms for B/state=6 (or B gone), then removes F and B.
 * -ENOENT: no such vif; -ETIMEDOUT: the backend did not close in time
 * (F and B are removed anyway). */
int pvx_net_remove(int32_t domid, uint32_t devid, int timeout_ms);
/* Removes every vif of domid (F and B) without waiting. */
void pvx_net_remove_all(int32_t domid);
/* The devid whose B/mac is mac (lower-case compare), or -ENOENT. */
int pvx_net_find_mac(int32_t domid, const char *mac);

/* One vif as pvx-netback's stats socket reports it (netif.h); a counter
 * the daemon did not send is UINT64_MAX. */
struct pvx_net_stats {
	int32_t domid;
	uint32_t devid;
	uint64_t tx_packets, tx_bytes, tx_errors, tx_dropped;
	uint64_t rx_packets, rx_bytes, rx_errors, rx_dropped;
};
/* Asks <rundir>/netback.sock; *v is malloc'd (free it). -ENOENT /
 * -ECONNREFUSED when the daemon is not running. */
int pvx_net_stats_read(struct pvx_net_stats **v, size_t *n);
/* Parses one line of the answer; false if it names no vif. */
bool pvx_net_stats_parse(const char *line, struct pvx_net_stats *s);

/* `pvx list --json`: the "vifs" array of one domain (a new jansson
 * array, NULL when out of memory); h NULL (no pvxstored): empty. */
json_t *pvx_net_json_vifs(struct xs_handle *h, int32_t domid, const struct pvx_net_stats *st,
			  size_t nst);

int cmd_network_attach(int argc, char **argv);
int cmd_network_detach(int argc, char **argv);
int cmd_network_list(int argc, char **argv);

#endif
