/*
 * Ethernet: the vif's rx callback, dispatch by ethertype, and the start
 * and end of every frame we send (minios/net.h). Frames for another
 * unicast MAC are dropped (the bridge floods unknown destinations).
 */
#include <xen/public/errno.h>

#include <minios/lib.h>
#include <minios/net.h>
#include <minios/time.h>

static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

void net_attach(struct net_if *nif, struct netfront_dev *dev, uint32_t ip, unsigned prefix,
		uint32_t gateway)
{
	memset(nif, 0, sizeof(*nif));
	nif->dev = dev;
	memcpy(nif->mac, dev->mac, 6);
	nif->ip = ip;
	nif->prefix = prefix;
	nif->mask = prefix >= 32 ? 0xffffffffu : ~(0xffffffffu >> prefix);
	nif->gateway = gateway;
	nif->ip_id = (uint16_t)(ip * 2654435761u);
	dev->rx_fn = net_eth_input;
	dev->rx_arg = nif;
}

void net_eth_input(void *arg, const uint8_t *f, unsigned len, unsigned flags)
{
	struct net_if *nif = arg;
	uint16_t type;

	nif->st.rx_frames++;
	if (len < NET_ETH_HLEN) {
		nif->st.drop_short++;
		return;
	}
	if (memcmp(f, nif->mac, 6) && memcmp(f, bcast, 6)) {
		nif->st.drop_notus++;
		return;
	}
	nif->rx_flags = flags;
	type = net_get16(f + 12);
	if (type == NET_ETHERTYPE_ARP)
		net_arp_input(nif, f + NET_ETH_HLEN, len - NET_ETH_HLEN);
	else if (type == NET_ETHERTYPE_IP)
		net_ip_input(nif, f + 6, f + NET_ETH_HLEN, len - NET_ETH_HLEN);
	else
		nif->st.drop_proto++;
}

uint8_t *net_eth_begin(struct net_if *nif, const uint8_t dst[6], uint16_t type)
{
	uint8_t *b = netfront_tx_get(nif->dev);

	if (!b) {
		/* Full: push what is queued, wait a little for completions. */
		netfront_tx_push(nif->dev);
		b = netfront_tx_get_wait(nif->dev, time_now_ns() + 10000000ull);
	}
	if (!b) {
		nif->st.tx_nobuf++;
		return NULL;
	}
	memcpy(b, dst, 6);
	memcpy(b + 6, nif->mac, 6);
	net_put16(b + 12, type);
	return b;
}

int net_eth_send(struct net_if *nif, uint8_t *b, unsigned len, unsigned txflags)
{
	unsigned total = NET_ETH_HLEN + len;
	int rc;

	/* Pad to the Ethernet minimum (the host does not care, a bridge might). */
	if (total < 60) {
		memset(b + total, 0, 60 - total);
		total = 60;
	}
	rc = netfront_tx_put(nif->dev, b, total, txflags);
	if (rc < 0)
		return rc;
	nif->st.tx_frames++;
	if (!nif->tx_hold)
		netfront_tx_push(nif->dev);
	return 0;
}

void net_flush(struct net_if *nif)
{
	netfront_tx_push(nif->dev);
}

int net_poll(struct net_if *nif)
{
	int rc = netfront_poll(nif->dev);

	if (rc >= 0 && !nif->dev->connected)
		return -XEN_ENOTCONN;
	return rc;
}

int net_wait(struct net_if *nif, uint64_t deadline_ns)
{
	return netfront_wait(nif->dev, deadline_ns);
}
