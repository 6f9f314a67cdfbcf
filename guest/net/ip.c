/*
 * IPv4 (RFC 791) without options on output and without reassembly: a
 * fragment (MF set or a fragment offset) is dropped and counted, as the
 * brief of this stack says; so is a header whose checksum is wrong, a
 * total length beyond the frame, and a packet for another address (we
 * accept ours, the limited broadcast and our subnet's broadcast).
 */
#include <minios/lib.h>
#include <minios/net.h>

void net_ip_input(struct net_if *nif, const uint8_t *src_mac, const uint8_t *p, unsigned len)
{
	unsigned hlen, total;
	uint32_t src, dst;

	if (len < NET_IP_HLEN || (p[0] >> 4) != 4 || (hlen = (p[0] & 15u) * 4) < NET_IP_HLEN ||
	    hlen > len) {
		nif->st.drop_short++;
		return;
	}
	total = net_get16(p + 2);
	if (total < hlen || total > len) {
		nif->st.drop_short++;
		return;
	}
	if (net_csum_fold(net_csum_add(0, p, hlen)) != 0) {
		nif->st.drop_csum++;
		return;
	}
	if (net_get16(p + 6) & 0x3fff) { /* MF or an offset */
		nif->st.drop_frag++;
		return;
	}
	src = net_get32(p + 12);
	dst = net_get32(p + 16);
	if (!nif->ip || (dst != nif->ip && dst != 0xffffffffu && dst != (nif->ip | ~nif->mask))) {
		nif->st.drop_notus++;
		return;
	}
	if (dst == nif->ip)
		net_arp_learn(nif, src, src_mac);
	if (p[9] == NET_PROTO_ICMP)
		net_icmp_input(nif, src_mac, src, p + hlen, total - hlen);
	else if (p[9] == NET_PROTO_UDP)
		net_udp_input(nif, src_mac, src, dst, p + hlen, total - hlen);
	else
		nif->st.drop_proto++;
}

void net_ip_header(struct net_if *nif, uint8_t *p, uint8_t proto, uint32_t dst, unsigned len)
{
	p[0] = 0x45;
	p[1] = 0;
	net_put16(p + 2, (uint16_t)(NET_IP_HLEN + len));
	net_put16(p + 4, nif->ip_id++);
	net_put16(p + 6, 0x4000);          /* DF: we never fragment */
	p[8] = 64;
	p[9] = proto;
	net_put16(p + 10, 0);
	net_put32(p + 12, nif->ip);
	net_put32(p + 16, dst);
	net_put16(p + 10, net_csum_fold(net_csum_add(0, p, NET_IP_HLEN)));
}
