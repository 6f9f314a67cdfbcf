/*
 * net-serve [SECONDS] [ip=A.B.C.D/P] [vif=N]: the guest end of the
 * network tests. Brings the vif up, then answers ARP, ICMP echo and UDP
 * echo (port 7), and sinks UDP port 9 (payload pattern and sequence
 * checked, net_util.c) until SECONDS pass (0 or absent: forever). Prints
 * nothing while it serves; at the end
 *   PASS net-serve echoed=N sunk=N bad=N lost=N
 */
#include <minios/console.h>
#include <minios/lib.h>
#include <minios/program.h>
#include <minios/time.h>

#include "net_util.h"
#include "programs.h"

#define DISCARD_PORT 9

static void sink_rx(struct net_if *nif, const struct net_udp_meta *m, const uint8_t *data,
		    unsigned len)
{
	if (m->dport == DISCARD_PORT && m->dst == nif->ip)
		net_sink_add(nif->user, data, len);
	else
		nif->st.udp_unbound++;
}

int prog_net_serve(int argc, char **argv)
{
	static struct netfront_dev dev;
	static struct net_if nif;
	static struct net_sink sink;
	struct net_args a;
	uint64_t secs;
	int rc;

	if (net_args_parse(argc - 1, argv + 1, &a) < 0 || net_arg(&a, 0, 0, &secs) < 0)
		return fail("net-serve: usage: net-serve [SECONDS] [ip=A.B.C.D/P] [vif=N]");
	rc = net_up("net-serve", &a, &dev, &nif, NULL);
	if (rc < 0)
		return fail("net-serve: vif not up: %d", rc);
	nif.udp_rx = sink_rx;
	nif.user = &sink;
	rc = net_serve_until(&nif, secs ? time_now_ns() + secs * 1000000000ull : 0, NULL, NULL);
	if (rc < 0) {
		fail("net-serve: the vif went away (%d) echoed=%llu sunk=%llu", rc,
		     (unsigned long long)nif.st.udp_echoed, (unsigned long long)sink.received);
		net_down("net-serve", &nif);
		return 1;
	}
	net_down("net-serve", &nif);
	return pass("net-serve echoed=%llu sunk=%llu bad=%llu lost=%llu",
		    (unsigned long long)nif.st.udp_echoed, (unsigned long long)sink.received,
		    (unsigned long long)sink.bad, (unsigned long long)sink.lost);
}
