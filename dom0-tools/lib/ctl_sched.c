/*
 * libpvxctl: the scheduling ops (pvx/ctl.h): weight and cap, vCPU
 * affinity, per-vCPU info. Replies of the wrong size are -EPROTO.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <pvx/ctlclient.h>

int pvx_ctl_sched_get(struct pvx_ctl *c, int32_t domid, struct pvx_ctl_sched *out)
{
	uint32_t got = 0;
	int rc = pvx_ctl_call(c, PVX_CTL_SCHED_GET, domid, NULL, 0, out,
			      sizeof(*out), &got, NULL, 0, NULL);

	return rc == 0 && got != sizeof(*out) ? -EPROTO : rc;
}

int pvx_ctl_sched_set(struct pvx_ctl *c, int32_t domid, uint32_t weight, uint32_t cap)
{
	struct pvx_ctl_sched req = { .weight = weight, .cap = cap };
	uint32_t got = 0;

	return pvx_ctl_call(c, PVX_CTL_SCHED_SET, domid, &req, sizeof(req), NULL,
			    0, &got, NULL, 0, NULL);
}

int pvx_ctl_vcpu_affinity(struct pvx_ctl *c, int32_t domid, uint32_t vcpu,
			  const uint64_t cpumap[PVX_CPUMAP_WORDS])
{
	struct pvx_ctl_vcpu_affinity req = { .vcpu = vcpu };
	uint32_t got = 0;

	memcpy(req.cpumap, cpumap, sizeof(req.cpumap));
	return pvx_ctl_call(c, PVX_CTL_VCPU_AFFINITY, domid, &req, sizeof(req),
			    NULL, 0, &got, NULL, 0, NULL);
}

int pvx_ctl_vcpu_info(struct pvx_ctl *c, int32_t domid,
		      struct pvx_ctl_vcpuinfo **out, size_t *n)
{
	size_t cap = PVX_MAX_VCPUS * sizeof(struct pvx_ctl_vcpuinfo);
	struct pvx_ctl_vcpuinfo *v = malloc(cap);
	uint32_t got = 0;
	int rc;

	if (!v)
		return -ENOMEM;
	rc = pvx_ctl_call(c, PVX_CTL_VCPU_INFO, domid, NULL, 0, v, (uint32_t)cap,
			  &got, NULL, 0, NULL);
	if (rc == 0 && got % sizeof(*v))
		rc = -EPROTO;
	if (rc < 0) {
		free(v);
		return rc;
	}
	*out = v;
	*n = got / sizeof(*v);
	return 0;
}
