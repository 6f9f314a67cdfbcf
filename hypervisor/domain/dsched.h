/*
 * dsched: a domain's CPU scheduling on the host (docs/scheduling.md):
 * Xen credit weight and cap through the domain's cgroup (cgroup.h) and
 * vCPU affinity with sched_setaffinity (dsched.c); the per-vCPU view of
 * vcpu-list and the CPU map conversions (dsched_vcpu.c).
 *
 * What is scheduled: pvh, each vCPU thread of pvxd; pv, the domain's
 * process (vCPU 0) plus pvxd's thread serving its hypercalls.
 */
#ifndef PVXD_DSCHED_H
#define PVXD_DSCHED_H

#include <sched.h>
#include <stdint.h>

#include <pvx/ctl.h>

struct domain;
struct vcpu;

/* main's subsystem table: probe the host's cgroups ($PVX_CGROUP_ROOT,
 * default /sys/fs/cgroup; PVX_CGROUP=off disables), clean stale ones. */
int dsched_host_init(void);
void dsched_host_exit(void);
uint32_t dsched_cgroup_mode(void); /* enum pvx_sched_cgroup */

/* Main thread: at create (before the vCPU threads) and at free. */
void dsched_dom_create(struct domain *d);
void dsched_dom_destroy(struct domain *d);
/* On the vCPU's own thread, first thing. */
void dsched_vcpu_thread_start(struct vcpu *v);
/* Main thread: the platform started the guest's process. */
void dsched_guest_spawned(struct domain *d, int pid);

int dsched_set(struct domain *d, uint32_t weight, uint32_t cap);
int dsched_set_affinity(struct domain *d, uint32_t vcpu, const cpu_set_t *set);
void dsched_vcpu_info(struct domain *d, unsigned i, struct pvx_ctl_vcpuinfo *out);

/* Wire map <-> cpu_set_t; -EINVAL when no CPU of the host is set. */
int dsched_map_to_set(const uint64_t map[PVX_CPUMAP_WORDS], cpu_set_t *set);
void dsched_set_to_map(const cpu_set_t *set, uint64_t map[PVX_CPUMAP_WORDS]);

#endif
