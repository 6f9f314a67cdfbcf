/* Shared by the net-* programs: bringing the vif up, the payload pattern,
 * the sink's accounting, the serve loop. */
#ifndef MINIOS_PROGRAMS_NET_UTIL_H
#define MINIOS_PROGRAMS_NET_UTIL_H

#include <stdint.h>

#include <minios/net.h>

/* Positional arguments with the ip= and vif= words taken out. */
struct net_args {
	int argc;
	char *argv[16];
	const char *ip;          /* "A.B.C.D[/P]" or NULL */
	uint32_t vif;
	int have_vif;
	int ip_optional;         /* no address anywhere: come up as 0.0.0.0/32 */
};

/* Splits argv; -1 on a bad vif= word. */
int net_args_parse(int argc, char **argv, struct net_args *a);
/* Parses positional i as a number (def if absent); -1 on junk. */
int net_arg(const struct net_args *a, int i, uint64_t def, uint64_t *out);

/* Waits (10 s) for the vif, connects it, picks the address (ip= or the
 * backend's B/ip, default prefix /24), attaches nif with UDP echo on, and
 * prints "net: vif N mac MAC ip A.B.C.D/P up". 0 or a negative errno. */
int net_up(const char *prog, const struct net_args *a, struct netfront_dev *d,
	   struct net_if *nif, const struct netfront_opts *o);
/* Prints the counters, then closes the vif. */
void net_down(const char *prog, struct net_if *nif);

/* The payload of datagram seq (the pattern shared with the host tool). */
void net_pattern_fill(uint8_t *p, unsigned size, uint64_t seq);

struct net_sink {
	uint64_t received, bytes, bad, lost, reordered, streams;
	uint64_t next;           /* the seq expected next */
	uint64_t first_ns, last_ns;
};
/* Checks one datagram against the pattern and accounts for its seq. */
void net_sink_add(struct net_sink *s, const uint8_t *data, unsigned len);

/* Answers ARP, ICMP echo and UDP (through nif's callbacks) until deadline
 * (0: forever) or stop(arg) turns true. 0, or < 0 if the vif broke. */
int net_serve_until(struct net_if *nif, uint64_t deadline_ns, int (*stop)(void *), void *arg);

#endif
