/* xenstore-bench internals (see xenstore-bench.c). */
#ifndef XENSTORE_BENCH_H
#define XENSTORE_BENCH_H

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

/* Children: pvxstored's modules on a socket (fake rings), and an echo. */
pid_t bench_start_store(const char *sock, const char *dbfile);
pid_t bench_start_echo(const char *sock);

int bench_rates(const struct bench_opts *o, const char *xs_sock,
		const char *echo_sock);
int bench_scale(const struct bench_opts *o, const char *xs_sock);

#endif
