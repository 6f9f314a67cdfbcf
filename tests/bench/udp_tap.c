/*
 * pvx-udptool tapbench: the TAP read/write loop baseline of net-bench. A
 * host process on a TAP device plays the guest, the way pvx-netback
 * forwards a guest's frames (one read or write per frame): it answers ARP
 * and ICMP echo for its address, echoes UDP port 7, sinks and verifies UDP
 * port 9 (serve), or writes a stream of UDP frames (source). The TAP must
 * exist (ip tuntap add ... mode tap) and be up with Dom0's address on it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "udp_tool.h"

#define ETH_HLEN 14
#define IP_HLEN 20
#define UDP_HLEN 8
#define FRAME_MAX 2048

static const uint8_t my_mac[6] = { 0x02, 0, 0, 0, 0x02, 0x02 };

struct tap {
	int fd;
	uint32_t ip; /* network order */
	struct udpt_seqstat sink;
	uint64_t echoed, pings, written;
};

static int tap_open(const char *name)
{
	struct ifreq ifr = { .ifr_flags = IFF_TAP | IFF_NO_PI };
	int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		int e = -errno;

		close(fd);
		return e;
	}
	return fd;
}

static uint16_t be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }

static uint16_t csum(const uint8_t *p, size_t len)
{
	uint32_t s = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		s += be16(p + i);
	if (len & 1)
		s += (uint32_t)p[len - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* Turns the frame around: Ethernet and IPv4 addresses swapped. */
static void swap_eth_ip(uint8_t *f)
{
	uint8_t tmp[6];
	uint8_t *ip = f + ETH_HLEN;

	memcpy(f, f + 6, 6);
	memcpy(f + 6, my_mac, 6);
	memcpy(tmp, ip + 12, 4);
	memcpy(ip + 12, ip + 16, 4);
	memcpy(ip + 16, tmp, 4);
	ip[8] = 64;
	put16(ip + 10, 0);
	put16(ip + 10, csum(ip, IP_HLEN));
}

static void on_arp(struct tap *t, uint8_t *f, size_t len)
{
	uint8_t *a = f + ETH_HLEN;

	if (len < ETH_HLEN + 28 || be16(a + 6) != 1 || memcmp(a + 24, &t->ip, 4))
		return;
	put16(a + 6, 2);
	memcpy(a + 18, a + 8, 10); /* target = the asker */
	memcpy(a + 8, my_mac, 6);
	memcpy(a + 14, &t->ip, 4);
	memcpy(f, f + 6, 6);
	memcpy(f + 6, my_mac, 6);
	if (write(t->fd, f, ETH_HLEN + 28) > 0)
		t->written++;
}

static void on_ipv4(struct tap *t, uint8_t *f, size_t len)
{
	uint8_t *ip = f + ETH_HLEN, *l4 = ip + IP_HLEN;
	size_t iplen;

	if (len < ETH_HLEN + IP_HLEN + UDP_HLEN || ip[0] != 0x45 || memcmp(ip + 16, &t->ip, 4))
		return; /* options, fragments of other hosts: not in this bench */
	iplen = be16(ip + 2);
	if (iplen > len - ETH_HLEN || iplen < IP_HLEN + UDP_HLEN)
		return;
	if (ip[9] == 1 && l4[0] == 8) { /* ICMP echo request */
		l4[0] = 0;
		put16(l4 + 2, 0);
		put16(l4 + 2, csum(l4, iplen - IP_HLEN));
		swap_eth_ip(f);
		if (write(t->fd, f, ETH_HLEN + iplen) > 0)
			t->pings++;
		return;
	}
	if (ip[9] != 17)
		return;
	if (be16(l4 + 2) == 9) {
		udpt_seq_add(&t->sink, l4 + UDP_HLEN, be16(l4 + 4) - UDP_HLEN);
	} else if (be16(l4 + 2) == 7) {
		uint16_t sport = be16(l4);

		put16(l4, 7);
		put16(l4 + 2, sport);
		put16(l4 + 6, 0); /* no UDP checksum: allowed on IPv4 */
		swap_eth_ip(f);
		if (write(t->fd, f, ETH_HLEN + iplen) > 0)
			t->echoed++;
	}
}

static int serve(struct tap *t, uint64_t secs)
{
	static uint8_t f[FRAME_MAX];
	uint64_t end = udpt_now_ns() + secs * 1000000000ull;
	struct pollfd p = { .fd = t->fd, .events = POLLIN };
	char extra[96];
	ssize_t n;

	udpt_on_signals();
	printf("tapbench: serving\n");
	while (!udpt_stop && udpt_now_ns() < end) {
		if (poll(&p, 1, 100) <= 0)
			continue;
		while ((n = read(t->fd, f, sizeof(f))) > ETH_HLEN) {
			if (be16(f + 12) == 0x0806)
				on_arp(t, f, (size_t)n);
			else if (be16(f + 12) == 0x0800)
				on_ipv4(t, f, (size_t)n);
			if (udpt_stop)
				break;
		}
	}
	snprintf(extra, sizeof(extra), "echoed=%llu pings=%llu", (unsigned long long)t->echoed,
		 (unsigned long long)t->pings);
	udpt_seq_print("tapbench", &t->sink, extra);
	return t->sink.bad ? 1 : 0;
}

/* Asks for DST's MAC on the TAP (ARP, 200 ms apart, 2 s in all). */
static int resolve(struct tap *t, uint32_t dst, uint8_t *mac)
{
	uint8_t f[FRAME_MAX], *a = f + ETH_HLEN;
	struct pollfd p = { .fd = t->fd, .events = POLLIN };
	int tries;
	ssize_t n;

	for (tries = 0; tries < 10; tries++) {
		memset(f, 0xff, 6);
		memcpy(f + 6, my_mac, 6);
		put16(f + 12, 0x0806);
		put16(a, 1);
		put16(a + 2, 0x0800);
		a[4] = 6;
		a[5] = 4;
		put16(a + 6, 1);
		memcpy(a + 8, my_mac, 6);
		memcpy(a + 14, &t->ip, 4);
		memset(a + 18, 0, 6);
		memcpy(a + 24, &dst, 4);
		if (write(t->fd, f, ETH_HLEN + 28) < 0)
			return -errno;
		while (poll(&p, 1, 200) > 0 && (n = read(t->fd, f, sizeof(f))) > 0)
			if (n >= ETH_HLEN + 28 && be16(f + 12) == 0x0806 && be16(a + 6) == 2 &&
			    !memcmp(a + 14, &dst, 4)) {
				memcpy(mac, a + 8, 6);
				return 0;
			}
	}
	return -EHOSTUNREACH;
}

static int source(struct tap *t, char **argv)
{
	static uint8_t f[FRAME_MAX];
	uint8_t *ip = f + ETH_HLEN, *udp = ip + IP_HLEN;
	uint32_t dst;
	uint64_t port, size, count, i, start, ns;
	int err;

	if (inet_pton(AF_INET, argv[0], &dst) != 1)
		return fprintf(stderr, "pvx-udptool: bad address %s\n", argv[0]), 2;
	port = udpt_num(argv[1], "port");
	size = udpt_num(argv[2], "size");
	count = udpt_num(argv[3], "count");
	if (size < 1 || size > UDPT_MAX_PAYLOAD)
		return 2;
	err = resolve(t, dst, f);
	if (err < 0)
		return fprintf(stderr, "tapbench: no ARP answer for %s: %s\n", argv[0],
			       strerror(-err)), 1;
	memcpy(f + 6, my_mac, 6);
	put16(f + 12, 0x0800);
	memset(ip, 0, IP_HLEN);
	ip[0] = 0x45;
	put16(ip + 2, (uint16_t)(IP_HLEN + UDP_HLEN + size));
	put16(ip + 6, 0x4000); /* DF */
	ip[8] = 64;
	ip[9] = 17;
	memcpy(ip + 12, &t->ip, 4);
	memcpy(ip + 16, &dst, 4);
	put16(ip + 10, csum(ip, IP_HLEN));
	put16(udp, 40000);
	put16(udp + 2, (uint16_t)port);
	put16(udp + 4, (uint16_t)(UDP_HLEN + size));
	put16(udp + 6, 0);
	start = udpt_now_ns();
	for (i = 0; i < count; i++) {
		udpt_fill(udp + UDP_HLEN, size, i);
		if (write(t->fd, f, ETH_HLEN + IP_HLEN + UDP_HLEN + size) < 0)
			return perror("tapbench write"), 1;
	}
	ns = udpt_now_ns() - start;
	printf("tapbench sent=%llu ms=%.1f pps=%.0f gbps=%.3f cpu_ns=%llu\n",
	       (unsigned long long)count, (double)ns / 1e6, (double)count * 1e9 / (double)ns,
	       (double)count * (double)size * 8 / (double)ns, (unsigned long long)udpt_cpu_ns());
	return 0;
}

int udpt_tapbench(int argc, char **argv)
{
	struct tap t = { 0 };

	if (argc < 4 || inet_pton(AF_INET, argv[1], &t.ip) != 1)
		return 2;
	t.fd = tap_open(argv[0]);
	if (t.fd < 0)
		return fprintf(stderr, "tapbench: %s: %s\n", argv[0], strerror(-t.fd)), 1;
	fcntl(t.fd, F_SETFL, O_NONBLOCK);
	if (!strcmp(argv[2], "serve") && argc == 4)
		return serve(&t, udpt_num(argv[3], "seconds"));
	if (!strcmp(argv[2], "source") && argc == 7) {
		fcntl(t.fd, F_SETFL, 0); /* the writes block, as a real sender's would */
		return source(&t, argv + 3);
	}
	return 2;
}
