/*
 * ICMP echo (RFC 792): a request to us is answered with the same id,
 * sequence and data, to the MAC it came from; a reply goes to the
 * program's callback (ping). The checksum covers the whole message and is
 * always checked: ICMP has no checksum offload.
 */
#include <xen/public/errno.h>

#include <minios/lib.h>
#include <minios/net.h>

#define ICMP_ECHO_REPLY   0
#define ICMP_ECHO_REQUEST 8

static int echo_out(struct net_if *nif, const uint8_t mac[6], uint32_t dst, uint8_t type,
		    uint16_t id, uint16_t seq, const uint8_t *data, unsigned len)
{
	uint8_t *b, *ip, *icmp;

	if (len > NET_MTU - NET_IP_HLEN - NET_ICMP_HLEN)
		return -XEN_EINVAL;
	b = net_eth_begin(nif, mac, NET_ETHERTYPE_IP);
	if (!b)
		return -XEN_ENOSPC;
	ip = b + NET_ETH_HLEN;
	icmp = ip + NET_IP_HLEN;
	icmp[0] = type;
	icmp[1] = 0;
	net_put16(icmp + 2, 0);
	net_put16(icmp + 4, id);
	net_put16(icmp + 6, seq);
	memcpy(icmp + NET_ICMP_HLEN, data, len);
	net_put16(icmp + 2, net_csum_fold(net_csum_add(0, icmp, NET_ICMP_HLEN + len)));
	net_ip_header(nif, ip, NET_PROTO_ICMP, dst, NET_ICMP_HLEN + len);
	return net_eth_send(nif, b, NET_IP_HLEN + NET_ICMP_HLEN + len, 0);
}

void net_icmp_input(struct net_if *nif, const uint8_t *src_mac, uint32_t src, const uint8_t *p,
		    unsigned len)
{
	uint16_t id, seq;

	nif->st.rx_icmp++;
	if (len < NET_ICMP_HLEN) {
		nif->st.drop_short++;
		return;
	}
	if (net_csum_fold(net_csum_add(0, p, len)) != 0) {
		nif->st.drop_csum++;
		return;
	}
	id = net_get16(p + 4);
	seq = net_get16(p + 6);
	if (p[0] == ICMP_ECHO_REQUEST && p[1] == 0) {
		if (echo_out(nif, src_mac, src, ICMP_ECHO_REPLY, id, seq, p + NET_ICMP_HLEN,
			     len - NET_ICMP_HLEN) == 0)
			nif->st.echo_replies++;
	} else if (p[0] == ICMP_ECHO_REPLY && nif->echo_rx) {
		nif->echo_rx(nif, src, id, seq, p + NET_ICMP_HLEN, len - NET_ICMP_HLEN);
	} else {
		nif->st.drop_proto++;
	}
}

int net_icmp_echo(struct net_if *nif, const uint8_t mac[6], uint32_t dst, uint16_t id,
		  uint16_t seq, const uint8_t *data, unsigned len)
{
	return echo_out(nif, mac, dst, ICMP_ECHO_REQUEST, id, seq, data, len);
}
