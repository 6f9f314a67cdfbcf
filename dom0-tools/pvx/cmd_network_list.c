/*
 * pvx network-list DOMAIN...: one line per vif, xl's columns
 *   Idx BE Mac Addr. handle state evt-ch tx-/rx-ring-ref BE-path
 * then the TAP's name (pvx's own column, last so that scripts reading
 * xl's columns from the left still work). state is the frontend's
 * XenbusState and -1 marks a key the frontend has not written; a
 * multi-queue frontend's ports and rings are queue 0's.
 *
 * Also the "vifs" array of `pvx list --json`: what the toolstack wrote
 * in B, the backend's state, and pvx-netback's counters when it runs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netif.h>
#include <pvx/ctlclient.h>
#include <pvx/xs.h>

#include "cmd.h"
#include "cmd_network.h"

static char *get(struct xs_handle *h, const char *dir, const char *key)
{
	char path[200], *v = NULL;

	snprintf(path, sizeof(path), "%s/%s", dir, key);
	return xs_read(h, XBT_NULL, path, &v, NULL) == 0 ? v : NULL;
}

/* F/key, else F/queue-0/key (multi-queue), as a number or -1. */
static long long fe_num(struct xs_handle *h, const char *fe, const char *key)
{
	char q0[160], *v = get(h, fe, key);
	long long n;

	if (!v) {
		snprintf(q0, sizeof(q0), "%s/queue-0", fe);
		v = get(h, q0, key);
	}
	n = v ? strtoll(v, NULL, 10) : -1;
	free(v);
	return n;
}

static void print_vif(struct xs_handle *h, const char *fe, const char *idx)
{
	char *be = get(h, fe, "backend"), *mac = get(h, fe, "mac"), *tap = NULL;
	char *beid = get(h, fe, "backend-id"), *st = get(h, fe, "state");
	char rings[48];
	long long evt = fe_num(h, fe, "event-channel");

	if (evt < 0)
		evt = fe_num(h, fe, "event-channel-tx");
	if (be)
		tap = get(h, be, "vifname");
	snprintf(rings, sizeof(rings), "%lld/%lld", fe_num(h, fe, "tx-ring-ref"),
		 fe_num(h, fe, "rx-ring-ref"));
	printf("%-3s %-2s %-17s %6s %5s %6lld %-15s %s %s\n", idx, beid ? beid : "-1",
	       mac ? mac : "-", idx, st ? st : "-1", evt, rings, be ? be : "-",
	       tap ? tap : "-");
	free(be);
	free(mac);
	free(tap);
	free(beid);
	free(st);
}

static void list_dom(struct xs_handle *h, int32_t domid)
{
	char dir[80], fe[120], **names = NULL;
	unsigned n = 0;

	snprintf(dir, sizeof(dir), "/local/domain/%d/" PVX_NET_FE_DIR, (int)domid);
	if (xs_directory(h, XBT_NULL, dir, &names, &n) < 0)
		return;
	for (unsigned i = 0; i < n; i++) {
		snprintf(fe, sizeof(fe), "%s/%s", dir, names[i]);
		print_vif(h, fe, names[i]);
	}
	free(names);
}

int cmd_network_list(int argc, char **argv)
{
	struct xs_handle *h = NULL;
	struct pvx_ctl *c;
	int32_t *doms;
	int rc = 0;

	if (argc < 2)
		return pvx_usage_err("network-list", "missing DOMAIN");
	doms = calloc((size_t)argc, sizeof(*doms));
	c = doms ? pvx_connect() : NULL;
	if (!c) {
		free(doms);
		return 1;
	}
	for (int i = 1; rc == 0 && i < argc; i++) /* Dom0 has no vifs */
		if (strcmp(argv[i], "0") && strcmp(argv[i], "Domain-0"))
			rc = pvx_resolve(c, argv[i], &doms[i]);
	pvx_ctl_close(c);
	if (rc == 0 && (rc = xs_open(&h)) < 0)
		pvx_err("cannot reach pvxstored: %s", strerror(-rc));
	if (rc == 0) {
		printf("%-3s %-2s %-17s %6s %5s %6s %-15s %s %s\n", "Idx", "BE", "Mac Addr.",
		       "handle", "state", "evt-ch", "tx-/rx-ring-ref", "BE-path", "TAP");
		for (int i = 1; i < argc; i++)
			if (doms[i] > 0)
				list_dom(h, doms[i]);
	}
	xs_close(h);
	free(doms);
	return rc < 0;
}

static void json_key_str(const char *key, const char *val)
{
	printf(", \"%s\": ", key);
	if (val)
		pvx_json_str(val);
	else
		fputs("null", stdout);
}

static void json_counters(const struct pvx_net_stats *s)
{
	const char *names[] = { "tx_packets", "tx_bytes", "tx_errors", "tx_dropped",
				"rx_packets", "rx_bytes", "rx_errors", "rx_dropped" };
	const uint64_t vals[] = { s->tx_packets, s->tx_bytes, s->tx_errors, s->tx_dropped,
				  s->rx_packets, s->rx_bytes, s->rx_errors, s->rx_dropped };
	bool first = true;

	fputs(", \"counters\": {", stdout);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (vals[i] == UINT64_MAX)
			continue; /* the daemon does not count this one */
		printf("%s\"%s\": %llu", first ? "" : ", ", names[i],
		       (unsigned long long)vals[i]);
		first = false;
	}
	putchar('}');
}

static void json_vif(struct xs_handle *h, int32_t domid, const char *dir,
		     const char *idx, const struct pvx_net_stats *st, size_t nst)
{
	char be[120], *mac, *ip, *bridge, *tap, *state;
	long devid = strtol(idx, NULL, 10);

	snprintf(be, sizeof(be), "%s/%s", dir, idx);
	mac = get(h, be, "mac");
	ip = get(h, be, "ip");
	bridge = get(h, be, "bridge");
	tap = get(h, be, "vifname");
	state = get(h, be, "state");
	printf("{\"devid\": %ld", devid);
	json_key_str("mac", mac);
	json_key_str("ip", ip);
	json_key_str("bridge", bridge);
	json_key_str("tap", tap);
	printf(", \"state\": %ld", state ? strtol(state, NULL, 10) : -1L);
	for (size_t i = 0; i < nst; i++)
		if (st[i].domid == domid && (long)st[i].devid == devid) {
			json_counters(&st[i]);
			break;
		}
	putchar('}');
	free(mac);
	free(ip);
	free(bridge);
	free(tap);
	free(state);
}

void pvx_net_json_vifs(struct xs_handle *h, int32_t domid, const struct pvx_net_stats *st,
		       size_t nst)
{
	char dir[80], **names = NULL;
	unsigned n = 0;

	fputs("\"vifs\": [", stdout);
	snprintf(dir, sizeof(dir), PVX_NET_BE_ROOT "/%d", (int)domid);
	if (h && domid > 0 && xs_directory(h, XBT_NULL, dir, &names, &n) == 0) {
		for (unsigned i = 0; i < n; i++) {
			fputs(i ? ", " : "", stdout);
			json_vif(h, domid, dir, names[i], st, nst);
		}
		free(names);
	}
	putchar(']');
}
