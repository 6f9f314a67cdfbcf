/*
 * libpvxctl: the Dom0 client side of pvxd's control protocol (pvx/ctl.h),
 * plus the Dom0 helpers built on it: mapping a domain's memory and binding
 * event channels as file descriptors (libxenctrl + libxenevtchn's roles).
 *
 * Every fallible call returns 0 or a negative errno. A connection is not
 * thread-safe. A connection that subscribed to domain events should be
 * used only for pvx_ctl_read_event(): replies and events share its socket.
 */
#ifndef PVX_CTLCLIENT_H
#define PVX_CTLCLIENT_H

#include <stddef.h>
#include <stdint.h>
#include <pvx/ctl.h>

struct pvx_ctl;

/* $PVX_RUNDIR or PVX_DEFAULT_RUNDIR; $PVX_LOGDIR or <rundir>/log. */
const char *pvx_rundir(void);
const char *pvx_logdir(void);

/* Connects to <rundir>/pvxd.sock. -ENOENT / -ECONNREFUSED: no pvxd. */
int pvx_ctl_open(struct pvx_ctl **out);
void pvx_ctl_close(struct pvx_ctl *c);
int pvx_ctl_fd(const struct pvx_ctl *c);
/* <rundir>/pvxd.sock into buf; -ENAMETOOLONG if it does not fit. */
int pvx_ctl_sock_path(char *buf, size_t len);
/* Wraps an already connected socket (tests: one end of a socketpair);
 * the connection owns fd from then on. */
int pvx_ctl_from_fd(int fd, struct pvx_ctl **out);
/* One line for a pvx_ctl_open() failure, e.g. "pvxd is not running (no
 * socket at /run/pvx/pvxd.sock)". */
void pvx_ctl_open_error(int err, char *buf, size_t len);

/* One request/reply round trip. Received fds (at most fds_cap) are stored
 * in fds and counted in *nfds; the caller owns them. */
int pvx_ctl_call(struct pvx_ctl *c, uint16_t op, int32_t domid,
		 const void *req, uint32_t req_len,
		 void *rsp, uint32_t rsp_cap, uint32_t *rsp_len,
		 int *fds, int fds_cap, int *nfds);

int pvx_ctl_hello(struct pvx_ctl *c, struct pvx_ctl_hello_rsp *out);
int pvx_ctl_create(struct pvx_ctl *c, const struct pvx_ctl_create_req *req,
		   int32_t *domid);
int pvx_ctl_destroy(struct pvx_ctl *c, int32_t domid);
int pvx_ctl_pause(struct pvx_ctl *c, int32_t domid);
int pvx_ctl_unpause(struct pvx_ctl *c, int32_t domid);
int pvx_ctl_rename(struct pvx_ctl *c, int32_t domid, const char *name);
/* PVX_CTL_SET_MAXMEM: the domain's memory ceiling (xl mem-max). */
int pvx_ctl_set_maxmem(struct pvx_ctl *c, int32_t domid, uint64_t maxmem_kib);
int pvx_ctl_shutdown(struct pvx_ctl *c, int32_t domid, int reason);
/* *out is malloc'd (free it); *n entries. */
int pvx_ctl_list(struct pvx_ctl *c, struct pvx_ctl_dominfo **out, size_t *n);
int pvx_ctl_info(struct pvx_ctl *c, int32_t domid, struct pvx_ctl_dominfo *out);
/* Resolves a domain name or a decimal id to a domid; -ESRCH if none. */
int pvx_ctl_lookup(struct pvx_ctl *c, const char *name_or_id, int32_t *domid);

int pvx_ctl_set_boot(struct pvx_ctl *c, int32_t domid, uint32_t vcpu,
		     uint64_t entry, uint64_t start_info_gpa);
int pvx_ctl_set_hvm_param(struct pvx_ctl *c, int32_t domid, uint32_t index,
			  uint64_t value);
int pvx_ctl_get_hvm_param(struct pvx_ctl *c, int32_t domid, uint32_t index,
			  uint64_t *value);
/* Reads up to cap bytes of a log from *offset; advances *offset. domid -1
 * is pvxd's own log. Returns the number of bytes copied (>= 0). */
int pvx_ctl_dmesg(struct pvx_ctl *c, int32_t domid, uint64_t *offset,
		  char *buf, size_t cap);

int pvx_ctl_subscribe(struct pvx_ctl *c);
/* Events of one domain only (domid < 0: all); again: replaces the filter.
 * Events already queued for other domains may still arrive. */
int pvx_ctl_subscribe_dom(struct pvx_ctl *c, int32_t domid);
/* Blocks for the next domain event (use poll on pvx_ctl_fd to wait). */
int pvx_ctl_read_event(struct pvx_ctl *c, struct pvx_ctl_event *ev);
/* Events already received (queued while a call waited for its reply):
 * poll() on the fd does not see them, so check this first. */
int pvx_ctl_pending_events(const struct pvx_ctl *c);

/* A domain's memory mapped into this process (MAP_SHARED on its memfd). */
struct pvx_dom_mem {
	uint8_t *base;          /* memfd offset 0 = GPA 0 */
	size_t size;            /* whole memfd */
	uint64_t ram_bytes;
	uint8_t *special;       /* PVX_SPECIAL_PAGES pages at PVX_SPECIAL_GPA */
	int fd;
	uint64_t special_gpa;   /* as pvxd reported it */
	uint32_t special_pages;
};
int pvx_dom_mem_map(struct pvx_ctl *c, int32_t domid, struct pvx_dom_mem *m);
void pvx_dom_mem_unmap(struct pvx_dom_mem *m); /* idempotent */
/* Host pointer for [gpa, gpa+len) in RAM or the special pages, or NULL. */
void *pvx_dom_mem_gpa(const struct pvx_dom_mem *m, uint64_t gpa, size_t len);

/* An event channel port of this Dom0 process, bound to a guest's port. */
struct pvx_evtchn {
	uint32_t port;          /* local (Dom0) port */
	int event_fd;           /* readable when the remote side sent */
	int notify_fd;          /* write 1 to send to the remote side */
};
int pvx_ctl_evtchn_alloc_unbound(struct pvx_ctl *c, int32_t domid,
				 int32_t remote_dom, uint32_t *port);
int pvx_evtchn_bind(struct pvx_ctl *c, int32_t remote_dom,
		    uint32_t remote_port, struct pvx_evtchn *ev);
int pvx_evtchn_notify(const struct pvx_evtchn *ev);
/* Clears the readable state; returns events seen (>= 0). */
int pvx_evtchn_consume(const struct pvx_evtchn *ev);
void pvx_evtchn_close(struct pvx_ctl *c, struct pvx_evtchn *ev); /* idempotent */

/* CPU scheduling (ctl_sched.c, docs/scheduling.md). */
int pvx_ctl_sched_get(struct pvx_ctl *c, int32_t domid, struct pvx_ctl_sched *out);
int pvx_ctl_sched_set(struct pvx_ctl *c, int32_t domid, uint32_t weight, uint32_t cap);
/* vcpu: a vCPU or PVX_VCPU_ALL. */
int pvx_ctl_vcpu_affinity(struct pvx_ctl *c, int32_t domid, uint32_t vcpu,
			  const uint64_t cpumap[PVX_CPUMAP_WORDS]);
/* *out (malloc'd, caller frees) holds *n entries, one per vCPU. */
int pvx_ctl_vcpu_info(struct pvx_ctl *c, int32_t domid,
		      struct pvx_ctl_vcpuinfo **out, size_t *n);

#endif /* PVX_CTLCLIENT_H */
