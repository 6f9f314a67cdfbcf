/*
 * pvx create [-c] [-p] [-n] [-q] [-F|-e] FILE [key=value ...]
 *
 * Parse the config (file, then overrides, last wins), build the domain
 * paused (builder.h), subscribe to its events, unpause it, then hand it
 * to its monitor: a forked, detached process (or this one with -F) that
 * applies on_poweroff/on_reboot/on_crash. The subscription exists
 * before the first unpause, so the monitor cannot miss an early crash;
 * it covers this domain only, so monitors cost nothing when other
 * domains change. -e: no monitor (xl's -e).
 * pvx-consoled is told about the domain while it is still paused, so no
 * console output is lost (create_hooks.c). The builder picks the domain
 * type (the config's, else what kernel and host both run, domtype.c);
 * create says which and why in one line, unless -q.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pvx/builder.h>
#include <pvx/config.h>
#include <pvx/ctlclient.h>
#include <pvx/domtype.h>

#include "cmd.h"
#include "cmd_network.h"
#include "create.h"
#include "save_ctl.h"

static int parse_opts(int argc, char **argv, struct create_opts *o)
{
	static const struct option lopts[] = {
		{ "dry-run", no_argument, NULL, 'n' }, { "dryrun", no_argument, NULL, 'n' },
		{ "quiet", no_argument, NULL, 'q' }, { NULL, 0, NULL, 0 },
	};
	int opt;

	optind = 0;
	while ((opt = getopt_long(argc, argv, "+cpnqFe", lopts, NULL)) != -1) {
		switch (opt) {
		case 'c': o->console = true; break;
		case 'p': o->paused = true; break;
		case 'n': o->dry_run = true; break;
		case 'q': o->quiet = true; break;
		case 'F': o->foreground = true; break;
		case 'e': o->no_monitor = true; break;
		default: return pvx_opt_err("create", "cpnqFe", argv);
		}
	}
	if (optind >= argc)
		return pvx_usage_err("create", "missing config FILE");
	o->file = argv[optind];
	o->overrides = argv + optind + 1;
	o->noverrides = argc - optind - 1;
	return 0;
}

static void warn_cb(const char *line, void *opaque)
{
	const struct create_opts *o = opaque;

	if (!o->quiet)
		fprintf(stderr, "pvx: warning: %s\n", line);
}

static int load_config(struct create_opts *o, struct pvx_config *cfg)
{
	char err[512];
	int rc = pvx_config_parse_file(cfg, o->file, err, sizeof(err), warn_cb, o);

	for (int i = 0; rc == 0 && i < o->noverrides; i++)
		rc = pvx_config_override(cfg, o->overrides[i], err, sizeof(err));
	if (rc == 0)
		rc = pvx_config_validate(cfg, err, sizeof(err));
	if (rc < 0)
		pvx_err("%s", err);
	return rc;
}

/* Subscribes to the new (still paused) domain's events for its monitor,
 * then starts it: the monitor cannot miss even an instant crash. */
static int start(struct create_opts *o, struct pvx_ctl *ctl, struct pvx_ctl **sub,
		 int32_t domid)
{
	int rc = 0;

	if (!o->no_monitor) {
		*sub = pvx_connect();
		rc = *sub ? pvx_ctl_subscribe_dom(*sub, domid) : -ENOTCONN;
		if (rc < 0 && *sub)
			pvx_err("cannot subscribe to domain events: %s", strerror(-rc));
	}
	if (rc == 0 && !o->paused) {
		rc = pvx_ctl_unpause(ctl, domid);
		if (rc < 0)
			pvx_err("cannot unpause domain %d: %s", domid, strerror(-rc));
	}
	return rc;
}

static int build(struct create_opts *o, const struct pvx_config *cfg,
		 struct pvx_ctl **ctl, struct pvx_ctl **sub, int32_t *domid)
{
	struct pvx_build_opts bo = { .paused = true };
	struct pvx_build_result r;
	char err[512];
	int rc;

	*ctl = pvx_connect();
	if (!*ctl)
		return -ENOTCONN;
	pvx_create_hooks(&bo, o);
	rc = pvx_build_domain(*ctl, cfg, &bo, &r, err, sizeof(err));
	if (rc < 0) {
		pvx_err("%s", err);
		return rc;
	}
	rc = start(o, *ctl, sub, r.domid);
	if (rc < 0) {
		pvx_ctl_destroy(*ctl, r.domid); /* leave nothing behind */
		bo.on_destroy(r.domid, bo.opaque);
		return rc;
	}
	*domid = r.domid;
	if (!o->quiet)
		printf("pvx: type = %s (%s)\n", pvx_type_name(r.type), r.type_why);
	if (!o->quiet)
		printf("Created domain %s (id %d)%s\n", cfg->name, r.domid,
		       o->paused ? ", paused" : "");
	fflush(stdout);
	return 0;
}

int cmd_create(int argc, char **argv)
{
	struct create_opts o = { 0 };
	struct pvx_config cfg;
	struct pvx_ctl *ctl = NULL, *sub = NULL;
	int32_t domid = -1;
	int rc = parse_opts(argc, argv, &o);

	if (rc)
		return rc;
	pvx_config_init(&cfg);
	o.cfg = &cfg;
	rc = load_config(&o, &cfg);
	if (rc == 0 && o.dry_run) {
		rc = pvx_config_dump(&cfg, stdout);
		goto out;
	}
	/* Generated once here, the MACs survive the monitor's restarts. */
	if (rc == 0 && pvx_net_fill_macs(&cfg) < 0) {
		pvx_err("cannot generate the vifs' MACs");
		rc = -EIO;
	}
	/* Fixed once too, so restarts keep it and `pvx save` finds the
	 * config kept under it (save_cfg.c). */
	if (rc == 0 && !cfg.have_uuid) {
		pvx_uuid_random(cfg.uuid);
		cfg.have_uuid = true;
	}
	if (rc == 0) {
		/* Ctrl-C between create and the monitor's fork would strand a
		 * half-built domain: hold such signals for those milliseconds
		 * (the forked monitor starts with them unblocked). */
		sigset_t hold, old;
		sigemptyset(&hold);
		sigaddset(&hold, SIGINT);
		sigaddset(&hold, SIGTERM);
		sigaddset(&hold, SIGHUP);
		sigaddset(&hold, SIGQUIT);
		sigprocmask(SIG_BLOCK, &hold, &old);
		rc = build(&o, &cfg, &ctl, &sub, &domid);
		if (rc == 0 && pvx_create_keep(&cfg, ctl, domid) < 0 && !o.quiet)
			pvx_err("warning: cannot keep the config of '%s': it cannot be saved",
				cfg.name);
		if (rc == 0 && !o.no_monitor)
			rc = pvx_create_monitor(&o, &cfg, &ctl, &sub, domid, &old);
		sigprocmask(SIG_SETMASK, &old, NULL);
	}
	if (rc == 0 && o.console)
		rc = pvx_create_console(cfg.name);
out:
	pvx_ctl_close(sub);
	pvx_ctl_close(ctl);
	pvx_config_dispose(&cfg);
	return rc < 0 ? 1 : rc;
}
