/*
 * Helpers of the scheduling commands: number checks with xl's ranges,
 * and applying a config's cpu_weight / cap / cpus to a new domain.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pvx/config.h>
#include <pvx/ctlclient.h>

#include "cmd_sched.h"

static int parse_u32(const char *s, uint64_t max, uint32_t *out)
{
	char *end;
	unsigned long long v;

	if (!*s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end || errno || v > max)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

int pvx_sched_parse_weight(const char *s, uint32_t *out, char *why, size_t len)
{
	if (parse_u32(s, PVX_SCHED_WEIGHT_MAX, out) < 0 || *out == 0) {
		snprintf(why, len, "weight must be 1 to %d, not '%s'",
			 PVX_SCHED_WEIGHT_MAX, s);
		return -EINVAL;
	}
	return 0;
}

int pvx_sched_parse_cap(const char *s, uint32_t *out, char *why, size_t len)
{
	if (parse_u32(s, 100ull * PVX_MAX_VCPUS, out) < 0) {
		snprintf(why, len, "cap must be 0 (none) to 100 per vCPU, not '%s'", s);
		return -EINVAL;
	}
	return 0;
}

static int apply(struct pvx_ctl *c, int32_t domid, const struct pvx_config *cfg,
		 char *err, size_t errlen)
{
	uint64_t map[PVX_CPULIST_WORDS];
	int rc;

	if (cfg->have_sched) {
		rc = pvx_ctl_sched_set(c, domid, cfg->cpu_weight, cfg->cap);
		if (rc == -EOPNOTSUPP)
			snprintf(err, errlen, "cpu_weight/cap: %s", PVX_SCHED_NO_CGROUP_MSG);
		else if (rc == -EINVAL)
			snprintf(err, errlen, "cap %u is more than 100 per vCPU (%u vCPUs)",
				 cfg->cap, cfg->vcpus);
		else if (rc < 0)
			snprintf(err, errlen, "cannot set weight and cap: %s", strerror(-rc));
		if (rc < 0)
			return rc;
	}
	if (!cfg->cpus)
		return 0;
	rc = pvx_cpulist_parse(cfg->cpus, map, err, errlen);
	if (rc == 0) {
		rc = pvx_ctl_vcpu_affinity(c, domid, PVX_VCPU_ALL, map);
		if (rc < 0)
			snprintf(err, errlen, "cpus=\"%s\": %s", cfg->cpus, rc == -EINVAL ?
				 "no CPU of this host in the list" : strerror(-rc));
	}
	return rc;
}

int pvx_sched_apply_config(int32_t domid, const struct pvx_config *cfg,
			   char *err, size_t errlen)
{
	struct pvx_ctl *c;
	int rc;

	if (!cfg || (!cfg->have_sched && !cfg->cpus))
		return 0;
	rc = pvx_ctl_open(&c);
	if (rc < 0) {
		pvx_ctl_open_error(rc, err, errlen);
		return rc;
	}
	rc = apply(c, domid, cfg, err, errlen);
	pvx_ctl_close(c);
	return rc;
}
