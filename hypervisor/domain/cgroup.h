/*
 * cgroup: one cgroup per domain on the host's CPU controller, so the
 * host scheduler enforces Xen's credit weight and cap (docs/scheduling.md).
 *
 * Both cgroup versions sit behind this interface (a host has one or the
 * other for the cpu controller):
 *   v1  ROOT/cpu/pvx/pvxd-PID/dN: cpu.shares, cpu.cfs_quota_us and
 *       cpu.cfs_period_us; `tasks` takes thread ids, cgroup.procs pids.
 *   v2  ROOT/SELF/pvx/pvxd-PID/dN, SELF being pvxd's own cgroup: pvxd
 *       moves itself into pvxd-PID, which becomes a threaded domain
 *       root, and each dN is a threaded child (cgroup.type "threaded")
 *       so vCPU threads of pvxd can sit in different cgroups; cpu.weight
 *       and cpu.max; cgroup.threads takes thread ids.
 * PID (pvxd's) keeps concurrent pvxd instances apart; a pvxd-PID whose
 * PID is gone was left by a crashed pvxd and is removed at start.
 *
 * All paths hang off the root given at probe and the mkdir/rmdir go
 * through ops, so the unit tests run the same logic on a fake tree.
 */
#ifndef PVXD_CGROUP_H
#define PVXD_CGROUP_H

#include <limits.h>
#include <stdint.h>
#include <sys/types.h>

enum cg_mode { CG_NONE = 0, CG_V1 = 1, CG_V2 = 2 };

struct cg_fs_ops {
	int (*mkdir)(const char *path);   /* 0 or -errno; EEXIST is ok */
	int (*rmdir)(const char *path);   /* 0 or -errno */
	int (*alive)(pid_t pid);          /* 1 if that pvxd still runs */
};

struct cg_host {
	enum cg_mode mode;
	char top[PATH_MAX];     /* .../pvx: every pvxd's cgroups */
	char base[PATH_MAX];    /* .../pvx/pvxd-PID: this pvxd's */
	char why[200];          /* CG_NONE: why no controller is usable */
	pid_t pid;              /* this pvxd */
	const struct cg_fs_ops *ops;
};

#define CG_PERIOD_US     100000u  /* cfs period and cpu.max period */
#define CG_WEIGHT_MIN    1u       /* Xen credit weight range */
#define CG_WEIGHT_MAX    65535u
#define CG_WEIGHT_DEFAULT 256u

extern const struct cg_fs_ops cg_real_ops;

/* Finds the controller under root (e.g. /sys/fs/cgroup); self is pvxd's
 * v2 cgroup path ("/..."), pid names this instance. Sets up base (v2:
 * moves pid into it). Returns 0 with mode CG_NONE and why when no
 * controller is usable: that is not an error for pvxd. */
int cg_probe(struct cg_host *h, const char *root, const char *self, pid_t pid,
	     const struct cg_fs_ops *ops);
/* Removes the trees of pvxd instances that no longer run. */
void cg_clean_stale(struct cg_host *h);
/* Removes this instance's (empty) tree at exit. */
void cg_release(struct cg_host *h);

int cg_dom_create(struct cg_host *h, int32_t domid);
int cg_dom_remove(struct cg_host *h, int32_t domid);
int cg_dom_add_thread(struct cg_host *h, int32_t domid, pid_t tid);
int cg_dom_add_proc(struct cg_host *h, int32_t domid, pid_t pid);
/* weight 1..65535 (Xen's), cap in % of one CPU, 0 = none. */
int cg_dom_set(struct cg_host *h, int32_t domid, uint32_t weight, uint32_t cap);

/* The mappings (pure, unit tested). */
uint64_t cg_v1_shares(uint32_t weight);
uint32_t cg_v2_weight(uint32_t weight);
int64_t cg_quota_us(uint32_t cap);   /* -1: unlimited */

#endif
