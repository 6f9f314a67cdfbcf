/*
 * dom: domains and their vCPUs.
 *
 * A domain is its memory (the memfd of vm.h), an execution context
 * from its platform (platform.h: a KVM VM, or a sandboxed process), its
 * vCPU threads, its Xen state
 * (HVM params, shared_info placement, per-vCPU vcpu_info and upcall
 * vector, timers) and its console log. Domain 0 is Dom0: it has no VM;
 * only its event-channel table exists (evtchn.h).
 *
 * Threads and locks:
 *  - The main thread (libevent loop) creates, pauses, unpauses and
 *    destroys domains and owns the domain table; it is the only writer of
 *    the table, so it reads it without a lock.
 *  - Each vCPU has its own thread running the guest and the hypercalls of
 *    that vCPU. vCPU threads touch only their own domain, except through
 *    the event-channel module, which has its own global lock.
 *  - d->lock guards the run state (state, paused, stopping, dying, parked
 *    counts), HVM params and shutdown fields. d->cond signals run-state
 *    changes to parked vCPU threads and to a pausing main thread.
 *  - Event delivery state (shared_info pointer, each vcpu_info pointer
 *    and upcall vector) is guarded by the evtchn lock, because delivery
 *    happens under it from any thread.
 *  Lock order: evtchn lock before d->lock.
 *
 * Destroy sets `dying`, kicks every vCPU out of the guest or a blocking
 * hypercall, joins the threads, closes the domain's event channels
 * (unbinding peers), and only then releases memory and fds.
 */
#ifndef PVXD_DOM_H
#define PVXD_DOM_H

#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <linux/kvm.h>
#include <pvx/ctl.h>
#include <xen/public/xen.h>
#include <xen/public/sched.h>
#include <xen/public/hvm/params.h>

#include "gva.h"
#include "log.h"
#include "platform.h"
#include "textring.h"
#include "vm.h"

struct domain;
struct event;
struct pv_dom;

struct vcpu {
	struct domain *d;
	unsigned id;
	int fd;                    /* pvh: the KVM vCPU, else -1 */
	struct kvm_run *run;       /* pvh: its run area, else NULL */
	pthread_t thread;
	bool thread_started;
	clockid_t clock;           /* the thread's CPU clock */
	bool has_clock;
	uint64_t cpu_ns_final;     /* CPU time once the thread ended */
	int wake_fd;               /* eventfd: wakes a blocked vCPU */
	int blocked;               /* atomic: waiting in block/poll */
	int timer_fd;              /* Xen singleshot timer (timerfd) */
	struct event *timer_ev;
	uint64_t timer_deadline;   /* system time ns, 0 = stopped */
	/* Event delivery state: under the evtchn lock. */
	struct vcpu_info *vcpu_info; /* registered area, NULL = legacy slot */
	uint64_t vcpu_info_gpa;
	uint8_t upcall_vector;     /* 0 = none (pvh only) */
	int64_t tsc_offset;        /* guest TSC - host TSC (0 on pv) */
	struct ratelimit rl;
	/* Scheduling (dsched.c), under d->lock. */
	int tid;                   /* the thread's id once it runs, else 0 */
	cpu_set_t affinity;        /* when pinned */
	bool pinned;
};

struct domain {
	int32_t domid;
	char name[PVX_NAME_MAX];
	uint8_t uuid[16];
	bool privileged;           /* never true for a VM domain today */
	uint32_t type;             /* enum pvx_dom_type */
	const struct platform_ops *plat; /* how its vCPUs run (platform.h) */
	struct pv_dom *pv;         /* the pv platform's state, else NULL */

	pthread_mutex_t lock;
	pthread_cond_t cond;
	uint32_t state;            /* enum pvx_dom_state */
	int32_t shutdown_reason;   /* -1: none */
	uint32_t shutdown_code;
	bool paused;               /* vCPUs must park */
	bool stopping;             /* shut down/crashed: vCPUs park for good */
	bool dying;                /* threads must exit */
	unsigned nr_parked;
	unsigned nr_threads;
	uint64_t hvm_param[HVM_NR_PARAMS];

	uint64_t create_mono_ns;   /* system time 0 */
	uint64_t create_real_ns;
	uint64_t maxmem_bytes;
	uint64_t nr_pages;         /* current reservation (lock) */
	uint64_t ram_pages;        /* RAM layout: max(memory, maxmem) at create */
	uint8_t *released;         /* bitmap of ballooned-out RAM pages (lock) */
	uint32_t max_grant_frames;

	struct vm vm;
	struct gmem_view view;     /* RAM, special pages, xpage if mapped */
	struct shared_info *shinfo; /* evtchn lock */
	uint64_t shinfo_gpa;       /* 0: not placed by the guest yet */
	uint32_t tsc_khz;
	uint32_t tsc_mul;
	int8_t tsc_shift;

	unsigned nr_vcpus;
	struct vcpu *vcpus;
	struct textring log;       /* console_io text */
	struct ratelimit rl;
	uint8_t cmos_index;        /* atomic: last write to port 0x70 */
	uint64_t console_tokens;   /* d->lock: pvxd.log budget (bytes) */
	uint64_t console_refill_ns;
	bool console_throttled;
	uint64_t nr_hypercalls;    /* atomic: PVX_CTL_DOMSTATS */
	/* Scheduling (dsched.c; main thread). */
	uint32_t sched_weight;     /* Xen credit weight */
	uint32_t sched_cap;        /* % of one CPU, 0 = none */
	bool sched_cg;             /* its cgroup exists */
	/* Save/restore (dom_mig.c, docs/migration-hv.md; main thread). */
	bool restore_mode;         /* PVX_CREATE_F_RESTORE: no boot, SET_STATE */
	const void *tie;           /* PVX_CREATE_F_TIED: the creating ctl
				    * connection, until the first unpause */
	uint32_t suspend_vcpu;     /* d->lock: who called shutdown(suspend) */
	struct dom_mig *mig;       /* chunk buffers and the dirty log */
};

/* Log a line about d to pvxd's log and to d's own log (pvx dmesg). */
#define dlog(d, lvl, fmt, ...) \
	log_msg_to(&(d)->log, lvl, "d%d: " fmt, (d)->domid, ##__VA_ARGS__)

/* The domain table (main thread only). */
struct domain *dom_find(int32_t domid);
struct domain *dom_find_name(const char *name);
unsigned dom_count(void);
/* Calls fn for each domain in domid order; stops at a nonzero return. */
int dom_foreach(int (*fn)(struct domain *d, void *arg), void *arg);

int dom_create(const struct pvx_ctl_create_req *req, struct domain **out);
void dom_destroy(struct domain *d);
void dom_destroy_all(void);
int dom_pause(struct domain *d);
int dom_unpause(struct domain *d);
int dom_set_boot(struct domain *d, const struct pvx_ctl_boot_req *req);
int dom_rename(struct domain *d, const char *name);
int dom_set_maxmem(struct domain *d, uint64_t maxmem_kib);
void dom_info(struct domain *d, struct pvx_ctl_dominfo *out);

/* From any thread: record a shutdown and stop every vCPU. */
void dom_shutdown(struct domain *d, int reason, uint32_t code);
void dom_crash(struct domain *d, const char *why);
/* Appends guest console text to the domain log (and pvxd.log). */
void dom_console_write(struct domain *d, const char *text, size_t len);

/*
 * A vCPU's generic part and its thread (vcpu.c); how it executes is its
 * domain's platform (platform.h).
 */
int vcpu_init(struct vcpu *v, struct domain *d, unsigned id);
int vcpu_start(struct vcpu *v);
void vcpu_join(struct vcpu *v);
void vcpu_dispose(struct vcpu *v); /* idempotent; after vcpu_join */
uint64_t vcpu_cpu_ns(const struct vcpu *v);
/* Signal used to kick vCPU threads out of the guest or a blocking wait. */
int vcpu_signal_init(void);

/* vCPU run control, used by vcpu.c and hypercalls. */
void vcpu_kick(struct vcpu *v);
/* Parks while paused; returns true when the thread must exit. */
bool vcpu_park(struct vcpu *v);
/* Wakes v if it waits in SCHEDOP_block/poll. */
void vcpu_wake(struct vcpu *v);
uint64_t dom_system_time(const struct domain *d);
uint64_t mono_ns(void);
uint64_t real_ns(void);
/* Sets dying, kicks every vCPU and joins the threads (main thread). */
void dom_stop_threads(struct domain *d);

/* The event-channel hooks of a VM domain (dom_evtchn.c). */
extern const struct evtchn_ops dom_evtchn_ops;

/* Domain state-change events for subscribers (ctl.c drains them). */
void dom_event_post(struct domain *d);

/* Save/restore, dirty log, resume (dom_mig.c; main thread). */
int dom_mig_get_state(struct domain *d, uint64_t offset, uint8_t *out,
		      uint32_t max, uint32_t *len, uint64_t *total);
int dom_mig_set_state(struct domain *d, uint64_t offset, uint64_t total,
		      const uint8_t *data, uint32_t len);
int dom_mig_resume(struct domain *d);
/* owner: the ctl connection asking; ENABLE ties the log to it. */
int dom_mig_dirty(struct domain *d, uint32_t cmd, uint64_t first, uint64_t nr,
		  uint64_t *bitmap, uint64_t *dirty, const void *owner);
/* owner closed: if the log is still its, switch it off (true). */
bool dom_mig_dirty_owner_gone(struct domain *d, const void *owner);
bool dom_mig_can_start(struct domain *d);
/* From any thread: pvxd wrote [p, p + len) of d's memory. */
bool dom_mig_logging(const struct domain *d);
void dom_mig_mark(struct domain *d, const void *p, size_t len);
void dom_mig_free(struct domain *d);

#endif
