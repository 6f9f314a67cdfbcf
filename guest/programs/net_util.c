/*
 * Helpers of the net-* programs (net_util.h).
 *
 * The payload pattern, shared with the host tool: for datagram seq S of
 * SIZE bytes, if SIZE >= 8 bytes 0..7 hold S little-endian and byte i
 * (i >= 8) is (S + i) & 0xff; if SIZE < 8 byte i is (S + i) & 0xff (the
 * seq cannot be read back then: such datagrams are checked for a
 * consistent run of bytes and counted only).
 */
#include <xen/public/errno.h>
#include <xen/public/io/xenbus.h>

#include <minios/console.h>
#include <minios/gnttab.h>
#include <minios/lib.h>
#include <minios/program.h>
#include <minios/time.h>
#include <minios/xenstore.h>

#include "net_util.h"

#define FIND_VIF_NS 10000000000ull
#define ALIVE_NS    1000000000ull

int net_args_parse(int argc, char **argv, struct net_args *a)
{
	memset(a, 0, sizeof(*a));
	for (int i = 0; i < argc && a->argc < (int)ARRAY_SIZE(a->argv); i++) {
		uint64_t v;

		if (!strncmp(argv[i], "ip=", 3)) {
			a->ip = argv[i] + 3;
		} else if (!strncmp(argv[i], "vif=", 4)) {
			if (parse_u64(argv[i] + 4, &v) < 0 || v >= PVX_NET_MAX_VIFS)
				return -1;
			a->vif = (uint32_t)v;
			a->have_vif = 1;
		} else {
			a->argv[a->argc++] = argv[i];
		}
	}
	return 0;
}

int net_arg(const struct net_args *a, int i, uint64_t def, uint64_t *out)
{
	return arg_u64(a->argc, (char **)a->argv, i, def, out);
}

static int find_vif(const struct net_args *a, uint32_t *id)
{
	uint64_t deadline = time_now_ns() + FIND_VIF_NS;
	uint32_t ids[PVX_NET_MAX_VIFS];

	for (;;) {
		int n = netfront_list(ids, PVX_NET_MAX_VIFS);

		for (int i = 0; i < n; i++) {
			if (!a->have_vif || ids[i] == a->vif) {
				*id = a->have_vif ? a->vif : ids[0];
				return 0;
			}
		}
		if (time_now_ns() >= deadline)
			return -XEN_ENODEV;
		msleep(10);
	}
}

int net_up(const char *prog, const struct net_args *a, struct netfront_dev *d,
	   struct net_if *nif, const struct netfront_opts *o)
{
	char mac[24], ipbuf[16];
	const char *spec;
	uint32_t id, ip, gw = 0;
	unsigned prefix;
	int rc;

	if ((rc = xs_init()) < 0 || (rc = gnttab_init()) < 0)
		return rc;
	rc = find_vif(a, &id);
	if (rc < 0) {
		printk("%s: no vif%s appeared\n", prog, a->have_vif ? " with that index" : "");
		return rc;
	}
	rc = netfront_open(d, id, o);
	if (rc < 0) {
		printk("%s: vif %u: handshake failed: %d\n", prog, id, rc);
		return rc;
	}
	spec = a->ip ? a->ip : d->be_ip;
	if (!spec[0] && a->ip_optional)
		spec = "0.0.0.0/32";
	if (!spec[0] || net_parse_cidr(spec, &ip, &prefix) < 0) {
		printk("%s: vif %u: no usable address (ip=%s)\n", prog, id, spec);
		netfront_close(d);
		return -XEN_EINVAL;
	}
	if (d->be_gw[0])
		net_parse_ip(d->be_gw, &gw);
	net_attach(nif, d, ip, prefix, gw);
	nif->udp_echo = 1;
	net_format_mac(d->mac, mac, sizeof(mac));
	net_format_ip(ip, ipbuf, sizeof(ipbuf));
	printk("net: vif %u mac %s ip %s/%u up\n", id, mac, ipbuf, prefix);
	return 0;
}

void net_down(const char *prog, struct net_if *nif)
{
	const struct netfront_stats *f = &nif->dev->st;
	const struct net_stats *s = &nif->st;

	printk("%s: vif tx=%llu rx=%llu tx_err=%llu rx_err=%llu bogus=%llu/%llu "
	       "rx_dropped=%llu tx_full=%llu notifies=%llu wakeups=%llu\n", prog,
	       (unsigned long long)f->tx_packets, (unsigned long long)f->rx_packets,
	       (unsigned long long)f->tx_errors, (unsigned long long)f->rx_errors,
	       (unsigned long long)f->tx_bogus, (unsigned long long)f->rx_bogus,
	       (unsigned long long)f->rx_dropped, (unsigned long long)f->tx_full,
	       (unsigned long long)f->notifies,
	       (unsigned long long)f->wakeups);
	printk("%s: ip arp=%llu icmp=%llu udp=%llu drops short=%llu csum=%llu frag=%llu "
	       "notus=%llu proto=%llu unbound=%llu nobuf=%llu\n", prog,
	       (unsigned long long)s->rx_arp, (unsigned long long)s->rx_icmp,
	       (unsigned long long)s->rx_udp, (unsigned long long)s->drop_short,
	       (unsigned long long)s->drop_csum, (unsigned long long)s->drop_frag,
	       (unsigned long long)s->drop_notus, (unsigned long long)s->drop_proto,
	       (unsigned long long)s->udp_unbound, (unsigned long long)s->tx_nobuf);
	netfront_close(nif->dev);
}

void net_pattern_fill(uint8_t *p, unsigned size, uint64_t seq)
{
	unsigned i = 0;

	if (size >= 8)
		for (; i < 8; i++)
			p[i] = (uint8_t)(seq >> (8 * i));
	for (; i < size; i++)
		p[i] = (uint8_t)(seq + i);
}

static void sink_seq(struct net_sink *s, uint64_t seq)
{
	if (seq == 0 && s->next > 0) { /* a new run of the sender */
		s->streams++;
		s->next = 1;
	} else if (seq >= s->next) {
		s->lost += seq - s->next;
		s->next = seq + 1;
	} else {
		s->reordered++; /* counted lost when its successor came */
		if (s->lost)
			s->lost--;
	}
}

void net_sink_add(struct net_sink *s, const uint8_t *d, unsigned len)
{
	uint64_t seq = 0, now = time_now_ns();
	unsigned i = 0;

	if (!s->received)
		s->first_ns = now;
	s->last_ns = now;
	s->received++;
	s->bytes += len;
	if (len >= 8) {
		for (i = 0; i < 8; i++)
			seq |= (uint64_t)d[i] << (8 * i);
	} else if (len) {
		seq = d[0];
	}
	for (; i < len; i++) {
		if (d[i] != (uint8_t)(seq + i)) {
			s->bad++;
			return;
		}
	}
	if (len >= 8)
		sink_seq(s, seq);
}

int net_serve_until(struct net_if *nif, uint64_t deadline_ns, int (*stop)(void *), void *arg)
{
	for (;;) {
		uint64_t now = time_now_ns(), until = now + ALIVE_NS;
		int rc = net_poll(nif);

		if (rc < 0)
			return rc;
		if (stop && stop(arg))
			return 0;
		if (deadline_ns && now >= deadline_ns)
			return 0;
		if (rc > 0)
			continue;
		if (deadline_ns && deadline_ns < until)
			until = deadline_ns;
		rc = net_wait(nif, until);
		if (rc < 0)
			return rc;
	}
}
