/*
 * pvx-udptool ping DST COUNT INTERVAL_MS [SIZE]: ICMP echo from Dom0, so
 * the network tests do not depend on iputils being installed. A raw
 * socket (the tests run as root; a fresh network namespace disables
 * unprivileged ping sockets); each reply is matched by id and sequence
 * and its payload (the pattern of udp_tool.h) verified. SIGINT or SIGTERM
 * ends the run early with the counts so far.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "udp_tool.h"

#define ICMP_HLEN 8

static uint16_t icmp_csum(const uint8_t *p, size_t len)
{
	uint32_t s = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		s += (uint32_t)p[len - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* Waits (up to WAIT_NS) for the reply to SEQ; 1 if it came intact. */
static int await_reply(int fd, uint16_t id, uint16_t seq, size_t size, uint64_t wait_ns,
		       uint64_t *bad)
{
	uint8_t in[2048];
	uint64_t t0 = udpt_now_ns(), got;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	ssize_t n;

	while (udpt_now_ns() - t0 < wait_ns && poll(&p, 1, 10) >= 0) {
		uint8_t *icmp;
		size_t ihl;

		n = recv(fd, in, sizeof(in), MSG_DONTWAIT);
		if (n < 20)
			continue;
		ihl = (size_t)(in[0] & 15) * 4;
		icmp = in + ihl;
		if ((size_t)n < ihl + ICMP_HLEN || icmp[0] != 0 ||
		    (uint16_t)(icmp[4] << 8 | icmp[5]) != id)
			continue;
		if ((uint16_t)(icmp[6] << 8 | icmp[7]) != seq)
			continue; /* a late reply to an earlier one */
		if ((size_t)n - ihl - ICMP_HLEN != size ||
		    udpt_check(icmp + ICMP_HLEN, size, &got) || got != seq) {
			(*bad)++;
			return 0;
		}
		return 1;
	}
	return 0;
}

int udpt_ping(int argc, char **argv)
{
	uint8_t out[ICMP_HLEN + UDPT_MAX_PAYLOAD];
	struct sockaddr_in dst;
	uint64_t count, interval, size = 56, i, got = 0, bad = 0, *rtt, t0, next, sent = 0;
	uint16_t id = (uint16_t)getpid();
	int fd;

	if (argc < 3 || argc > 4)
		return 2;
	udpt_addr(&dst, argv[0], 0);
	count = udpt_num(argv[1], "count");
	interval = udpt_num(argv[2], "interval ms");
	if (argc == 4)
		size = udpt_num(argv[3], "size");
	if (count < 1 || size < 8 || size > UDPT_MAX_PAYLOAD)
		return fprintf(stderr, "pvx-udptool: ping size 8..%d\n", UDPT_MAX_PAYLOAD), 2;
	fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	rtt = calloc(count, sizeof(*rtt));
	if (fd < 0 || !rtt)
		return perror("ping: raw socket"), 1;
	udpt_on_signals(); /* SIGINT/SIGTERM end the run early, with its line */
	next = udpt_now_ns();
	for (i = 0; i < count && !udpt_stop; i++) {
		while (udpt_now_ns() < next && !udpt_stop)
			usleep(50);
		next += interval * 1000000ull;
		memset(out, 0, ICMP_HLEN);
		out[0] = 8;
		out[4] = (uint8_t)(id >> 8);
		out[5] = (uint8_t)id;
		out[6] = (uint8_t)(i >> 8);
		out[7] = (uint8_t)i;
		udpt_fill(out + ICMP_HLEN, size, (uint16_t)i);
		out[2] = 0;
		out[3] = 0;
		{
			uint16_t c = icmp_csum(out, ICMP_HLEN + size);

			out[2] = (uint8_t)(c >> 8);
			out[3] = (uint8_t)c;
		}
		t0 = udpt_now_ns();
		if (sendto(fd, out, ICMP_HLEN + size, 0, (struct sockaddr *)&dst, sizeof(dst)) < 0) {
			sent++; /* counted lost */
			continue;
		}
		if (await_reply(fd, id, (uint16_t)i, size, 1000000000ull, &bad))
			rtt[got++] = udpt_now_ns() - t0;
		else if (udpt_stop)
			break; /* interrupted while waiting: not counted */
		sent++;
	}
	printf("ping sent=%llu received=%llu lost=%llu bad=%llu p50_us=%.1f p99_us=%.1f\n",
	       (unsigned long long)sent, (unsigned long long)got,
	       (unsigned long long)(sent - got), (unsigned long long)bad,
	       (double)udpt_pct(rtt, got, 50) / 1e3, (double)udpt_pct(rtt, got, 99) / 1e3);
	free(rtt);
	close(fd);
	return got == sent && !bad ? 0 : 1;
}
