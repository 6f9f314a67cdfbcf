/* xenstore-bench internals (see xenstore-bench.c). */
#ifndef XENSTORE_BENCH_H
#define XENSTORE_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <pvx/xs.h>
#include <xen/public/io/xs_wire.h>

struct bench_opts {
	long iters;          /* round trips per throughput figure */
	int max_domains;     /* scale test: 10, 100, ... up to this */
	const char *dir;     /* scratch directory */
};

uint64_t bench_now_ns(void);
int bench_connect(const char *path);
/* One request; reads until the reply (events are skipped). */
int bench_rpc(int fd, uint32_t type, uint32_t tx, const void *p, uint32_t len,
	      char *rsp, uint32_t *rsp_len);
int bench_send(int fd, uint32_t type, uint32_t req_id, uint32_t tx,
	       const void *p, uint32_t len);
int bench_recv(int fd, struct xsd_sockmsg *h, char *payload);

/* A store ring shared between the bench (the guest) and a server child:
 * the page and both eventfds exist before the fork. */
struct bench_ring {
	struct xenstore_domain_interface *page;
	int evfd;   /* guest -> server */
	int ntfd;   /* server -> guest */
};
#define BENCH_RING_DOMID 1
extern struct bench_ring bench_ring_xs, bench_ring_echo;
int bench_ring_setup(struct bench_ring *r);
int bench_ring_rpc(struct bench_ring *r, uint32_t type, uint32_t tx,
		   const void *p, uint32_t len, bool want_event);
int bench_ring_rates(const struct bench_opts *o, const char *xs_sock,
		     const char *echo_sock);

/* Children: pvxstored's modules on a socket (fake rings), and an echo. */
pid_t bench_start_store(const char *sock, const char *dbfile);
pid_t bench_start_echo(const char *sock);
pid_t bench_start_ring_echo(struct bench_ring *r);

int bench_rates(const struct bench_opts *o, const char *xs_sock,
		const char *echo_sock);
int bench_scale(const struct bench_opts *o, const char *xs_sock);

#endif
