/*
 * pvx vcpu-pin DOMAIN VCPU|all CPUS: hard affinity as xl sets it; CPUS
 * in xl's list syntax ("0-3,5", "all", "^2" removes). Works with or
 * without a cgroup controller (sched_setaffinity on the host).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pvx/config.h>
#include <pvx/ctlclient.h>

#include "cmd.h"

static int parse_vcpu(const char *s, uint32_t *out)
{
	char *end;
	unsigned long v;

	if (!strcmp(s, "all")) {
		*out = PVX_VCPU_ALL;
		return 0;
	}
	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (*end || errno || v >= PVX_MAX_VCPUS)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

int cmd_vcpu_pin(int argc, char **argv)
{
	uint64_t map[PVX_CPULIST_WORDS];
	struct pvx_ctl_dominfo info;
	struct pvx_ctl *c;
	char why[200];
	uint32_t vcpu;
	int32_t domid;
	int rc;

	if (argc != 4)
		return pvx_usage_err("vcpu-pin", "expected DOMAIN VCPU|all CPUS");
	if (parse_vcpu(argv[2], &vcpu) < 0)
		return pvx_usage_err("vcpu-pin", "'%s' is not a vCPU number or 'all'", argv[2]);
	if (pvx_cpulist_parse(argv[3], map, why, sizeof(why)) < 0)
		return pvx_usage_err("vcpu-pin", "%s", why);
	c = pvx_connect();
	if (!c)
		return 1;
	rc = pvx_resolve(c, argv[1], &domid);
	if (rc == 0) {
		rc = pvx_ctl_info(c, domid, &info);
		if (rc == 0 && vcpu != PVX_VCPU_ALL && vcpu >= info.vcpus) {
			pvx_err("'%s' has no vCPU %u (it has %u)", argv[1], vcpu, info.vcpus);
			rc = -EINVAL;
		} else if (rc == 0) {
			rc = pvx_ctl_vcpu_affinity(c, domid, vcpu, map);
			if (rc == -EINVAL)
				pvx_err("'%s' names no CPU of this host", argv[3]);
			else if (rc < 0)
				pvx_err("cannot pin '%s': %s", argv[1], strerror(-rc));
		} else {
			pvx_err("cannot read '%s': %s", argv[1], strerror(-rc));
		}
	}
	pvx_ctl_close(c);
	return rc < 0;
}
