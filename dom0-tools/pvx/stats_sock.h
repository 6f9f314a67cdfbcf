/*
 * The backends' statistics sockets, client side (stats_sock.c): the
 * line protocol pvx-netback (pv-drivers/net/netif.h) and pvx-blkback
 * (pv-drivers/blk/blkif.h) share. `pvx list --json` and `pvx top` read
 * them through cmd_network_stats.c and cmd_top_blk.c.
 */
#ifndef PVX_CLI_STATS_SOCK_H
#define PVX_CLI_STATS_SOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Connects to <rundir>/<name>, asks "stats\n" and returns the answer up
 * to its empty line, NUL-terminated (free it). Bounded (1 MiB) and with a
 * 2 s timeout, so a wedged daemon cannot hang the caller; -ENOENT or
 * -ECONNREFUSED when the daemon is not running. */
int pvx_stats_fetch(const char *name, char **answer);

/* One counter a line may carry. */
struct pvx_stats_key {
	const char *name;
	uint64_t *field;
};

/* Parses one `domid=D devid=N key=value ...` line: the keys found set
 * their fields (others, and values that are not decimal numbers, are
 * skipped: the protocol lets daemons add keys). True when domid and a
 * devid below max_devid were there. */
bool pvx_stats_parse_line(const char *line, uint32_t max_devid, int32_t *domid,
			  uint32_t *devid, const struct pvx_stats_key *keys, size_t nkeys);

#endif
