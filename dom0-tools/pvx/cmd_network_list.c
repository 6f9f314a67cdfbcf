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
#include <pvx/json.h>
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

static json_t *json_counters(const struct pvx_net_stats *s)
{
	const char *names[] = { "tx_packets", "tx_bytes", "tx_errors", "tx_dropped",
				"rx_packets", "rx_bytes", "rx_errors", "rx_dropped" };
	const uint64_t vals[] = { s->tx_packets, s->tx_bytes, s->tx_errors, s->tx_dropped,
				  s->rx_packets, s->rx_bytes, s->rx_errors, s->rx_dropped };
	json_t *o = json_object();
	int rc = 0;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (vals[i] != UINT64_MAX) /* else the daemon does not count this one */
			rc |= pvx_json_set(o, names[i], pvx_json_u64(vals[i]));
	if (rc) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* One vif's object; xenstore values are strings of any bytes, which
 * pvx_json_string makes valid JSON. */
static json_t *json_vif(struct xs_handle *h, int32_t domid, const char *dir,
			const char *idx, const struct pvx_net_stats *st, size_t nst)
{
	static const char *const keys[] = { "mac", "ip", "bridge", "vifname" };
	static const char *const names[] = { "mac", "ip", "bridge", "tap" };
	long devid = strtol(idx, NULL, 10);
	json_t *o = json_object();
	char be[120], *v;
	int rc;

	snprintf(be, sizeof(be), "%s/%s", dir, idx);
	rc = pvx_json_set(o, "devid", json_integer(devid));
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		v = get(h, be, keys[i]);
		rc |= pvx_json_set(o, names[i], pvx_json_string(v));
		free(v);
	}
	v = get(h, be, "state");
	rc |= pvx_json_set(o, "state", json_integer(v ? strtol(v, NULL, 10) : -1L));
	free(v);
	for (size_t i = 0; i < nst; i++)
		if (st[i].domid == domid && (long)st[i].devid == devid) {
			rc |= pvx_json_set(o, "counters", json_counters(&st[i]));
			break;
		}
	if (rc) {
		json_decref(o);
		return NULL;
	}
	return o;
}

json_t *pvx_net_json_vifs(struct xs_handle *h, int32_t domid, const struct pvx_net_stats *st,
			  size_t nst)
{
	char dir[80], **names = NULL;
	unsigned n = 0;
	json_t *a = json_array();
	int rc = 0;

	snprintf(dir, sizeof(dir), PVX_NET_BE_ROOT "/%d", (int)domid);
	if (h && domid > 0 && xs_directory(h, XBT_NULL, dir, &names, &n) == 0) {
		for (unsigned i = 0; i < n; i++)
			rc |= json_array_append_new(a, json_vif(h, domid, dir, names[i], st, nst));
		free(names);
	}
	if (rc) {
		json_decref(a);
		return NULL;
	}
	return a;
}
