/*
 * minios's IP stack (guest/net/) on the host, against faked netfront
 * calls that record every frame sent (fake_netfront.c): ARP answers and
 * resolution, ICMP echo answers, UDP echo and delivery, every checksum
 * checked both ways, and the drops (bad checksums, fragments, truncated
 * headers, other addresses), plus the address parsers.
 */
#include <check.h>
#include <string.h>

#include <xen/public/errno.h>

#include "fake_netfront.h"

#define US   0x0a000002u    /* 10.0.0.2 */
#define PEER 0x0a000001u    /* 10.0.0.1 */

static const uint8_t our_mac[6] = { 0x00, 0x16, 0x3e, 0x00, 0x00, 0x02 };
static const uint8_t peer_mac[6] = { 0x00, 0x16, 0x3e, 0x00, 0x00, 0x01 };
static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static struct netfront_dev dev;
static struct net_if nif;
static uint8_t f[2048];
static struct net_udp_meta got_meta;
static uint8_t got_data[2048];
static unsigned got_len, got_count;

static void udp_rx(struct net_if *n, const struct net_udp_meta *m, const uint8_t *d,
		   unsigned len)
{
	(void)n;
	got_meta = *m;
	memcpy(got_data, d, len);
	got_len = len;
	got_count++;
}

static void setup(void)
{
	fake_net_reset();
	memset(&dev, 0, sizeof(dev));
	memcpy(dev.mac, our_mac, 6);
	dev.connected = 1;
	net_attach(&nif, &dev, US, 24, 0);
	nif.udp_echo = 1;
	nif.udp_rx = udp_rx;
	got_count = got_len = 0;
}

static unsigned eth(uint8_t *p, const uint8_t *dst, uint16_t type)
{
	memcpy(p, dst, 6);
	memcpy(p + 6, peer_mac, 6);
	net_put16(p + 12, type);
	return NET_ETH_HLEN;
}

/* An IPv4 header at p (checksummed), payload len; frag: the flags/offset word. */
static void ip(uint8_t *p, uint32_t src, uint32_t dst, uint8_t proto, unsigned len, uint16_t frag)
{
	memset(p, 0, NET_IP_HLEN);
	p[0] = 0x45;
	net_put16(p + 2, (uint16_t)(NET_IP_HLEN + len));
	net_put16(p + 6, frag);
	p[8] = 64;
	p[9] = proto;
	net_put32(p + 12, src);
	net_put32(p + 16, dst);
	net_put16(p + 10, net_csum_fold(net_csum_add(0, p, NET_IP_HLEN)));
}

static uint16_t udp_csum(const uint8_t *udp, uint32_t src, uint32_t dst, unsigned len)
{
	uint8_t ph[12];

	net_put32(ph, src);
	net_put32(ph + 4, dst);
	ph[8] = 0;
	ph[9] = NET_PROTO_UDP;
	net_put16(ph + 10, (uint16_t)len);
	return net_csum_fold(net_csum_add(net_csum_add(0, ph, 12), udp, len));
}

/* A UDP datagram from PEER to dst:dport, payload len bytes of i*7. */
static unsigned udp_frame(uint32_t dst, uint16_t dport, unsigned len, int good_csum)
{
	uint8_t *u = f + NET_ETH_HLEN + NET_IP_HLEN;
	uint16_t c;

	eth(f, our_mac, NET_ETHERTYPE_IP);
	ip(f + NET_ETH_HLEN, PEER, dst, NET_PROTO_UDP, NET_UDP_HLEN + len, 0x4000);
	net_put16(u, 5555);
	net_put16(u + 2, dport);
	net_put16(u + 4, (uint16_t)(NET_UDP_HLEN + len));
	net_put16(u + 6, 0);
	for (unsigned i = 0; i < len; i++)
		u[NET_UDP_HLEN + i] = (uint8_t)(i * 7);
	c = udp_csum(u, PEER, dst, NET_UDP_HLEN + len);
	net_put16(u + 6, (uint16_t)((c ? c : 0xffff) ^ (good_csum ? 0 : 0x0100)));
	return NET_ETH_HLEN + NET_IP_HLEN + NET_UDP_HLEN + len;
}

static unsigned echo_frame(uint8_t type, unsigned len)
{
	uint8_t *ic = f + NET_ETH_HLEN + NET_IP_HLEN;

	eth(f, our_mac, NET_ETHERTYPE_IP);
	ip(f + NET_ETH_HLEN, PEER, US, NET_PROTO_ICMP, NET_ICMP_HLEN + len, 0);
	memset(ic, 0, NET_ICMP_HLEN);
	ic[0] = type;
	net_put16(ic + 4, 0x1234);
	net_put16(ic + 6, 42);
	for (unsigned i = 0; i < len; i++)
		ic[NET_ICMP_HLEN + i] = (uint8_t)i;
	net_put16(ic + 2, net_csum_fold(net_csum_add(0, ic, NET_ICMP_HLEN + len)));
	return NET_ETH_HLEN + NET_IP_HLEN + NET_ICMP_HLEN + len;
}

static unsigned arp_frame(uint16_t op, uint32_t target)
{
	uint8_t *a = f + NET_ETH_HLEN;

	eth(f, bcast, NET_ETHERTYPE_ARP);
	net_put16(a, 1);
	net_put16(a + 2, NET_ETHERTYPE_IP);
	a[4] = 6;
	a[5] = 4;
	net_put16(a + 6, op);
	memcpy(a + 8, peer_mac, 6);
	net_put32(a + 14, PEER);
	memset(a + 18, 0, 6);
	net_put32(a + 24, target);
	return NET_ETH_HLEN + 28;
}

static void in(unsigned len, unsigned flags)
{
	net_eth_input(&nif, f, len, flags);
}

/* The frame sent n: Ethernet to the peer, a valid IPv4 header to PEER. */
static const uint8_t *sent_ip(unsigned n, uint8_t proto)
{
	const uint8_t *p = sent[n].f;

	ck_assert_mem_eq(p, peer_mac, 6);
	ck_assert_mem_eq(p + 6, our_mac, 6);
	ck_assert_uint_eq(net_get16(p + 12), NET_ETHERTYPE_IP);
	p += NET_ETH_HLEN;
	ck_assert_uint_eq(p[0], 0x45);
	ck_assert_uint_eq(p[9], proto);
	ck_assert_uint_eq(net_get32(p + 12), US);
	ck_assert_uint_eq(net_get32(p + 16), PEER);
	ck_assert_uint_eq(net_csum_fold(net_csum_add(0, p, NET_IP_HLEN)), 0);
	ck_assert_uint_ge(sent[n].len, 60);
	return p;
}

START_TEST(csum_known_vector)
{
	static const uint8_t h[] = { 0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
				     0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7 };
	static const uint8_t odd[] = { 0x01, 0x02, 0x03 };

	ck_assert_uint_eq(net_csum_fold(net_csum_add(0, h, sizeof(h))), 0xb861);
	ck_assert_uint_eq(net_csum_fold(net_csum_add(0, odd, 3)), (uint16_t)~0x0402); /* 0x0102 + 0x0300 */
}
END_TEST

START_TEST(addresses)
{
	uint32_t a;
	unsigned p;
	char buf[24];

	ck_assert_int_eq(net_parse_cidr("10.0.0.2/16", &a, &p), 0);
	ck_assert_uint_eq(a, 0x0a000002);
	ck_assert_uint_eq(p, 16);
	ck_assert_int_eq(net_parse_cidr("192.168.1.254", &a, &p), 0);
	ck_assert_uint_eq(p, 24);
	ck_assert_int_eq(net_parse_cidr("10.0.0.2/33", &a, &p), -XEN_EINVAL);
	ck_assert_int_eq(net_parse_cidr("10.0.0.2/0", &a, &p), -XEN_EINVAL);
	ck_assert_int_eq(net_parse_cidr("10.0.0.256", &a, &p), -XEN_EINVAL);
	ck_assert_int_eq(net_parse_cidr("10.0.0", &a, &p), -XEN_EINVAL);
	ck_assert_int_eq(net_parse_cidr("10.0.0.", &a, &p), -XEN_EINVAL);
	ck_assert_int_eq(net_parse_cidr("10.0.0.1/", &a, &p), -XEN_EINVAL);
	ck_assert_int_eq(net_parse_cidr("10..0.1", &a, &p), -XEN_EINVAL);
	ck_assert_int_eq(net_parse_cidr("1.2.3.4/8/8", &a, &p), -XEN_EINVAL);
	ck_assert_int_eq(net_parse_cidr("10.0.0.2/24x", &a, &p), -XEN_EINVAL);
	ck_assert_int_eq(net_parse_ip("10.0.0.2/24", &a), -XEN_EINVAL);
	ck_assert_int_eq(net_parse_ip("1.2.3.4", &a), 0);
	ck_assert_int_eq(net_parse_ip("", &a), -XEN_EINVAL);
	ck_assert_int_eq(net_parse_ip("00001.2.3.4", &a), -XEN_EINVAL);
	net_format_ip(0xc0a800c7, buf, sizeof(buf));
	ck_assert_str_eq(buf, "192.168.0.199");
	net_format_mac(peer_mac, buf, sizeof(buf));
	ck_assert_str_eq(buf, "00:16:3e:00:00:01");
}
END_TEST

START_TEST(arp_answered_and_learned)
{
	uint8_t mac[6];
	const uint8_t *a;

	setup();
	in(arp_frame(1, US), 0);
	ck_assert_uint_eq(nsent, 1);
	ck_assert_mem_eq(sent[0].f, peer_mac, 6);
	ck_assert_uint_eq(net_get16(sent[0].f + 12), NET_ETHERTYPE_ARP);
	a = sent[0].f + NET_ETH_HLEN;
	ck_assert_uint_eq(net_get16(a + 6), 2);
	ck_assert_mem_eq(a + 8, our_mac, 6);
	ck_assert_uint_eq(net_get32(a + 14), US);
	ck_assert_mem_eq(a + 18, peer_mac, 6);
	ck_assert_uint_eq(net_get32(a + 24), PEER);
	ck_assert_int_eq(net_arp_lookup(&nif, PEER, mac), 0);
	ck_assert_mem_eq(mac, peer_mac, 6);
	ck_assert_int_eq(net_arp_resolve(&nif, PEER, mac, time_now_ns() + 1000000), 0);
	ck_assert_uint_eq(nsent, 1); /* cached: no request */
	in(arp_frame(1, US + 1), 0);  /* someone else's */
	in(arp_frame(1, US) - 10, 0); /* truncated */
	ck_assert_uint_eq(nsent, 1);
}
END_TEST

START_TEST(arp_resolve_times_out)
{
	uint8_t mac[6];

	setup();
	ck_assert_int_eq(net_arp_resolve(&nif, PEER, mac, time_now_ns() + 1000000000ull),
			 -XEN_ETIMEDOUT);
	ck_assert_uint_ge(nsent, 4); /* asked every 200 ms */
	ck_assert_mem_eq(sent[0].f, bcast, 6);
	ck_assert_uint_eq(net_get32(sent[0].f + NET_ETH_HLEN + 24), PEER);
	/* Off-link with a gateway: the gateway is asked for. */
	setup();
	nif.gateway = PEER;
	net_arp_learn(&nif, PEER, peer_mac);
	ck_assert_int_eq(net_arp_resolve(&nif, 0x08080808, mac, time_now_ns() + 1000), 0);
	ck_assert_mem_eq(mac, peer_mac, 6);
	ck_assert_int_eq(net_arp_resolve(&nif, 0x0a0000ff, mac, 0), 0); /* broadcast */
	ck_assert_mem_eq(mac, bcast, 6);
}
END_TEST

START_TEST(icmp_echo_answered)
{
	const uint8_t *p, *ic;

	setup();
	in(echo_frame(8, 56), 0);
	ck_assert_uint_eq(nsent, 1);
	p = sent_ip(0, NET_PROTO_ICMP);
	ck_assert_uint_eq(net_get16(p + 2), NET_IP_HLEN + NET_ICMP_HLEN + 56);
	ic = p + NET_IP_HLEN;
	ck_assert_uint_eq(ic[0], 0);
	ck_assert_uint_eq(net_get16(ic + 4), 0x1234);
	ck_assert_uint_eq(net_get16(ic + 6), 42);
	ck_assert_uint_eq(ic[NET_ICMP_HLEN + 55], 55);
	ck_assert_uint_eq(net_csum_fold(net_csum_add(0, ic, NET_ICMP_HLEN + 56)), 0);
	ck_assert_uint_eq(nif.st.echo_replies, 1);
	/* An echo with an odd length of data, and one of 1472 bytes. */
	in(echo_frame(8, 1), 0);
	in(echo_frame(8, 1472), 0);
	ck_assert_uint_eq(nsent, 3);
	ck_assert_uint_eq(sent[2].len, NET_ETH_HLEN + NET_IP_HLEN + NET_ICMP_HLEN + 1472);
}
END_TEST

START_TEST(drops)
{
	unsigned len;

	setup();
	len = echo_frame(8, 20);
	f[NET_ETH_HLEN + NET_IP_HLEN + 9] ^= 1;          /* ICMP data changed */
	in(len, 0);
	ck_assert_uint_eq(nif.st.drop_csum, 1);
	len = echo_frame(8, 20);
	f[NET_ETH_HLEN + 8] = 3;                         /* TTL changed: IP csum */
	in(len, 0);
	ck_assert_uint_eq(nif.st.drop_csum, 2);
	len = echo_frame(8, 20);
	ip(f + NET_ETH_HLEN, PEER, US, NET_PROTO_ICMP, NET_ICMP_HLEN + 20, 0x2000); /* MF */
	in(len, 0);
	ip(f + NET_ETH_HLEN, PEER, US, NET_PROTO_ICMP, NET_ICMP_HLEN + 20, 0x0010); /* offset */
	in(len, 0);
	ck_assert_uint_eq(nif.st.drop_frag, 2);
	ip(f + NET_ETH_HLEN, PEER, US + 5, NET_PROTO_ICMP, NET_ICMP_HLEN + 20, 0);
	in(len, 0);                                      /* another address */
	ip(f + NET_ETH_HLEN, PEER, US, NET_PROTO_ICMP, NET_ICMP_HLEN + 400, 0);
	in(len, 0);                                      /* longer than the frame */
	in(NET_ETH_HLEN + 10, 0);                        /* truncated header */
	in(6, 0);
	len = echo_frame(8, 20);
	memcpy(f, peer_mac, 6);                          /* another MAC */
	in(len, 0);
	ck_assert_uint_eq(nsent, 0);
	ck_assert_uint_eq(nif.st.echo_replies, 0);
}
END_TEST

START_TEST(udp_echo)
{
	const uint8_t *p, *u;

	setup();
	for (unsigned len = 0; len <= NET_UDP_MAX; len += (len < 10 ? 1 : 487)) {
		unsigned n = nsent;

		in(udp_frame(US, 7, len, 1), 0);
		ck_assert_uint_eq(nsent, n + 1);
		p = sent_ip(n, NET_PROTO_UDP);
		u = p + NET_IP_HLEN;
		ck_assert_uint_eq(net_get16(u), 7);
		ck_assert_uint_eq(net_get16(u + 2), 5555);
		ck_assert_uint_eq(net_get16(u + 4), NET_UDP_HLEN + len);
		ck_assert_uint_ne(net_get16(u + 6), 0);
		ck_assert_uint_eq(udp_csum(u, US, PEER, NET_UDP_HLEN + len), 0);
		for (unsigned i = 0; i < len; i++)
			ck_assert_uint_eq(u[NET_UDP_HLEN + i], (uint8_t)(i * 7));
		if (n == FAKE_SENT_MAX - 1)
			fake_net_reset();
	}
	ck_assert_uint_eq(got_count, 0);
}
END_TEST

START_TEST(udp_checksums_and_delivery)
{
	unsigned len;

	setup();
	in(udp_frame(US, 9, 100, 0), 0);                 /* bad checksum */
	ck_assert_uint_eq(nif.st.drop_csum, 1);
	ck_assert_uint_eq(got_count, 0);
	in(udp_frame(US, 9, 100, 0), NETRXF_csum_blank); /* the host fills it */
	in(udp_frame(US, 9, 100, 0), NETRXF_data_validated);
	ck_assert_uint_eq(got_count, 2);
	len = udp_frame(US, 9, 33, 1);
	net_put16(f + NET_ETH_HLEN + NET_IP_HLEN + 6, 0); /* no checksum sent */
	in(len, 0);
	ck_assert_uint_eq(got_count, 3);
	ck_assert_uint_eq(got_len, 33);
	ck_assert_uint_eq(got_meta.src, PEER);
	ck_assert_uint_eq(got_meta.sport, 5555);
	ck_assert_uint_eq(got_meta.dport, 9);
	ck_assert_mem_eq(got_meta.src_mac, peer_mac, 6);
	ck_assert_uint_eq(got_data[32], (uint8_t)(32 * 7));
	len = udp_frame(US, 9, 33, 1);
	net_put16(f + NET_ETH_HLEN + NET_IP_HLEN + 4, 500); /* UDP length past the packet */
	in(len, NETRXF_data_validated);
	ck_assert_uint_eq(got_count, 3);
	nif.udp_rx = NULL;
	in(udp_frame(US, 9, 10, 1), 0);
	ck_assert_uint_eq(nif.st.udp_unbound, 1);
	ck_assert_uint_eq(nsent, 0);
}
END_TEST

/* No tx buffer for the answer: counted, nothing sent, nothing broken. */
START_TEST(no_tx_buffer)
{
	setup();
	tx_exhausted = 1;
	in(echo_frame(8, 56), 0);
	in(udp_frame(US, 7, 10, 1), 0);
	in(arp_frame(1, US), 0);
	ck_assert_uint_eq(nsent, 0);
	ck_assert_uint_eq(nif.st.tx_nobuf, 3);
	tx_exhausted = 0;
	in(echo_frame(8, 56), 0);
	ck_assert_uint_eq(nsent, 1);
}
END_TEST

static Suite *make_stack_suite(void)
{
	Suite *s = suite_create("minios-net");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, csum_known_vector);
	tcase_add_test(tc, addresses);
	tcase_add_test(tc, arp_answered_and_learned);
	tcase_add_test(tc, arp_resolve_times_out);
	tcase_add_test(tc, icmp_echo_answered);
	tcase_add_test(tc, drops);
	tcase_add_test(tc, udp_echo);
	tcase_add_test(tc, udp_checksums_and_delivery);
	tcase_add_test(tc, no_tx_buffer);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(make_stack_suite());
	int failed;

	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
