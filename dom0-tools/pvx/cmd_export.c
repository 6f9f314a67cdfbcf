/*
 * pvx export [--with-state] [--config FILE] DOMAIN|CONFIG BUNDLE
 *
 * A DOMAIN's config is the one `pvx create` kept for it (save_cfg.c),
 * or --config FILE.
 * Writes a bundle (bundle.h, docs/export.md): the config with its paths
 * made relative to the bundle, the kernel (and ramdisk), every disk
 * image (sparse) and, with --with-state, the running domain's saved
 * state. For a consistent state and disks the domain stays suspended
 * while its disks are copied and is then resumed: it keeps running,
 * as after `pvx save -c`. The bundle appears under its name only once
 * complete (written as BUNDLE.tmp.PID, then renamed).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <pvx/config.h>
#include <pvx/ctlclient.h>

#include "bundle.h"
#include "cmd.h"
#include "save.h"
#include "save_ctl.h"

struct ex {
	const char *src, *bundle, *config;
	bool with_state;
	struct pvx_config cfg;
	char *orig_kernel, *orig_ramdisk, **orig_disks;
	struct pvx_ctl *ctl;
	int32_t domid;
	bool suspended;
	char tmp[4096], state_tmp[4096];
};

static const struct option ex_longopts[] = {
	{ "with-state", no_argument, NULL, 's' },
	{ "config", required_argument, NULL, 'c' },
	{ NULL, 0, NULL, 0 },
};

static int ex_parse(int argc, char **argv, struct ex *x)
{
	struct stat st;
	int opt;

	optind = 0;
	while ((opt = getopt_long(argc, argv, "+sc:", ex_longopts, NULL)) != -1) {
		if (opt == 's')
			x->with_state = true;
		else if (opt == 'c')
			x->config = optarg;
		else
			return pvx_opt_err("export", "sc:", argv);
	}
	if (argc - optind != 2)
		return pvx_usage_err("export", "need DOMAIN|CONFIG and BUNDLE");
	x->src = argv[optind];
	x->bundle = argv[optind + 1];
	if (!x->config && stat(x->src, &st) == 0 && S_ISREG(st.st_mode))
		x->config = x->src; /* a config file; its domain for --with-state */
	return 0;
}

/* A domain's config: the one `pvx create` (or restore) kept for it. */
static int ex_kept_config(struct ex *x, char *err, size_t errlen)
{
	struct pvx_ctl_dominfo d;
	char *text = NULL;
	size_t len = 0;
	int rc;

	x->ctl = pvx_connect();
	if (!x->ctl)
		return -ENOTCONN;
	if (pvx_resolve(x->ctl, x->src, &x->domid))
		return -ESRCH;
	rc = pvx_ctl_info(x->ctl, x->domid, &d);
	if (rc == 0)
		rc = pvx_cfgkeep_read(d.uuid, &text, &len);
	if (rc) {
		snprintf(err, errlen, "no kept config for '%s' (%s): name it with "
			 "--config FILE", x->src, strerror(-rc));
		return rc;
	}
	rc = pvx_config_parse_string(&x->cfg, x->src, text, len, err, errlen,
				     NULL, NULL);
	free(text);
	return rc;
}

static char *ex_base(const char *dirpart, const char *path)
{
	char *copy = strdup(path), *out = NULL;

	if (copy && asprintf(&out, "%s/%s", dirpart, basename(copy)) < 0)
		out = NULL;
	free(copy);
	return out;
}

/* The config as the bundle holds it: kernel, ramdisk and disks point
 * into the bundle's own directories; originals kept for copying. */
static int ex_rewrite(struct ex *x)
{
	struct pvx_config *c = &x->cfg;

	x->orig_kernel = c->kernel;
	c->kernel = c->kernel ? ex_base("boot", c->kernel) : NULL;
	x->orig_ramdisk = c->ramdisk;
	c->ramdisk = c->ramdisk ? ex_base("boot", c->ramdisk) : NULL;
	x->orig_disks = calloc(c->nr_disks + 1, sizeof(char *));
	if (!x->orig_disks)
		return -ENOMEM;
	for (size_t i = 0; i < c->nr_disks; i++) {
		x->orig_disks[i] = c->disks[i].target;
		if (asprintf(&c->disks[i].target, "disks/%s.img", c->disks[i].vdev) < 0)
			return -ENOMEM;
	}
	return 0;
}

/* Saved into a file next to the bundle; the domain stays suspended
 * until its disks are in the bundle. */
static int ex_save(struct ex *x)
{
	struct pvx_save_opts so = { .max_downtime_ms = 60, .max_rounds = 1 };
	struct pvx_mig_stats st;
	int fd, rc;

	if (!x->ctl)
		x->ctl = pvx_connect();
	if (!x->ctl)
		return -ENOTCONN;
	if (x->domid < 0 &&
	    pvx_resolve(x->ctl, x->src == x->config ? x->cfg.name : x->src, &x->domid))
		return -ESRCH;
	snprintf(x->state_tmp, sizeof(x->state_tmp), "%s.state.%d", x->bundle, getpid());
	fd = open(x->state_tmp, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		pvx_err("export: %s: %s", x->state_tmp, strerror(errno));
		return -errno;
	}
	rc = pvx_save_fd(x->ctl, x->domid, fd, &so, &st);
	x->suspended = rc == 0;
	if (close(fd) && rc == 0)
		rc = -EIO;
	if (rc)
		pvx_err("export: saving the state of '%s' failed: %s", x->src,
			strerror(-rc));
	return rc;
}

static void ex_resume(struct ex *x)
{
	uint32_t len = 0;
	int nfds = 0, rc;

	if (!x->suspended)
		return;
	x->suspended = false;
	rc = pvx_ctl_call(x->ctl, PVX_CTL_RESUME, x->domid, NULL, 0, NULL, 0, &len,
			  NULL, 0, &nfds);
	if (rc)
		pvx_err("export: cannot resume '%s': %s", x->src, strerror(-rc));
}

static int ex_members(struct ex *x, struct pvx_bundle_w *b)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int rc;

	if (!f)
		return -ENOMEM;
	rc = pvx_config_dump(&x->cfg, f);
	fclose(f);
	if (rc == 0)
		rc = pvx_bundle_add_buf(b, "domain.cfg", text, len);
	free(text);
	if (rc == 0 && x->orig_kernel)
		rc = pvx_bundle_add_file(b, x->orig_kernel, x->cfg.kernel);
	if (rc == 0 && x->orig_ramdisk)
		rc = pvx_bundle_add_file(b, x->orig_ramdisk, x->cfg.ramdisk);
	for (size_t i = 0; rc == 0 && i < x->cfg.nr_disks; i++)
		rc = pvx_bundle_add_file(b, x->orig_disks[i], x->cfg.disks[i].target);
	if (rc == 0 && x->with_state)
		rc = pvx_bundle_add_file(b, x->state_tmp, "state");
	return rc;
}

static int ex_run(struct ex *x)
{
	struct pvx_bundle_w b;
	char err[512];
	int rc = x->config ?
		pvx_config_parse_file(&x->cfg, x->config, err, sizeof(err), NULL, NULL) :
		ex_kept_config(x, err, sizeof(err));

	if (rc == -ENOTCONN || rc == -ESRCH)
		return rc; /* already said */
	if (rc) {
		pvx_err("export: %s", err);
		return rc;
	}
	rc = ex_rewrite(x);
	if (rc == 0 && x->with_state)
		rc = ex_save(x);
	if (rc)
		return rc;
	snprintf(x->tmp, sizeof(x->tmp), "%s.tmp.%d", x->bundle, getpid());
	rc = pvx_bundle_open(&b, x->tmp);
	if (rc)
		return rc;
	rc = ex_members(x, &b);
	ex_resume(x); /* disks copied: the domain may write again */
	if (rc) {
		pvx_bundle_abort(&b);
		return rc;
	}
	rc = pvx_bundle_close(&b);
	if (rc == 0 && rename(x->tmp, x->bundle)) {
		rc = -errno;
		pvx_err("export: %s: %s", x->bundle, strerror(errno));
	}
	return rc;
}

int cmd_export(int argc, char **argv)
{
	struct ex x = { .domid = -1 };
	int rc = ex_parse(argc, argv, &x);

	if (rc)
		return rc;
	pvx_config_init(&x.cfg);
	rc = ex_run(&x);
	ex_resume(&x);
	if (x.tmp[0])
		unlink(x.tmp);
	if (x.state_tmp[0])
		unlink(x.state_tmp);
	free(x.orig_kernel);
	free(x.orig_ramdisk);
	for (size_t i = 0; x.orig_disks && i < x.cfg.nr_disks; i++)
		free(x.orig_disks[i]);
	free(x.orig_disks);
	pvx_config_dispose(&x.cfg);
	if (x.ctl)
		pvx_ctl_close(x.ctl);
	return rc != 0;
}
