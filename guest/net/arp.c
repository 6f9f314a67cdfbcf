/*
 * ARP for IPv4 over Ethernet (RFC 826): answer requests for our address,
 * learn the sender of every ARP packet addressed to us, and resolve
 * addresses for the programs that start a conversation (ping,
 * udp-source). 16 entries, the least recently used one replaced; entries
 * never expire (a guest's life is a test run).
 */
#include <xen/public/errno.h>

#include <minios/lib.h>
#include <minios/net.h>
#include <minios/time.h>

#define ARP_LEN      28
#define ARP_REQUEST  1
#define ARP_REPLY    2
#define RESEND_NS    200000000ull

static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

void net_arp_learn(struct net_if *nif, uint32_t ip, const uint8_t mac[6])
{
	struct net_arp_entry *victim = &nif->arp[0];

	if (ip == 0 || ip == 0xffffffffu || (mac[0] & 1))
		return;
	for (unsigned i = 0; i < NET_ARP_ENTRIES; i++) {
		struct net_arp_entry *e = &nif->arp[i];

		if (e->ip == ip) {
			victim = e;
			break;
		}
		if (e->used_ns < victim->used_ns)
			victim = e;
	}
	victim->ip = ip;
	memcpy(victim->mac, mac, 6);
	victim->used_ns = time_now_ns();
}

int net_arp_lookup(struct net_if *nif, uint32_t ip, uint8_t mac[6])
{
	for (unsigned i = 0; i < NET_ARP_ENTRIES; i++) {
		struct net_arp_entry *e = &nif->arp[i];

		if (e->ip == ip && ip) {
			memcpy(mac, e->mac, 6);
			e->used_ns = time_now_ns();
			return 0;
		}
	}
	return -XEN_ENOENT;
}

static int arp_send(struct net_if *nif, uint16_t op, const uint8_t *tha, const uint8_t *eth_dst,
		    uint32_t tpa)
{
	uint8_t *b = net_eth_begin(nif, eth_dst, NET_ETHERTYPE_ARP), *p;

	if (!b)
		return -XEN_ENOSPC;
	p = b + NET_ETH_HLEN;
	net_put16(p, 1);                   /* Ethernet */
	net_put16(p + 2, NET_ETHERTYPE_IP);
	p[4] = 6;
	p[5] = 4;
	net_put16(p + 6, op);
	memcpy(p + 8, nif->mac, 6);
	net_put32(p + 14, nif->ip);
	memcpy(p + 18, tha, 6);
	net_put32(p + 24, tpa);
	return net_eth_send(nif, b, ARP_LEN, 0);
}

void net_arp_input(struct net_if *nif, const uint8_t *p, unsigned len)
{
	uint32_t spa, tpa;
	uint16_t op;

	nif->st.rx_arp++;
	if (len < ARP_LEN || net_get16(p) != 1 || net_get16(p + 2) != NET_ETHERTYPE_IP ||
	    p[4] != 6 || p[5] != 4) {
		nif->st.drop_short++;
		return;
	}
	op = net_get16(p + 6);
	spa = net_get32(p + 14);
	tpa = net_get32(p + 24);
	if (tpa != nif->ip || !nif->ip) {
		nif->st.drop_notus++;
		return;
	}
	net_arp_learn(nif, spa, p + 8);
	if (op == ARP_REQUEST && arp_send(nif, ARP_REPLY, p + 8, p + 8, spa) == 0)
		nif->st.arp_replies++;
}

int net_arp_request(struct net_if *nif, uint32_t ip)
{
	static const uint8_t zero[6];

	return arp_send(nif, ARP_REQUEST, zero, bcast, ip);
}

int net_arp_resolve(struct net_if *nif, uint32_t ip, uint8_t mac[6], uint64_t deadline_ns)
{
	uint32_t hop = ip;
	uint64_t next = 0;

	if (ip == 0xffffffffu || ip == (nif->ip | ~nif->mask)) {
		memcpy(mac, bcast, 6);
		return 0;
	}
	if ((ip & nif->mask) != (nif->ip & nif->mask) && nif->gateway)
		hop = nif->gateway;
	for (;;) {
		uint64_t now = time_now_ns();
		int rc;

		if (net_arp_lookup(nif, hop, mac) == 0)
			return 0;
		if (now >= deadline_ns)
			return -XEN_ETIMEDOUT;
		if (now >= next) {
			net_arp_request(nif, hop);
			next = now + RESEND_NS;
		}
		rc = net_wait(nif, MIN(next, deadline_ns));
		if (rc >= 0)
			rc = net_poll(nif);
		if (rc < 0)
			return -XEN_EIO;
	}
}
