/*
 * ctl: pvxd's side of the control protocol (pvx/ctl.h).
 *
 * ctl.c owns the listening socket and the connections (libevent, main
 * thread); ctl_msg.c checks a received datagram against the op table
 * without side effects (unit tested); ctl_ops.c implements each op.
 */
#ifndef PVXD_CTL_H
#define PVXD_CTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pvx/ctl.h>

struct ctl_conn;
struct domain;
struct event_base;

struct ctl_reply {
	uint8_t *buf;       /* payload, PVX_CTL_MAX_PAYLOAD bytes */
	uint32_t len;
	int fds[2];
	int nfds;
	bool close_fds;     /* the fds are ours to close after sending */
};

struct ctl_req {
	const struct pvx_ctl_hdr *hdr;
	const void *payload;
	struct domain *dom; /* resolved when the op needs a domain */
	struct ctl_conn *conn;
};

typedef int (*ctl_fn)(struct ctl_req *rq, struct ctl_reply *rep);

enum ctl_flags {
	CTL_EXACT = 1 << 0,  /* payload must be exactly req_size */
	CTL_DOMAIN = 1 << 1, /* hdr.domid must name a live domain */
};

struct ctl_op {
	ctl_fn fn;
	uint32_t req_size;
	uint32_t flags;
	const char *name;
};

extern const struct ctl_op ctl_ops[PVX_CTL_OP_COUNT];

/* Checks the datagram; on success *op is its table entry. A negative
 * errno means: reply with that status (hdr fields may be partial). */
int ctl_check(const void *buf, size_t len, bool truncated,
	      const struct ctl_op *table, size_t nops,
	      const struct ctl_op **op);
int ctl_check_create(const struct pvx_ctl_create_req *req, uint64_t host_kib);
int ctl_check_name(const char *name, size_t cap);

/* PVX_CTL_LIST paging (ctl_ops.c): a page from the request's optional
 * pvx_ctl_list_req (-EINVAL if short), then ctl_list_one per domain in
 * domid order (dom_foreach's callback). */
struct ctl_list_page {
	struct ctl_reply *rep;
	int32_t start;
	uint32_t max;
};
int ctl_list_page_init(struct ctl_list_page *pg, struct ctl_reply *rep,
		       const void *payload, uint32_t len);
int ctl_list_one(struct domain *d, void *arg);

int ctl_start(struct event_base *base, const char *rundir);
void ctl_stop(void);

/* Dom0 event-channel ports of a connection (ctl.c). */
int ctl_conn_add_port(struct ctl_conn *c, uint32_t port, int notify_fd);
/* Sends a notify still pending on its eventfd, then closes the port:
 * 0, or -EINVAL if c has no such port. */
int ctl_conn_del_port(struct ctl_conn *c, uint32_t port);
/* domid < 0: every domain's events; else that domain's only. */
void ctl_conn_subscribe(struct ctl_conn *c, int32_t domid);

/* Handlers of PVX_CTL_GNTTAB_MAP / UNMAP / COPY (gnttab/gnttab_ctl.c). */
int gnttab_ctl_map(struct ctl_req *rq, struct ctl_reply *rep);
int gnttab_ctl_unmap(struct ctl_req *rq, struct ctl_reply *rep);
int gnttab_ctl_copy(struct ctl_req *rq, struct ctl_reply *rep);

/* Scheduling ops (ctl_sched.c). */
int ctl_sched_get(struct ctl_req *rq, struct ctl_reply *rep);
int ctl_sched_set(struct ctl_req *rq, struct ctl_reply *rep);
int ctl_vcpu_affinity(struct ctl_req *rq, struct ctl_reply *rep);
int ctl_vcpu_info(struct ctl_req *rq, struct ctl_reply *rep);

/* Save/restore and migration ops (ctl_mig.c). */
int ctl_get_state(struct ctl_req *rq, struct ctl_reply *rep);
int ctl_set_state(struct ctl_req *rq, struct ctl_reply *rep);
int ctl_dirty_log(struct ctl_req *rq, struct ctl_reply *rep);
int ctl_resume(struct ctl_req *rq, struct ctl_reply *rep);

#endif
