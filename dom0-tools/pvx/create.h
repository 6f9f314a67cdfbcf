/* Pieces of `pvx create` (cmd_create.c, create_hooks.c, create_monitor.c). */
#ifndef PVX_CLI_CREATE_H
#define PVX_CLI_CREATE_H

#include <stdbool.h>
#include <signal.h>
#include <stdint.h>

struct pvx_build_opts;
struct pvx_config;
struct pvx_ctl;

struct create_opts {
	bool console, paused, dry_run, quiet, foreground, no_monitor;
	const struct pvx_config *cfg;   /* the parsed config, once loaded */
	const char *file;
	char **overrides;
	int noverrides;
};

/* Fills the builder's pre-unpause hook (pvx-consoled registration). */
void pvx_create_hooks(struct pvx_build_opts *bo, const struct create_opts *o);
/* Starts the monitor for domid: forks it off (taking *ctl and *sub, which
 * are set to NULL here), or with -F runs it until the domain is gone. */
int pvx_create_monitor(const struct create_opts *o, const struct pvx_config *cfg,
		       struct pvx_ctl **ctl, struct pvx_ctl **sub, int32_t domid,
		       const sigset_t *mask);
/* `pvx console NAME` in this process. */
int pvx_create_console(const char *name);

#endif
