/*
 * platform: how a domain's vCPUs execute (ARCHITECTURE D13).
 *
 * pvxd's core (domains, hypercalls, event channels, grant tables, the
 * control socket) does not know how guest code runs. Each domain gets
 * one platform, chosen by its type at create (pvx_dom_type), and every
 * execution-specific act goes through its ops table:
 *   pvh  a KVM VM (platform_pvh*.c over kvm.c, vm.c, exit_*.c);
 *   pv   a sandboxed host process (platform_pv.c over pv/pvproc.h).
 * Both keep the memfd layout of vm.h, so Dom0 (backends, grants, the
 * toolstack) sees the same memory either way.
 *
 * The platforms are probed once at start (platform_host_init); one that
 * is missing is logged with the reason and its type is refused with
 * -ENODEV, while pvxd runs the others.
 *
 * Who calls what (threads as in dom.h):
 *  - main thread: dom_create/dom_destroy, vcpu_init/vcpu_dispose,
 *    vcpu_set_boot (vCPU parked), dom_start (unpause), dom_freeze (pause,
 *    shutdown; also from vCPU threads), dom_kill (destroy, before the
 *    vCPU threads are joined);
 *  - the vCPU's own thread: vcpu_thread_init, vcpu_run, guest_mode,
 *    dump_regs;
 *  - any thread: vcpu_kick, inject_upcall (under the evtchn lock).
 * Optional entries may be NULL.
 */
#ifndef PVXD_PLATFORM_H
#define PVXD_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pvx/ctl.h>

struct domain;
struct vcpu;
struct vcpu_info;
struct gva_mode;
struct mig_limits;
struct mig_parsed;
struct mig_writer;

struct platform_ops {
	const char *name;            /* xl.cfg type: "pvh", "pv" */
	enum pvx_dom_type type;
	const char *xen_caps;        /* XENVER_capabilities, Xen's spelling */

	/* Host: 0 = usable; else -errno and why (for logs and hello). */
	int (*host_init)(char *why, size_t len);
	void (*host_exit)(void);

	/* Memory (d->vm, layout of vm.h) and the execution context. */
	int (*dom_create)(struct domain *d);
	/* After the threads joined; async: may finish on another thread. */
	void (*dom_destroy)(struct domain *d, bool async);
	int (*dom_start)(struct domain *d);    /* each unpause */
	void (*dom_freeze)(struct domain *d);  /* pause, shutdown, crash */
	void (*dom_kill)(struct domain *d);    /* destroy, before the join */
	/* Puts pvxd's shared_info page at gpa outside RAM (0 = remove). */
	int (*map_xpage)(struct domain *d, uint64_t gpa);
	uint32_t (*tsc_khz)(struct domain *d); /* 0: unknown */
	/* CPU time the guest used outside pvxd's vCPU threads (pv: its
	 * process), for dominfo; NULL = none. */
	uint64_t (*guest_cpu_ns)(struct domain *d);
	/* The host process running the guest (pv), 0 = none yet or NULL:
	 * its cgroup and affinity follow the domain's (dsched.c). */
	int (*guest_pid)(struct domain *d);

	int (*vcpu_init)(struct vcpu *v);
	void (*vcpu_dispose)(struct vcpu *v);  /* idempotent */
	int (*vcpu_set_boot)(struct vcpu *v, uint64_t entry, uint64_t start_info);
	void (*vcpu_thread_init)(struct vcpu *v);
	/* Runs the guest until one exit or trap and handles it: 0, or a
	 * fatal exit (<0) with the crash reason in why. */
	int (*vcpu_run)(struct vcpu *v, char *why, size_t len);
	/* Makes a running vcpu_run return soon; vcpu_kick_ack clears that
	 * before the thread rechecks its flags (dom_run.c). */
	void (*vcpu_kick)(struct vcpu *v);
	void (*vcpu_kick_ack)(struct vcpu *v);
	/* An event is pending and vi's upcall mask was clear. */
	void (*inject_upcall)(struct vcpu *v, struct vcpu_info *vi);
	/* How hypercall pointer arguments translate (gva.h). */
	int (*guest_mode)(struct vcpu *v, struct gva_mode *m);
	void (*dump_regs)(struct vcpu *v, const char *why);

	/* RAM below this is not the guest's (pv: not mapped in the process),
	 * so hypercall pointers there fault. */
	uint64_t ram_floor;

	/* Hypercall features that depend on the platform. */
	bool upcall_vector;          /* HVMOP_set_evtchn_upcall_vector */
	/* CALLBACKOP_register(event) (address 0: unregister), address
	 * already checked inside RAM; NULL = -ENOSYS. */
	int (*set_event_callback)(struct vcpu *v, uint64_t address,
				  uint16_t flags);

	/* Save/restore and live migration (platform_mig_ops), NULL = none. */
	const struct platform_mig_ops *mig;
};

/*
 * Save/restore and live migration (docs/migration-hv.md), main thread,
 * the domain paused or suspended (vCPU threads parked). state_limits:
 * the sizes of the platform's records; state_save appends them;
 * state_load applies checked ones to a restore domain never run;
 * set_retval sets the result of a vCPU's finished hypercall (a
 * cancelled suspend returns 1). Dirty log of the guest's own writes to
 * RAM: start (all clean), stop, and OR the pages written since the last
 * collect into bitmap (ram_pages bits), clearing them.
 */
struct platform_mig_ops {
	void (*state_limits)(struct mig_limits *l);
	int (*state_save)(struct domain *d, struct mig_writer *w);
	int (*state_load)(struct domain *d, const struct mig_parsed *p);
	int (*set_retval)(struct vcpu *v, uint64_t value);
	int (*dirty_start)(struct domain *d);
	void (*dirty_stop)(struct domain *d);
	int (*dirty_collect)(struct domain *d, uint64_t *bitmap);
};

struct event_base;

extern const struct platform_ops platform_pvh;
extern const struct platform_ops platform_pv;
extern const struct platform_mig_ops pvh_mig_ops, pv_mig_ops;

/* Probes every platform and logs which exist (main's table). */
int platform_host_init(void);
void platform_host_exit(void);
/* The usable platform for a type; NULL with -ENODEV / -EINVAL in *err. */
const struct platform_ops *platform_get(uint32_t type, int *err);
uint32_t platform_types(void); /* PVX_TYPE_BIT of each usable type */
/* Why a type is not usable ("" when it is). */
const char *platform_why(uint32_t type);
/* The main loop, for platforms that watch fds there (NULL in tests). */
void platform_set_loop(struct event_base *base);
struct event_base *platform_loop(void);
/* For tests: replace the table (NULL restores the built-in one). */
void platform_set_table(const struct platform_ops *const *table, uint32_t usable);

#endif
