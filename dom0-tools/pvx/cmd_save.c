/*
 * pvx save [-c] [--live [--max-downtime MS] [--max-rounds N]] [--json] DOMAIN FILE
 *
 * Suspends the domain (cooperatively: the guest must answer), writes
 * its migration stream to FILE (save_file.c: never a partial FILE), then
 * destroys it, or with -c (checkpoint) resumes it: it keeps running and
 * FILE restores to the moment of the save. A failed save leaves the
 * domain running as before. `--live` pre-copies memory while the guest
 * runs first (shorter suspension, larger file), with migrate's limits.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pvx/builder.h>
#include <pvx/ctlclient.h>

#include "cmd.h"
#include "save.h"
#include "save_ctl.h"
#include "save_file.h"
#include "wait.h"

static void finish_save(struct pvx_ctl *c, int32_t domid, const uint8_t uuid[16])
{
	int32_t ids[1] = { domid };
	struct pvx_ctl *sub = pvx_wait_open();

	pvx_ctl_destroy(c, domid);
	pvx_xs_domain_remove(domid);
	pvx_cfgkeep_remove(uuid);
	/* The name is free once the domain is gone: a restore may follow. */
	if (sub)
		pvx_wait_doms(sub, c, ids, 1, PVX_WAIT_GONE, 10000);
	pvx_ctl_close(sub);
}

/* A positive integer up to max (the --max-* options, as migrate's). */
static int save_uint(const char *s, unsigned max, unsigned *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || end == s || v == 0 || v > max)
		return -EINVAL;
	*out = (unsigned)v;
	return 0;
}

int cmd_save(int argc, char **argv)
{
	enum { OPT_MAXDT = 256, OPT_ROUNDS };
	static const struct option lopts[] = {
		{ "json", no_argument, NULL, 'j' }, { "live", no_argument, NULL, 'l' },
		{ "checkpoint", no_argument, NULL, 'c' },
		{ "max-downtime", required_argument, NULL, OPT_MAXDT },
		{ "max-rounds", required_argument, NULL, OPT_ROUNDS },
		{ NULL, 0, NULL, 0 },
	};
	struct pvx_save_opts o = { .progress = true };
	struct pvx_mig_stats st;
	struct pvx_ctl_dominfo d;
	struct pvx_ctl *c = NULL;
	bool checkpoint = false, json = false;
	int32_t domid;
	int opt, rc;

	optind = 0;
	while ((opt = getopt_long(argc, argv, "+c", lopts, NULL)) != -1) {
		switch (opt) {
		case 'c': checkpoint = o.checkpoint = true; break;
		case 'j': json = true; break;
		case 'l': o.live = true; break;
		case OPT_MAXDT:
			if (save_uint(optarg, 600000, &o.max_downtime_ms))
				return pvx_usage_err("save", "bad --max-downtime '%s'", optarg);
			break;
		case OPT_ROUNDS:
			if (save_uint(optarg, 10000, &o.max_rounds))
				return pvx_usage_err("save", "bad --max-rounds '%s'", optarg);
			break;
		default: return pvx_opt_err("save", "c", argv);
		}
	}
	if (!o.live && (o.max_downtime_ms || o.max_rounds))
		return pvx_usage_err("save", "--max-downtime and --max-rounds need --live");
	if (argc - optind != 2)
		return pvx_usage_err("save", "expected DOMAIN FILE");
	c = pvx_connect();
	if (!c)
		return 1;
	rc = pvx_resolve(c, argv[optind], &domid);
	if (rc == 0 && (rc = pvx_ctl_info(c, domid, &d)) < 0)
		pvx_err("'%s': %s", argv[optind], strerror(-rc));
	if (rc == 0)
		rc = pvx_save_to_file(c, domid, argv[optind + 1], &o, &st);
	if (rc == 0 && checkpoint && (rc = pvx_save_resume(c, domid)) < 0)
		pvx_err("'%s' was saved to '%s' but did not resume: %s", d.name,
			argv[optind + 1], strerror(-rc));
	else if (rc == 0 && !checkpoint)
		finish_save(c, domid, d.uuid);
	if (rc == 0 && json)
		pvx_mig_stats_json(&st, domid, stdout);
	pvx_ctl_close(c);
	return rc < 0;
}
