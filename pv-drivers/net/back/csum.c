/*
 * Checksum offload between netif and the TAP's virtio-net header.
 *
 * tx: a frame with NETTXF_csum_blank carries, in its L4 checksum field,
 * the pseudo-header sum only (Linux's CHECKSUM_PARTIAL); the host kernel
 * completes it if the virtio-net header says where the L4 header starts
 * and where the field is. netback_csum_locate finds both in the frame's
 * headers (which the guest wrote: every length is checked against the
 * frame). rx: a frontend that wrote feature-no-csum-offload=1 gets frames
 * whose checksum we complete ourselves (netback_csum_add / _fold).
 */
#include <errno.h>

#include "netback.h"

#define NB_ETH_IPV4 0x0800
#define NB_ETH_IPV6 0x86dd
#define NB_ETH_VLAN 0x8100
#define NB_PROTO_TCP 6
#define NB_PROTO_UDP 17

static unsigned be16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

/* The L4 protocol and offset of an IPv4 header at l3, or -errno. */
static int ipv4_l4(const uint8_t *head, size_t caplen, size_t len, size_t l3, size_t *l4)
{
	const uint8_t *ip = head + l3;
	size_t ihl, tot;

	if (l3 + 20 > caplen)
		return -EINVAL;
	ihl = (size_t)(ip[0] & 0xf) * 4;
	tot = be16(ip + 2);
	if ((ip[0] >> 4) != 4 || ihl < 20 || tot < ihl || l3 + tot > len)
		return -EINVAL;
	if (be16(ip + 6) & 0x3fff) /* MF or a fragment offset: no L4 header here */
		return -EPROTONOSUPPORT;
	*l4 = l3 + ihl;
	return ip[9];
}

static int ipv6_l4(const uint8_t *head, size_t caplen, size_t len, size_t l3, size_t *l4)
{
	const uint8_t *ip = head + l3;

	if (l3 + 40 > caplen)
		return -EINVAL;
	if ((ip[0] >> 4) != 6 || l3 + 40 + be16(ip + 4) > len)
		return -EINVAL;
	*l4 = l3 + 40;
	return ip[6]; /* next header: extension headers are not followed */
}

int netback_csum_locate(const uint8_t *head, size_t caplen, size_t len, uint16_t *start,
			uint16_t *field)
{
	size_t l3 = PVX_NET_ETH_HLEN, l4 = 0, need;
	unsigned proto_eth;
	int proto;

	if (caplen > len)
		caplen = len;
	if (caplen < PVX_NET_ETH_HLEN)
		return -EINVAL;
	proto_eth = be16(head + 12);
	if (proto_eth == NB_ETH_VLAN) {
		if (caplen < PVX_NET_ETH_HLEN + 4)
			return -EINVAL;
		proto_eth = be16(head + 16);
		l3 += 4;
	}
	if (proto_eth == NB_ETH_IPV4)
		proto = ipv4_l4(head, caplen, len, l3, &l4);
	else if (proto_eth == NB_ETH_IPV6)
		proto = ipv6_l4(head, caplen, len, l3, &l4);
	else
		return -EPROTONOSUPPORT;
	if (proto < 0)
		return proto;
	if (proto == NB_PROTO_TCP)
		*field = 16, need = 20;
	else if (proto == NB_PROTO_UDP)
		*field = 6, need = 8;
	else
		return -EPROTONOSUPPORT;
	if (l4 + need > len || l4 > UINT16_MAX)
		return -EINVAL;
	*start = (uint16_t)l4;
	return 0;
}

uint32_t netback_csum_add(uint32_t sum, const struct iovec *iov, unsigned niov, size_t from)
{
	uint64_t acc = sum;
	bool odd = false; /* the next byte is a pair's low byte */

	for (unsigned i = 0; i < niov; i++) {
		const uint8_t *p = iov[i].iov_base;
		size_t n = iov[i].iov_len;

		if (from >= n) {
			from -= n;
			continue;
		}
		p += from;
		n -= from;
		from = 0;
		if (odd && n > 0) {
			acc += *p++;
			n--;
			odd = false;
		}
		for (; n >= 2; p += 2, n -= 2)
			acc += (uint32_t)p[0] << 8 | p[1];
		if (n) {
			acc += (uint32_t)p[0] << 8;
			odd = true;
		}
	}
	while (acc >> 16) /* end-around carry: a 16-bit partial sum */
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint32_t)acc;
}

uint16_t netback_csum_fold(uint32_t sum, bool udp)
{
	uint16_t r;

	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	r = (uint16_t)~sum;
	if (udp && r == 0)
		r = 0xffff;
	return r;
}
