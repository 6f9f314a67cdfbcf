/*
 * UDP (RFC 768). Input: the length must fit the IP payload; the checksum
 * is checked unless it is 0 (none sent) or the backend flagged the frame
 * NETRXF_csum_blank (the host left it to be filled: the field holds only
 * the pseudo-header sum) or NETRXF_data_validated (the host checked it).
 * Port 7 is echoed back when nif->udp_echo is set; other ports go to
 * nif->udp_rx. Output: the checksum is computed here, always (a frame
 * with a complete checksum is valid whatever the path to its receiver).
 */
#include <xen/public/errno.h>

#include <minios/lib.h>
#include <minios/net.h>

static uint32_t pseudo(uint32_t src, uint32_t dst, unsigned len)
{
	uint8_t ph[12];

	net_put32(ph, src);
	net_put32(ph + 4, dst);
	ph[8] = 0;
	ph[9] = NET_PROTO_UDP;
	net_put16(ph + 10, (uint16_t)len);
	return net_csum_add(0, ph, sizeof(ph));
}

void net_udp_input(struct net_if *nif, const uint8_t *src_mac, uint32_t src, uint32_t dst,
		   const uint8_t *p, unsigned len)
{
	struct net_udp_meta m;
	unsigned ulen;

	nif->st.rx_udp++;
	if (len < NET_UDP_HLEN || (ulen = net_get16(p + 4)) < NET_UDP_HLEN || ulen > len) {
		nif->st.drop_short++;
		return;
	}
	if (net_get16(p + 6) && !(nif->rx_flags & (NETRXF_csum_blank | NETRXF_data_validated)) &&
	    net_csum_fold(net_csum_add(pseudo(src, dst, ulen), p, ulen)) != 0) {
		nif->st.drop_csum++;
		return;
	}
	m.src = src;
	m.dst = dst;
	m.sport = net_get16(p);
	m.dport = net_get16(p + 2);
	memcpy(m.src_mac, src_mac, 6);
	if (m.dport == NET_UDP_ECHO_PORT && nif->udp_echo && dst == nif->ip) {
		uint8_t *out = net_udp_begin(nif, src_mac);

		if (!out)
			return;
		memcpy(out, p + NET_UDP_HLEN, ulen - NET_UDP_HLEN);
		if (net_udp_send(nif, out, src, NET_UDP_ECHO_PORT, m.sport, ulen - NET_UDP_HLEN) == 0)
			nif->st.udp_echoed++;
		return;
	}
	if (!nif->udp_rx) {
		nif->st.udp_unbound++;
		return;
	}
	nif->udp_rx(nif, &m, p + NET_UDP_HLEN, ulen - NET_UDP_HLEN);
}

uint8_t *net_udp_begin(struct net_if *nif, const uint8_t mac[6])
{
	uint8_t *b = net_eth_begin(nif, mac, NET_ETHERTYPE_IP);

	return b ? b + NET_ETH_HLEN + NET_IP_HLEN + NET_UDP_HLEN : NULL;
}

int net_udp_send(struct net_if *nif, uint8_t *payload, uint32_t dst, uint16_t sport,
		 uint16_t dport, unsigned len)
{
	uint8_t *udp = payload - NET_UDP_HLEN, *ip = udp - NET_IP_HLEN, *b = ip - NET_ETH_HLEN;
	uint16_t sum;

	if (len > NET_UDP_MAX) {
		netfront_tx_drop(nif->dev, b);
		return -XEN_EINVAL;
	}
	net_put16(udp, sport);
	net_put16(udp + 2, dport);
	net_put16(udp + 4, (uint16_t)(NET_UDP_HLEN + len));
	net_put16(udp + 6, 0);
	sum = net_csum_fold(net_csum_add(pseudo(nif->ip, dst, NET_UDP_HLEN + len), udp,
					 NET_UDP_HLEN + len));
	net_put16(udp + 6, sum ? sum : 0xffff);
	net_ip_header(nif, ip, NET_PROTO_UDP, dst, NET_UDP_HLEN + len);
	return net_eth_send(nif, b, NET_IP_HLEN + NET_UDP_HLEN + len, 0);
}
