/*
 * dsched: weight, cap and affinity of domains (dsched.h). A host without
 * a usable cgroup cpu controller still runs domains and pins them; only
 * weight and cap answer -EOPNOTSUPP, and pvxd logs why once at start.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "cgroup.h"
#include "dom.h"
#include "dsched.h"
#include "log.h"
#include "platform.h"

static struct cg_host host;

/* pvxd's v2 cgroup from /proc/self/cgroup ("0::/path"). */
static void self_cgroup(char *out, size_t len)
{
	FILE *f = fopen("/proc/self/cgroup", "re");
	char line[PATH_MAX + 16];

	snprintf(out, len, "/");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "0::", 3)) {
			line[strcspn(line, "\n")] = '\0';
			if (snprintf(out, len, "%s", line + 3) >= (int)len)
				snprintf(out, len, "/");
		}
	fclose(f);
}

int dsched_host_init(void)
{
	const char *root = getenv("PVX_CGROUP_ROOT");
	const char *off = getenv("PVX_CGROUP");
	char self[PATH_MAX];

	if (off && !strcmp(off, "off")) {
		host.mode = CG_NONE;
		snprintf(host.why, sizeof(host.why), "disabled by PVX_CGROUP=off");
	} else {
		self_cgroup(self, sizeof(self));
		cg_probe(&host, root && *root ? root : "/sys/fs/cgroup", self,
			 getpid(), NULL);
		cg_clean_stale(&host);
	}
	if (host.mode == CG_NONE)
		log_warn("sched: no CPU weight or cap: %s (pinning works)", host.why);
	else
		log_info("sched: cgroup v%d cpu controller at %s", (int)host.mode,
			 host.base);
	return 0;
}

void dsched_host_exit(void)
{
	cg_release(&host);
}

uint32_t dsched_cgroup_mode(void)
{
	return (uint32_t)host.mode;
}

void dsched_dom_create(struct domain *d)
{
	int r;

	d->sched_weight = PVX_SCHED_WEIGHT_DEFAULT;
	d->sched_cap = 0;
	if (host.mode == CG_NONE)
		return;
	cg_clean_stale(&host); /* one left busy at start may be free now */
	r = cg_dom_create(&host, d->domid);
	if (r < 0) {
		dlog(d, LOG_WARN, "sched: no cgroup for the domain: %s", strerror(-r));
		cg_dom_remove(&host, d->domid);
		return;
	}
	d->sched_cg = true;
}

/* A later try at removing a busy cgroup, from the main loop. */
struct cg_retry {
	int32_t domid;
	int tries;
};

static void retry_cb(evutil_socket_t fd, short what, void *arg)
{
	struct cg_retry *rt = arg;
	struct timeval tv = { 0, 200000 };
	int r = cg_dom_remove(&host, rt->domid);

	(void)fd;
	(void)what;
	if (r == -EBUSY && ++rt->tries < 50 && platform_loop() &&
	    event_base_once(platform_loop(), -1, EV_TIMEOUT, retry_cb, rt, &tv) == 0)
		return;
	if (r < 0 && r != -ENOENT)
		log_warn("d%d: sched: cannot remove the cgroup: %s", rt->domid,
			 strerror(-r));
	free(rt);
}

/*
 * The threads are joined and the process killed, but an exiting task
 * (or a kernel helper of the VM, closed asynchronously) may stay in the
 * cgroup a moment: a few quick tries, then retries every 200 ms from
 * the main loop for up to 10 s.
 */
void dsched_dom_destroy(struct domain *d)
{
	struct timespec ms = { 0, 1000000 };
	struct cg_retry *rt;
	int r = 0;

	if (!d->sched_cg)
		return;
	d->sched_cg = false;
	for (int i = 0; i < 20; i++) {
		r = cg_dom_remove(&host, d->domid);
		if (r != -EBUSY)
			break;
		nanosleep(&ms, NULL);
	}
	if (r == -EBUSY && (rt = calloc(1, sizeof(*rt)))) {
		rt->domid = d->domid;
		retry_cb(-1, 0, rt);
		return;
	}
	if (r < 0 && r != -ENOENT)
		dlog(d, LOG_WARN, "sched: cannot remove the cgroup: %s", strerror(-r));
}

static void apply_affinity(struct domain *d, int id, const cpu_set_t *set)
{
	if (id > 0 && sched_setaffinity(id, sizeof(*set), set) < 0)
		dlog(d, LOG_WARN, "sched: affinity of task %d: %s", id, strerror(errno));
}

void dsched_vcpu_thread_start(struct vcpu *v)
{
	struct domain *d = v->d;
	int tid = (int)syscall(SYS_gettid);
	cpu_set_t set;
	bool pinned;

	if (d->sched_cg && cg_dom_add_thread(&host, d->domid, tid) < 0)
		dlog(d, LOG_WARN, "sched: vCPU %u thread not in the cgroup", v->id);
	pthread_mutex_lock(&d->lock);
	v->tid = tid;
	pinned = v->pinned;
	set = v->affinity;
	pthread_mutex_unlock(&d->lock);
	if (pinned)
		apply_affinity(d, tid, &set);
}

void dsched_guest_spawned(struct domain *d, int pid)
{
	cpu_set_t set;
	bool pinned;

	if (d->sched_cg && cg_dom_add_proc(&host, d->domid, pid) < 0)
		dlog(d, LOG_WARN, "sched: process %d not in the cgroup", pid);
	if (!d->nr_vcpus)
		return;
	pthread_mutex_lock(&d->lock);
	pinned = d->vcpus[0].pinned;
	set = d->vcpus[0].affinity;
	pthread_mutex_unlock(&d->lock);
	if (pinned)
		apply_affinity(d, pid, &set);
}

int dsched_set(struct domain *d, uint32_t weight, uint32_t cap)
{
	int r;

	if (weight < 1 || weight > PVX_SCHED_WEIGHT_MAX ||
	    (uint64_t)cap > 100ull * d->nr_vcpus)
		return -EINVAL;
	if (!d->sched_cg)
		return -EOPNOTSUPP;
	r = cg_dom_set(&host, d->domid, weight, cap);
	if (r < 0)
		return r;
	d->sched_weight = weight;
	d->sched_cap = cap;
	dlog(d, LOG_INFO, "sched: weight %u cap %u", weight, cap);
	return 0;
}

static int set_one(struct domain *d, unsigned i, const cpu_set_t *set)
{
	struct vcpu *v = &d->vcpus[i];
	int tid, pid = 0;

	pthread_mutex_lock(&d->lock);
	v->affinity = *set;
	v->pinned = true;
	tid = v->tid;
	pthread_mutex_unlock(&d->lock);
	if (tid > 0 && sched_setaffinity(tid, sizeof(*set), set) < 0)
		return -errno;
	if (i == 0 && d->plat->guest_pid)
		pid = d->plat->guest_pid(d);
	if (pid > 0 && sched_setaffinity(pid, sizeof(*set), set) < 0 && errno != ESRCH)
		return -errno;
	return 0;
}

int dsched_set_affinity(struct domain *d, uint32_t vcpu, const cpu_set_t *set)
{
	int r = 0;

	if (vcpu != PVX_VCPU_ALL && vcpu >= d->nr_vcpus)
		return -EINVAL;
	for (unsigned i = 0; i < d->nr_vcpus && r == 0; i++)
		if (vcpu == PVX_VCPU_ALL || vcpu == i)
			r = set_one(d, i, set);
	return r;
}
