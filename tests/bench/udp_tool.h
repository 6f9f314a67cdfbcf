/*
 * pvx-udptool: the host end of the network tests and of tests/bench/net-bench
 * (docs/network.md). One binary, one mode per run; every mode ends with one
 * `key=value` line on stdout so scripts read figures with one sed.
 * The payload pattern is the one minios's net programs use, so either end
 * can verify the other's datagrams byte by byte.
 */
#ifndef PVX_UDP_TOOL_H
#define PVX_UDP_TOOL_H

#include <stddef.h>
#include <stdint.h>

#define UDPT_MAX_PAYLOAD 1472 /* 1500 - IPv4 - UDP */

/* Pattern for sequence S: SIZE >= 8: bytes 0..7 = S little-endian and
 * byte i >= 8 = (S + i) & 0xff; SIZE < 8: byte i = (S + i) & 0xff. */
void udpt_fill(uint8_t *buf, size_t size, uint64_t seq);
/* 0 if BUF holds a well-formed pattern; its sequence (or, below 8 bytes,
 * the low byte of it) in *SEQ. */
int udpt_check(const uint8_t *buf, size_t size, uint64_t *seq);

uint64_t udpt_now_ns(void);
/* CPU time (user + system) this process has used, in ns. */
uint64_t udpt_cpu_ns(void);
/* Nearest-rank percentile P (0..100) of N samples, sorted in place. */
uint64_t udpt_pct(uint64_t *v, size_t n, unsigned p);
/* An unsigned decimal argument or exit 2 with a message naming WHAT. */
uint64_t udpt_num(const char *s, const char *what);
/* A UDP socket bound to PORT on any address (0: ephemeral), or exit 1. */
int udpt_bound(unsigned port);
/* Resolves DST:PORT (dotted quad) into *SA, or exit 2. */
struct sockaddr_in;
void udpt_addr(struct sockaddr_in *sa, const char *dst, unsigned port);

/* Set by SIGINT/SIGTERM: servers stop and print their line. */
extern volatile int udpt_stop;
void udpt_on_signals(void);

/* Sequence accounting shared by the socket sink and the TAP sink. */
struct udpt_seqstat {
	uint64_t received, bytes, bad, reordered, dup_or_old;
	uint64_t min_seq, max_seq;
	uint64_t first_ns, last_ns;
	int any_seq;
};
void udpt_seq_add(struct udpt_seqstat *st, const uint8_t *buf, size_t len);
uint64_t udpt_seq_lost(const struct udpt_seqstat *st);
/* Prints "PREFIX received=.. bytes=.. bad=.. lost=.. reordered=.. pps=..
 * gbps=.." and the rest of the line from EXTRA (may be ""). */
void udpt_seq_print(const char *prefix, const struct udpt_seqstat *st, const char *extra);

int udpt_echo(int argc, char **argv);
int udpt_sink(int argc, char **argv);
int udpt_source(int argc, char **argv);
int udpt_echo_check(int argc, char **argv);
int udpt_rtt(int argc, char **argv);
int udpt_tapbench(int argc, char **argv);
int udpt_ping(int argc, char **argv);

#endif /* PVX_UDP_TOOL_H */
