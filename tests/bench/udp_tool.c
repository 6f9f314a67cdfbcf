/*
 * pvx-udptool MODE ARGS: the host end of the network tests and benchmark
 * (tests/integration/net-*, tests/bench/net-bench). Modes:
 *   echo PORT [SECONDS]                echo server
 *   sink PORT SECONDS [IDLE_MS]        verify, count lost/bad/reordered
 *   source DST PORT SIZE COUNT|Ns [PPS] sendmmsg batches
 *   echo-check DST PORT COUNT MINSIZE MAXSIZE [WINDOW]
 *   rtt DST PORT COUNT [SIZE]          ping-pong against an echo server
 *   ping DST COUNT INTERVAL_MS [SIZE]  ICMP echo (no iputils needed)
 *   tapbench TAP IP serve SECONDS | TAP IP source DST PORT SIZE COUNT
 * Lines that report a rate also give cpu_ns=, the tool's own CPU time,
 * for the baselines' CPU per packet. Exit 0 on success, 1 on a failure the mode detects, 2 on bad usage.
 * This file: the dispatch table and what every mode shares (pattern,
 * clock, sockets, sequence accounting).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "udp_tool.h"

volatile int udpt_stop;

void udpt_fill(uint8_t *buf, size_t size, uint64_t seq)
{
	size_t i = 0;

	if (size >= 8) {
		for (; i < 8; i++)
			buf[i] = (uint8_t)(seq >> (8 * i));
	}
	for (; i < size; i++)
		buf[i] = (uint8_t)(seq + i);
}

int udpt_check(const uint8_t *buf, size_t size, uint64_t *seq)
{
	uint64_t s = 0;
	size_t i;

	if (size == 0)
		return -1;
	if (size >= 8) {
		for (i = 0; i < 8; i++)
			s |= (uint64_t)buf[i] << (8 * i);
		i = 8;
	} else {
		s = buf[0];
		i = 1;
	}
	for (; i < size; i++)
		if (buf[i] != (uint8_t)(s + i))
			return -1;
	*seq = s;
	return 0;
}

uint64_t udpt_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

uint64_t udpt_cpu_ns(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ((uint64_t)ru.ru_utime.tv_sec + (uint64_t)ru.ru_stime.tv_sec) * 1000000000ull +
	       ((uint64_t)ru.ru_utime.tv_usec + (uint64_t)ru.ru_stime.tv_usec) * 1000ull;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

uint64_t udpt_pct(uint64_t *v, size_t n, unsigned p)
{
	size_t k;

	if (n == 0)
		return 0;
	qsort(v, n, sizeof(*v), cmp_u64);
	k = (n * p + 99) / 100;
	return v[k ? k - 1 : 0];
}

uint64_t udpt_num(const char *s, const char *what)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *end || *s == '-') {
		fprintf(stderr, "pvx-udptool: bad %s '%s'\n", what, s);
		exit(2);
	}
	return v;
}

int udpt_bound(unsigned port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	int fd = socket(AF_INET, SOCK_DGRAM, 0), big = 4 << 20;

	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		fprintf(stderr, "pvx-udptool: udp port %u: %s\n", port, strerror(errno));
		exit(1);
	}
	/* Deep socket buffers: the figures are the path's, not a queue's. */
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big));
	setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &big, sizeof(big));
	return fd;
}

void udpt_addr(struct sockaddr_in *sa, const char *dst, unsigned port)
{
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons(port);
	if (inet_pton(AF_INET, dst, &sa->sin_addr) != 1) {
		fprintf(stderr, "pvx-udptool: bad address '%s'\n", dst);
		exit(2);
	}
}

static void on_stop(int sig)
{
	(void)sig;
	udpt_stop = 1;
}

void udpt_on_signals(void)
{
	struct sigaction sa = { .sa_handler = on_stop }; /* no SA_RESTART */

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

void udpt_seq_add(struct udpt_seqstat *st, const uint8_t *buf, size_t len)
{
	uint64_t now = udpt_now_ns(), seq;

	if (!st->received)
		st->first_ns = now;
	st->last_ns = now;
	st->received++;
	st->bytes += len;
	if (udpt_check(buf, len, &seq) < 0) {
		st->bad++;
		return;
	}
	if (len < 8)
		return; /* no full sequence number to account with */
	if (!st->any_seq) {
		st->min_seq = st->max_seq = seq;
		st->any_seq = 1;
		return;
	}
	if (seq > st->max_seq) {
		st->max_seq = seq;
	} else {
		st->reordered++;
		if (seq < st->min_seq)
			st->min_seq = seq;
	}
}

uint64_t udpt_seq_lost(const struct udpt_seqstat *st)
{
	uint64_t span;

	if (!st->any_seq)
		return 0;
	span = st->max_seq - st->min_seq + 1;
	/* Short datagrams and bad ones carry no usable sequence. */
	return span > st->received - st->bad ? span - (st->received - st->bad) : 0;
}

void udpt_seq_print(const char *prefix, const struct udpt_seqstat *st, const char *extra)
{
	double secs = (double)(st->last_ns - st->first_ns) / 1e9;
	double pps = st->received > 1 && secs > 0 ? (double)(st->received - 1) / secs : 0;
	double gbps = st->received ? pps * ((double)st->bytes / (double)st->received) * 8 / 1e9 : 0;

	printf("%s received=%llu bytes=%llu bad=%llu lost=%llu reordered=%llu pps=%.0f gbps=%.3f "
	       "cpu_ns=%llu%s%s\n",
	       prefix, (unsigned long long)st->received, (unsigned long long)st->bytes,
	       (unsigned long long)st->bad, (unsigned long long)udpt_seq_lost(st),
	       (unsigned long long)st->reordered, pps, gbps, (unsigned long long)udpt_cpu_ns(),
	       *extra ? " " : "", extra);
	fflush(stdout);
}

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *usage;
} modes[] = {
	{ "echo", udpt_echo, "echo PORT [SECONDS]" },
	{ "sink", udpt_sink, "sink PORT SECONDS [IDLE_MS]" },
	{ "source", udpt_source, "source DST PORT SIZE COUNT|Ns [PPS]" },
	{ "echo-check", udpt_echo_check, "echo-check DST PORT COUNT MINSIZE MAXSIZE [WINDOW]" },
	{ "rtt", udpt_rtt, "rtt DST PORT COUNT [SIZE]" },
	{ "ping", udpt_ping, "ping DST COUNT INTERVAL_MS [SIZE]   ICMP echo, payload verified" },
	{ "tapbench", udpt_tapbench,
	  "tapbench TAP IP serve SECONDS | tapbench TAP IP source DST PORT SIZE COUNT" },
};

int main(int argc, char **argv)
{
	size_t i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; argc > 1 && i < sizeof(modes) / sizeof(modes[0]); i++)
		if (!strcmp(argv[1], modes[i].name))
			return modes[i].run(argc - 2, argv + 2);
	fprintf(stderr, "usage:\n");
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		fprintf(stderr, "  pvx-udptool %s\n", modes[i].usage);
	return 2;
}
