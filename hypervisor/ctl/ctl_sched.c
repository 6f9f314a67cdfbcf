/*
 * ctl_sched: the scheduling control ops (pvx/ctl.h, docs/scheduling.md):
 * weight and cap, vCPU affinity, per-vCPU info for `pvx vcpu-list`.
 * Requests are checked here; dsched.c does the work.
 */
#include <errno.h>
#include <string.h>

#include "ctl.h"
#include "dom.h"
#include "dsched.h"

int ctl_sched_get(struct ctl_req *rq, struct ctl_reply *rep)
{
	struct pvx_ctl_sched *s = (void *)rep->buf;

	memset(s, 0, sizeof(*s));
	s->weight = rq->dom->sched_weight;
	s->cap = rq->dom->sched_cap;
	s->cgroup = rq->dom->sched_cg ? dsched_cgroup_mode() : PVX_SCHED_NO_CGROUP;
	rep->len = sizeof(*s);
	return 0;
}

int ctl_sched_set(struct ctl_req *rq, struct ctl_reply *rep)
{
	struct pvx_ctl_sched s;

	(void)rep;
	memcpy(&s, rq->payload, sizeof(s));
	if (s.cgroup || s.pad)
		return -EINVAL;
	return dsched_set(rq->dom, s.weight, s.cap);
}

int ctl_vcpu_affinity(struct ctl_req *rq, struct ctl_reply *rep)
{
	struct pvx_ctl_vcpu_affinity a;
	cpu_set_t set;
	int r;

	(void)rep;
	memcpy(&a, rq->payload, sizeof(a));
	if (a.pad)
		return -EINVAL;
	r = dsched_map_to_set(a.cpumap, &set);
	if (r < 0)
		return r;
	return dsched_set_affinity(rq->dom, a.vcpu, &set);
}

int ctl_vcpu_info(struct ctl_req *rq, struct ctl_reply *rep)
{
	struct domain *d = rq->dom;
	struct pvx_ctl_vcpuinfo *out = (void *)rep->buf;

	for (unsigned i = 0; i < d->nr_vcpus && i < PVX_MAX_VCPUS; i++)
		dsched_vcpu_info(d, i, &out[i]);
	rep->len = (uint32_t)(d->nr_vcpus * sizeof(*out));
	return 0;
}
