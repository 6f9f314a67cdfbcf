/*
 * minios's IP stack (guest/net/): the least a guest needs to be pinged
 * and to move UDP datagrams over one netfront vif.
 *
 *   eth.c    Ethernet in/out, dispatch by ethertype
 *   arp.c    ARP requests and replies, a 16-entry cache
 *   ip.c     IPv4: header checksum checked, fragments dropped, our
 *            address (or broadcast) only; output with a fresh id
 *   icmp.c   echo requests answered, echo replies handed to a callback
 *   udp.c    checksum checked (unless the backend said csum_blank or
 *            data_validated), port 7 echo built in, other ports to a
 *            callback; output with the checksum computed
 *   csum.c   the Internet checksum
 *   addr.c   "A.B.C.D[/P]" and MAC formatting/parsing
 *
 * Addresses are host byte order uint32_t. Everything runs in the thread
 * that calls net_poll: a received frame is handled (and answered) inside
 * netfront's rx callback; replies go to the sender's MAC, so answering
 * never waits for ARP. Headers are read and written through byte
 * offsets (no packed structs): frames arrive at any alignment.
 */
#ifndef MINIOS_NET_H
#define MINIOS_NET_H

#include <stdint.h>

#include "../../../pv-drivers/net/front/netfront.h"

#define NET_ETH_HLEN     14
#define NET_MTU          1500
#define NET_IP_HLEN      20
#define NET_UDP_HLEN     8
#define NET_ICMP_HLEN    8
#define NET_UDP_MAX      (NET_MTU - NET_IP_HLEN - NET_UDP_HLEN)   /* 1472 */
#define NET_ETHERTYPE_IP  0x0800
#define NET_ETHERTYPE_ARP 0x0806
#define NET_PROTO_ICMP   1
#define NET_PROTO_UDP    17
#define NET_ARP_ENTRIES  16
#define NET_UDP_ECHO_PORT 7

struct net_if;

struct net_udp_meta {
	uint32_t src, dst;
	uint16_t sport, dport;
	uint8_t src_mac[6];
};

typedef void (*net_udp_fn)(struct net_if *nif, const struct net_udp_meta *m,
			   const uint8_t *data, unsigned len);
typedef void (*net_echo_fn)(struct net_if *nif, uint32_t src, uint16_t id, uint16_t seq,
			    const uint8_t *data, unsigned len);

struct net_stats {
	uint64_t rx_frames, rx_arp, rx_icmp, rx_udp;
	uint64_t drop_short, drop_csum, drop_frag, drop_notus, drop_proto;
	uint64_t arp_replies, echo_replies, udp_echoed, udp_unbound;
	uint64_t tx_frames, tx_nobuf;
};

struct net_arp_entry {
	uint32_t ip;         /* 0: free */
	uint8_t mac[6];
	uint64_t used_ns;
};

struct net_if {
	struct netfront_dev *dev;
	uint8_t mac[6];
	uint32_t ip, mask, gateway;
	unsigned prefix;
	uint16_t ip_id;
	int udp_echo;            /* answer UDP port 7 */
	int tx_hold;             /* 1: leave pushing to the caller (batching) */
	net_udp_fn udp_rx;       /* other ports; NULL: counted and dropped */
	net_echo_fn echo_rx;     /* ICMP echo replies */
	void *user;
	unsigned rx_flags;       /* NETRXF_* of the frame being handled */
	struct net_arp_entry arp[NET_ARP_ENTRIES];
	struct net_stats st;
};

/* addr.c */
int net_parse_ip(const char *s, uint32_t *ip);
/* "A.B.C.D" or "A.B.C.D/P" (P 1..32; default 24). */
int net_parse_cidr(const char *s, uint32_t *ip, unsigned *prefix);
void net_format_ip(uint32_t ip, char *buf, unsigned len);
void net_format_mac(const uint8_t mac[6], char *buf, unsigned len);

/* csum.c: one's-complement sum (not folded, not inverted) and the final value. */
uint32_t net_csum_add(uint32_t sum, const uint8_t *p, unsigned len);
uint16_t net_csum_fold(uint32_t sum);

/* Byte-order access at any alignment. */
static inline uint16_t net_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}
static inline uint32_t net_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static inline void net_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}
static inline void net_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* eth.c: binds nif to a connected dev (its rx callback), with address
 * ip/prefix (gateway 0: none). */
void net_attach(struct net_if *nif, struct netfront_dev *dev, uint32_t ip, unsigned prefix,
		uint32_t gateway);
void net_eth_input(void *nif, const uint8_t *frame, unsigned len, unsigned flags);
/* A tx buffer with the Ethernet header written; the payload goes at
 * buf + NET_ETH_HLEN. NULL (counted) when the ring is full. */
uint8_t *net_eth_begin(struct net_if *nif, const uint8_t dst[6], uint16_t type);
/* Sends what net_eth_begin started: len counts from the payload start. */
int net_eth_send(struct net_if *nif, uint8_t *buf, unsigned len, unsigned txflags);
/* Pushes queued frames (notifies only if the backend sleeps). */
void net_flush(struct net_if *nif);
/* net_poll: netfront_poll (< 0: the vif broke). net_wait: until work or deadline. */
int net_poll(struct net_if *nif);
int net_wait(struct net_if *nif, uint64_t deadline_ns);

/* arp.c */
void net_arp_input(struct net_if *nif, const uint8_t *p, unsigned len);
void net_arp_learn(struct net_if *nif, uint32_t ip, const uint8_t mac[6]);
int net_arp_lookup(struct net_if *nif, uint32_t ip, uint8_t mac[6]);
int net_arp_request(struct net_if *nif, uint32_t ip);
/* The MAC to send to ip (its own, or the gateway's when off-link),
 * asking and polling until deadline: 0 or -XEN_ETIMEDOUT / -XEN_EIO. */
int net_arp_resolve(struct net_if *nif, uint32_t ip, uint8_t mac[6], uint64_t deadline_ns);

/* ip.c: ip payload p (after the Ethernet header) from src_mac. */
void net_ip_input(struct net_if *nif, const uint8_t *src_mac, const uint8_t *p, unsigned len);
/* Writes an IPv4 header at p for a payload of len bytes. */
void net_ip_header(struct net_if *nif, uint8_t *p, uint8_t proto, uint32_t dst, unsigned len);

/* icmp.c */
void net_icmp_input(struct net_if *nif, const uint8_t *src_mac, uint32_t src,
		    const uint8_t *p, unsigned len);
/* An echo request (data: len bytes) to dst at mac. */
int net_icmp_echo(struct net_if *nif, const uint8_t mac[6], uint32_t dst, uint16_t id,
		  uint16_t seq, const uint8_t *data, unsigned len);

/* udp.c */
void net_udp_input(struct net_if *nif, const uint8_t *src_mac, uint32_t src, uint32_t dst,
		   const uint8_t *p, unsigned len);
/* Starts a datagram of len bytes (<= NET_UDP_MAX): returns where the
 * payload goes, or NULL; finish with net_udp_send(nif, ret, ...). */
uint8_t *net_udp_begin(struct net_if *nif, const uint8_t mac[6]);
int net_udp_send(struct net_if *nif, uint8_t *payload, uint32_t dst, uint16_t sport,
		 uint16_t dport, unsigned len);

#endif /* MINIOS_NET_H */
