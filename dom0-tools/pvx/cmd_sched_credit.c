/*
 * pvx sched-credit [-d DOMAIN] [-w WEIGHT] [-c CAP], xl's: with -w or -c
 * set them on DOMAIN (the other stays); otherwise print "Name ID Weight
 * Cap" for DOMAIN, or for every domain without -d.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pvx/ctlclient.h>

#include "cmd.h"
#include "cmd_sched.h"

struct sc_opts {
	const char *dom;
	uint32_t weight, cap;
	bool set_w, set_c;
};

static int parse(int argc, char **argv, struct sc_opts *o)
{
	char why[160];
	int opt;

	optind = 0;
	while ((opt = getopt(argc, argv, "+d:w:c:")) != -1) {
		if (opt == 'd') {
			o->dom = optarg;
		} else if (opt == 'w') {
			if (pvx_sched_parse_weight(optarg, &o->weight, why, sizeof(why)) < 0)
				return pvx_usage_err("sched-credit", "%s", why);
			o->set_w = true;
		} else if (opt == 'c') {
			if (pvx_sched_parse_cap(optarg, &o->cap, why, sizeof(why)) < 0)
				return pvx_usage_err("sched-credit", "%s", why);
			o->set_c = true;
		} else {
			return pvx_opt_err("sched-credit", "d:w:c:", argv);
		}
	}
	if (optind != argc)
		return pvx_usage_err("sched-credit", "unexpected argument '%s'", argv[optind]);
	if ((o->set_w || o->set_c) && !o->dom)
		return pvx_usage_err("sched-credit", "-w and -c need -d DOMAIN");
	return 0;
}

static int row(struct pvx_ctl *c, const struct pvx_ctl_dominfo *d)
{
	struct pvx_ctl_sched s;
	int rc = pvx_ctl_sched_get(c, d->domid, &s);

	if (rc == -ENOENT || rc == -ESRCH)
		return 0; /* gone meanwhile */
	if (rc < 0) {
		pvx_err("cannot read the scheduling of '%s': %s", d->name, strerror(-rc));
		return rc;
	}
	printf("%-32s %5d %6u %4u\n", d->name, d->domid, s.weight, s.cap);
	return 0;
}

static int set(struct pvx_ctl *c, int32_t domid, const struct sc_opts *o)
{
	struct pvx_ctl_dominfo info;
	struct pvx_ctl_sched s;
	int rc = pvx_ctl_sched_get(c, domid, &s);

	if (rc == 0)
		rc = pvx_ctl_info(c, domid, &info);
	if (rc == 0)
		rc = pvx_ctl_sched_set(c, domid, o->set_w ? o->weight : s.weight,
				       o->set_c ? o->cap : s.cap);
	if (rc == -EOPNOTSUPP)
		pvx_err("sched-credit: %s", PVX_SCHED_NO_CGROUP_MSG);
	else if (rc == -EINVAL)
		pvx_err("cap %u is more than 100 per vCPU ('%s' has %u)", o->cap,
			o->dom, info.vcpus);
	else if (rc < 0)
		pvx_err("cannot set the scheduling of '%s': %s", o->dom, strerror(-rc));
	return rc;
}

int cmd_sched_credit(int argc, char **argv)
{
	struct sc_opts o = { 0 };
	struct pvx_ctl_dominfo *v = NULL, one;
	struct pvx_ctl *c;
	int32_t domid;
	size_t n = 0;
	int rc;

	rc = parse(argc, argv, &o);
	if (rc)
		return rc;
	c = pvx_connect();
	if (!c)
		return 1;
	if (o.dom && pvx_resolve(c, o.dom, &domid) < 0) {
		pvx_ctl_close(c);
		return 1;
	}
	if (o.set_w || o.set_c) {
		rc = set(c, domid, &o);
	} else {
		rc = o.dom ? pvx_ctl_info(c, domid, &one) : pvx_ctl_list(c, &v, &n);
		if (rc < 0)
			pvx_err("cannot list domains: %s", strerror(-rc));
		else
			printf("%-32s %5s %6s %4s\n", "Name", "ID", "Weight", "Cap");
		for (size_t i = 0; rc == 0 && i < (o.dom ? 1 : n); i++)
			rc = row(c, o.dom ? &one : &v[i]);
		free(v);
	}
	pvx_ctl_close(c);
	return rc < 0;
}
