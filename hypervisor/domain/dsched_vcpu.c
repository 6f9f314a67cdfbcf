/*
 * dsched_vcpu: what `pvx vcpu-list` shows of a vCPU (state, the host CPU
 * it last ran on, CPU time, affinity) and the control protocol's CPU
 * map <-> cpu_set_t. Read from /proc and sched_getaffinity, so it works
 * with or without cgroups.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dom.h"
#include "dsched.h"

/* Field 39 of /proc/.../stat: the CPU the task last ran on. */
static int last_cpu(int pid, int tid)
{
	char path[64], buf[1024], *p;
	FILE *f;
	int cpu = -1, field = 2;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", pid, tid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	p = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
	fclose(f);
	while (p && (p = strchr(p + 1, ' ')))
		if (++field == 39) {
			cpu = atoi(p + 1);
			break;
		}
	return cpu;
}

static int vcpu_task(struct domain *d, unsigned i, int *pid, int *tid)
{
	int gp = i == 0 && d->plat->guest_pid ? d->plat->guest_pid(d) : 0;

	*pid = gp > 0 ? gp : getpid();
	pthread_mutex_lock(&d->lock);
	*tid = gp > 0 ? gp : d->vcpus[i].tid;
	pthread_mutex_unlock(&d->lock);
	return *tid;
}

void dsched_vcpu_info(struct domain *d, unsigned i, struct pvx_ctl_vcpuinfo *out)
{
	struct vcpu *v = &d->vcpus[i];
	cpu_set_t set;
	bool running, paused;
	int pid, tid;

	memset(out, 0, sizeof(*out));
	out->vcpu = i;
	pthread_mutex_lock(&d->lock);
	running = d->state == PVX_DOM_RUNNING;
	paused = d->state == PVX_DOM_PAUSED || d->paused;
	pthread_mutex_unlock(&d->lock);
	if (running && !(d->pv && i > 0)) /* pv: one process runs vCPU 0 */
		out->flags |= PVX_VCPU_ONLINE;
	if (paused)
		out->flags |= PVX_VCPU_PAUSED;
	else if (__atomic_load_n(&v->blocked, __ATOMIC_RELAXED))
		out->flags |= PVX_VCPU_BLOCKED;
	else if (out->flags & PVX_VCPU_ONLINE)
		out->flags |= PVX_VCPU_RUNNING;
	out->cpu = vcpu_task(d, i, &pid, &tid) > 0 ? last_cpu(pid, tid) : -1;
	out->cpu_time_ns = vcpu_cpu_ns(v);
	if (i == 0 && d->plat->guest_cpu_ns)
		out->cpu_time_ns += d->plat->guest_cpu_ns(d);
	CPU_ZERO(&set);
	if (tid <= 0 || sched_getaffinity(tid, sizeof(set), &set) < 0) {
		pthread_mutex_lock(&d->lock);
		if (v->pinned)
			set = v->affinity;
		pthread_mutex_unlock(&d->lock);
		if (!CPU_COUNT(&set))
			sched_getaffinity(0, sizeof(set), &set);
	}
	dsched_set_to_map(&set, out->cpumap);
}

int dsched_map_to_set(const uint64_t map[PVX_CPUMAP_WORDS], cpu_set_t *set)
{
	cpu_set_t online;

	CPU_ZERO(set);
	for (unsigned b = 0; b < PVX_CPUMAP_BITS && b < CPU_SETSIZE; b++)
		if (map[b / 64] >> (b % 64) & 1)
			CPU_SET(b, set);
	if (sched_getaffinity(getpid(), sizeof(online), &online) == 0)
		CPU_AND(&online, &online, set);
	else
		online = *set;
	return CPU_COUNT(&online) ? 0 : -EINVAL;
}

void dsched_set_to_map(const cpu_set_t *set, uint64_t map[PVX_CPUMAP_WORDS])
{
	memset(map, 0, PVX_CPUMAP_WORDS * sizeof(uint64_t));
	for (unsigned b = 0; b < PVX_CPUMAP_BITS && b < CPU_SETSIZE; b++)
		if (CPU_ISSET(b, set))
			map[b / 64] |= 1ull << (b % 64);
}
