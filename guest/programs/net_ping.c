/*
 * ping DST [COUNT] [SIZE] [INTERVAL_MS] [ip=..] [vif=N]: ICMP echo
 * requests to DST, one every INTERVAL_MS (default 5, 56 bytes of data,
 * 200 ms), answering ARP, pings and UDP echo meanwhile. Waits up to 1 s
 * after the last request for the replies, then
 *   PASS ping sent=N received=N lost=0 rtt_us p50=X p99=Y
 * or the same line as FAIL when any is lost. The data of request seq is
 * the shared payload pattern of seq (checked in the reply); the send time
 * of each request is kept here, so any SIZE works.
 */
#include <minios/console.h>
#include <minios/lib.h>
#include <minios/program.h>
#include <minios/time.h>

#include "net_util.h"
#include "programs.h"

#define PING_MAX   100000
#define PING_ID    0x7078
#define RESOLVE_NS 3000000000ull
#define LINGER_NS  1000000000ull

struct ping {
	uint64_t sent, received, dups, bad;
	uint64_t sent_ns[PING_MAX];
	uint32_t rtt_us[PING_MAX];
	uint8_t got[PING_MAX];
	uint32_t dst;
	unsigned size;
};

static struct ping pg;

static void echo_rx(struct net_if *nif, uint32_t src, uint16_t id, uint16_t seq16,
		    const uint8_t *data, unsigned len)
{
	static uint8_t want[NET_MTU];
	uint64_t seq;

	(void)nif;
	if (id != PING_ID || src != pg.dst || !pg.sent)
		return;
	/* The latest seq sent whose low 16 bits match. */
	seq = pg.sent - 1 - (uint16_t)((uint16_t)(pg.sent - 1) - seq16);
	if (seq >= pg.sent || len != pg.size) {
		pg.bad++;
		return;
	}
	net_pattern_fill(want, len, seq);
	if (memcmp(want, data, len)) {
		pg.bad++;
		return;
	}
	if (pg.got[seq]) {
		pg.dups++;
		return;
	}
	pg.got[seq] = 1;
	pg.rtt_us[pg.received++] = (uint32_t)((time_now_ns() - pg.sent_ns[seq]) / 1000);
}

static void sort_u32(uint32_t *v, uint64_t n)
{
	/* Shell sort (Ciura's gaps, then x2.25): enough for 100,000 samples. */
	static const uint64_t gaps[] = { 1, 4, 10, 23, 57, 132, 301, 701, 1577, 3548, 7983,
					 17961, 40412 };

	for (int g = (int)ARRAY_SIZE(gaps) - 1; g >= 0; g--) {
		uint64_t gap = gaps[g];

		for (uint64_t i = gap; i < n; i++) {
			uint32_t x = v[i];
			uint64_t j = i;

			for (; j >= gap && v[j - gap] > x; j -= gap)
				v[j] = v[j - gap];
			v[j] = x;
		}
	}
}

static int all_in(void *arg)
{
	(void)arg;
	return pg.received == pg.sent;
}

static int send_one(struct net_if *nif, const uint8_t *mac)
{
	static uint8_t data[NET_MTU];
	uint64_t seq = pg.sent;

	net_pattern_fill(data, pg.size, seq);
	pg.sent_ns[seq] = time_now_ns();
	if (net_icmp_echo(nif, mac, pg.dst, PING_ID, (uint16_t)seq, data, pg.size) < 0)
		return -1;
	pg.sent++;
	return 0;
}

static int report(void)
{
	uint64_t lost = pg.sent - pg.received;
	uint32_t p50 = 0, p99 = 0;

	if (pg.received) {
		sort_u32(pg.rtt_us, pg.received);
		p50 = pg.rtt_us[(pg.received - 1) / 2];
		p99 = pg.rtt_us[(pg.received - 1) * 99 / 100];
	}
	if (pg.dups || pg.bad)
		printk("ping: %llu duplicate and %llu bad replies\n",
		       (unsigned long long)pg.dups, (unsigned long long)pg.bad);
	return (lost ? fail : pass)("ping sent=%llu received=%llu lost=%llu rtt_us p50=%u p99=%u",
				    (unsigned long long)pg.sent, (unsigned long long)pg.received,
				    (unsigned long long)lost, p50, p99);
}

int prog_ping(int argc, char **argv)
{
	static struct netfront_dev dev;
	static struct net_if nif;
	uint64_t count, size, interval, next;
	uint8_t mac[6];
	struct net_args a;
	int rc;

	if (net_args_parse(argc - 1, argv + 1, &a) < 0 || a.argc < 1 ||
	    net_parse_ip(a.argv[0], &pg.dst) < 0 || net_arg(&a, 1, 5, &count) < 0 ||
	    net_arg(&a, 2, 56, &size) < 0 || net_arg(&a, 3, 200, &interval) < 0 ||
	    count == 0 || count > PING_MAX || size > NET_MTU - NET_IP_HLEN - NET_ICMP_HLEN)
		return fail("ping: usage: ping DST [COUNT<=%u] [SIZE<=1472] [INTERVAL_MS] [ip=..]",
			    PING_MAX);
	pg.size = (unsigned)size;
	rc = net_up("ping", &a, &dev, &nif, NULL);
	if (rc < 0)
		return fail("ping: vif not up: %d", rc);
	nif.echo_rx = echo_rx;
	rc = net_arp_resolve(&nif, pg.dst, mac, time_now_ns() + RESOLVE_NS);
	if (rc < 0) {
		net_down("ping", &nif);
		return fail("ping: %s: no ARP answer (%d)", a.argv[0], rc);
	}
	next = time_now_ns();
	while (pg.sent < count) {
		if (time_now_ns() >= next) {
			if (send_one(&nif, mac) < 0)
				break;
			next += interval * 1000000ull;
			continue;
		}
		rc = net_serve_until(&nif, next, NULL, NULL);
		if (rc < 0)
			break;
	}
	if (rc >= 0)
		rc = net_serve_until(&nif, time_now_ns() + LINGER_NS, all_in, NULL);
	net_down("ping", &nif);
	if (rc < 0)
		printk("ping: the vif went away (%d)\n", rc);
	return report();
}
