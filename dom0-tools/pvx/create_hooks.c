/*
 * What `pvx create` asks of the other daemons while the new domain is
 * still paused: one row per daemon in `hooks`, run in order before the
 * first unpause (and again for each restart by the monitor). A hook
 * failing fails the build, which destroys the domain.
 *
 * pvx-consoled must be serving the console ring before the guest's
 * first instruction, so the console log is complete even for a guest
 * that dies at once (issue 3). xenstore gets the domain's /local/domain/<id> keys and an
 * XS_INTRODUCE (builder/xs_dom.c); a failed build removes them again.
 * Either daemon missing from the run directory is a warning, not an
 * error: the guest still runs, without that service. So is pvx-netback
 * missing: the vifs are in xenstore, and the guest's netfront waits in
 * Initialising until a pvx-netback starts and serves them.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <pvx/builder.h>
#include <pvx/config.h>
#include <pvx/consoled.h>

#include "cmd.h"
#include "cmd_block.h"
#include "cmd_network.h"
#include "cmd_sched.h"
#include "create.h"
#include "daemons.h"

static int consoled_hook(const struct pvx_build_result *r, const char *name,
			 const struct create_opts *o, char *err, size_t errlen)
{
	int rc;

	rc = pvx_consoled_add(r->domid, name);
	if (rc == -ENOENT || rc == -ECONNREFUSED) {
		/* No console daemon for this run dir: the guest still runs. */
		if (!o->quiet)
			fprintf(stderr, "pvx: warning: pvx-consoled is not running; "
				"the console of '%s' is not logged\n", name);
		return 0;
	}
	if (rc < 0) {
		snprintf(err, errlen, "pvx-consoled could not take the console of '%s': %s",
			 name, strerror(-rc));
		return rc;
	}
	return 0;
}

static int xenstore_hook(const struct pvx_build_result *r, const char *name,
			 const struct create_opts *o, char *err, size_t errlen)
{
	int rc = pvx_xs_domain_add(r, o->cfg, err, errlen);

	if (rc == 1 && !o->quiet)
		fprintf(stderr, "pvx: warning: pvxstored is not running; "
			"'%s' has no xenstore\n", name);
	return rc < 0 ? rc : 0;
}

/* Each `disk` entry becomes a vbd (cmd_block_dev.c) that pvx-blkback
 * serves; a stale backend tree left by an earlier domain with this id goes
 * first. */
static int disks_hook(const struct pvx_build_result *r, const char *name,
		      const struct create_opts *o, char *err, size_t errlen)
{
	(void)name;
	if (!o->cfg || o->cfg->nr_disks == 0)
		return 0;
	pvx_blk_remove_all(r->domid);
	for (size_t i = 0; i < o->cfg->nr_disks; i++) {
		int rc = pvx_blk_add(r->domid, &o->cfg->disks[i], err, errlen);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* Each `vif` entry becomes vif N (N = its place in the list), written B
 * then F (cmd_network_dev.c); a stale tree left by an earlier domain with
 * this id goes first. */
static int vifs_hook(const struct pvx_build_result *r, const char *name,
		     const struct create_opts *o, char *err, size_t errlen)
{
	char why[256];

	if (!o->cfg || o->cfg->nr_vifs == 0)
		return 0;
	pvx_net_remove_all(r->domid);
	for (size_t i = 0; i < o->cfg->nr_vifs; i++) {
		int rc = pvx_net_add(r->domid, (int)i, &o->cfg->vifs[i], why, sizeof(why));
		if (i == 0 && (rc == -ENOENT || rc == -ECONNREFUSED)) {
			/* No pvxstored (xenstore_hook said so): no vifs either. */
			if (!o->quiet)
				fprintf(stderr, "pvx: warning: no xenstore, so '%s' has no"
					" network interfaces\n", name);
			return 0;
		}
		if (rc < 0) {
			snprintf(err, errlen, "vif %zu of '%s': %s", i, name, why);
			return rc;
		}
	}
	if (!o->quiet && !pvx_daemon_running("pvx-netback"))
		fprintf(stderr, "pvx: warning: pvx-netback is not running; "
			"the vifs of '%s' stay unconnected until it starts\n", name);
	return 0;
}

/* cpu_weight, cap and cpus (docs/scheduling.md) before the first
 * instruction, so a CPU-bound guest never runs unweighted or unpinned. */
static int sched_hook(const struct pvx_build_result *r, const char *name,
		      const struct create_opts *o, char *err, size_t errlen)
{
	(void)name;
	return pvx_sched_apply_config(r->domid, o->cfg, err, errlen);
}

static void undo_hooks(int32_t domid, void *opaque)
{
	(void)opaque;
	pvx_blk_remove_all(domid);
	pvx_net_remove_all(domid);
	pvx_xs_domain_remove(domid);
}

static const struct {
	const char *what;
	int (*fn)(const struct pvx_build_result *r, const char *name,
		  const struct create_opts *o, char *err, size_t errlen);
} hooks[] = {
	{ "xenstore", xenstore_hook },
	{ "disks", disks_hook },
	{ "vifs", vifs_hook },
	{ "console", consoled_hook },
	{ "sched", sched_hook },
};

static int run_hooks(const struct pvx_build_result *r, const char *name, void *opaque,
		     char *err, size_t errlen)
{
	for (size_t i = 0; i < sizeof(hooks) / sizeof(hooks[0]); i++) {
		int rc = hooks[i].fn(r, name, opaque, err, errlen);
		if (rc < 0)
			return rc;
	}
	return 0;
}

void pvx_create_hooks(struct pvx_build_opts *bo, const struct create_opts *o)
{
	bo->pre_unpause = run_hooks;
	bo->on_destroy = undo_hooks;
	bo->opaque = (void *)o;
}
