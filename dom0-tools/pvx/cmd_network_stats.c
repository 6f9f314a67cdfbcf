/*
 * pvx-netback's statistics socket, client side (protocol in
 * pv-drivers/net/netif.h; transport in stats_sock.c): one
 * `key=value ...` line per vif. Unknown keys are skipped, as the contract asks; a daemon that
 * is not running is not an error for the callers (`pvx list --json`
 * then shows no counters). The answer is bounded and the socket has a
 * timeout, so a wedged daemon cannot hang `pvx list`.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <netif.h>

#include "cmd_network.h"
#include "stats_sock.h"

bool pvx_net_stats_parse(const char *line, struct pvx_net_stats *s)
{
	const struct pvx_stats_key keys[] = {
		{ "tx_packets", &s->tx_packets }, { "tx_bytes", &s->tx_bytes },
		{ "tx_errors", &s->tx_errors }, { "tx_dropped", &s->tx_dropped },
		{ "rx_packets", &s->rx_packets }, { "rx_bytes", &s->rx_bytes },
		{ "rx_errors", &s->rx_errors }, { "rx_dropped", &s->rx_dropped },
	};

	memset(s, 0xff, sizeof(*s)); /* a counter the daemon did not send stays unknown */
	return pvx_stats_parse_line(line, PVX_NET_MAX_VIFS, &s->domid, &s->devid, keys,
				    sizeof(keys) / sizeof(keys[0]));
}

int pvx_net_stats_read(struct pvx_net_stats **v, size_t *n)
{
	struct pvx_net_stats *arr = NULL, one;
	char *answer = NULL, *line, *save = NULL;
	size_t k = 0, cap = 0;
	int rc = pvx_stats_fetch(PVX_NET_CTL_SOCK, &answer);

	if (rc < 0)
		return rc;
	for (line = strtok_r(answer, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (!pvx_net_stats_parse(line, &one))
			continue;
		if (k == cap) {
			struct pvx_net_stats *na = realloc(arr, (cap ? cap * 2 : 16) * sizeof(*na));
			if (!na) {
				rc = -ENOMEM;
				break;
			}
			arr = na;
			cap = cap ? cap * 2 : 16;
		}
		arr[k++] = one;
	}
	free(answer);
	if (rc < 0) {
		free(arr);
		return rc;
	}
	*v = arr;
	*n = k;
	return 0;
}
