/*
 * pvx vcpu-list [DOMAIN ...]: xl's table, one row per vCPU:
 * Name ID VCPU CPU State Time(s) Affinity. State is xl's three letters
 * (r running, b blocked, p paused; "---" offline); CPU is where the vCPU
 * last ran ("-" when offline); Affinity in xl's list syntax.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pvx/config.h>
#include <pvx/ctlclient.h>

#include "cmd.h"

static void state_letters(uint32_t f, char out[4])
{
	strcpy(out, "---");
	if (f & PVX_VCPU_RUNNING)
		out[0] = 'r';
	if (f & PVX_VCPU_BLOCKED)
		out[1] = 'b';
	if (f & PVX_VCPU_PAUSED)
		out[2] = 'p';
}

static int rows(struct pvx_ctl *c, const struct pvx_ctl_dominfo *d, unsigned ncpu)
{
	struct pvx_ctl_vcpuinfo *v;
	char st[4], cpu[16], aff[400];
	size_t n;
	int rc = pvx_ctl_vcpu_info(c, d->domid, &v, &n);

	if (rc < 0) {
		pvx_err("cannot read the vCPUs of '%s': %s", d->name, strerror(-rc));
		return rc;
	}
	for (size_t i = 0; i < n; i++) {
		state_letters(v[i].flags, st);
		if ((v[i].flags & PVX_VCPU_ONLINE) && v[i].cpu >= 0)
			snprintf(cpu, sizeof(cpu), "%d", v[i].cpu);
		else
			snprintf(cpu, sizeof(cpu), "-");
		pvx_cpulist_format(v[i].cpumap, ncpu, aff, sizeof(aff));
		printf("%-32s %5d %5u %5s %5s %9.1f  %s\n", d->name, d->domid,
		       v[i].vcpu, cpu, st, (double)v[i].cpu_time_ns / 1e9, aff);
	}
	free(v);
	return 0;
}

int cmd_vcpu_list(int argc, char **argv)
{
	struct pvx_ctl_dominfo *v = NULL;
	struct pvx_ctl *c;
	unsigned ncpu = (unsigned)sysconf(_SC_NPROCESSORS_CONF);
	size_t n = 0;
	int rc = 0;

	c = pvx_connect();
	if (!c)
		return 1;
	if (argc > 1) {
		v = calloc((size_t)argc - 1, sizeof(*v));
		for (int i = 1; v && rc == 0 && i < argc; i++) {
			int32_t domid;

			rc = pvx_resolve(c, argv[i], &domid);
			if (rc == 0)
				rc = pvx_ctl_info(c, domid, &v[n++]);
		}
		rc = v ? rc : -ENOMEM;
	} else {
		rc = pvx_ctl_list(c, &v, &n);
		if (rc < 0)
			pvx_err("cannot list domains: %s", strerror(-rc));
	}
	if (rc == 0)
		printf("%-32s %5s %5s %5s %5s %9s  %s\n", "Name", "ID", "VCPU", "CPU",
		       "State", "Time(s)", "Affinity");
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = rows(c, &v[i], ncpu);
	free(v);
	pvx_ctl_close(c);
	return rc != 0;
}
