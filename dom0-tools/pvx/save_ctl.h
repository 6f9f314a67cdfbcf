/*
 * The save/restore engine's internals (save.c, save_*.c): pvxd's
 * save/restore ops, the cooperative suspend, the guest's xenstore keys,
 * the kept domain configs and the progress line.
 */
#ifndef PVX_CLI_SAVE_CTL_H
#define PVX_CLI_SAVE_CTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pvx/ctl.h>

struct pvx_ctl;
struct pvx_config;
struct pvx_mig_rec;
struct pvx_mig_writer;

/* pvxd ops (pvx/ctl.h). The state blob is malloc'd into *blob. */
int pvx_save_get_state(struct pvx_ctl *c, int32_t domid, uint8_t **blob, size_t *len);
int pvx_save_set_state(struct pvx_ctl *c, int32_t domid, const uint8_t *blob, size_t len);
int pvx_save_dirty(struct pvx_ctl *c, int32_t domid, uint32_t cmd, uint64_t first,
		   uint64_t n, uint64_t *bitmap, uint64_t *ndirty);
int pvx_save_resume(struct pvx_ctl *c, int32_t domid);

/* Cooperative suspend: control/shutdown = "suspend", then waits for
 * SHUTDOWN_suspend (timeout_ms). On failure the request is withdrawn
 * and the domain left as it was; err says why. */
int pvx_save_suspend(struct pvx_ctl *c, int32_t domid, int timeout_ms,
		     char *err, size_t errlen);
/* Default wait for the guest's answer; $PVX_SUSPEND_TIMEOUT_MS overrides. */
#define PVX_SUSPEND_TIMEOUT_MS 30000
int pvx_save_suspend_timeout(void);

/* The guest's own xenstore keys (save_xs.c): written as one XENSTORE
 * record; restored under the new domain, owned by it. */
int pvx_save_xs_write(struct pvx_mig_writer *w, int32_t domid);
int pvx_save_xs_restore(const struct pvx_mig_rec *rec, int32_t domid, char *err,
			size_t errlen);

/* Kept configs (save_cfg.c): $PVX_RUNDIR/domcfg/<uuid>.cfg, the config
 * `pvx create` (or restore) built the domain from, in xl.cfg syntax. */
int pvx_cfgkeep_write(const struct pvx_config *cfg, const uint8_t uuid[16]);
/* malloc'd text, or -ENOENT. */
int pvx_cfgkeep_read(const uint8_t uuid[16], char **text, size_t *len);
void pvx_cfgkeep_remove(const uint8_t uuid[16]);
/* Removes the kept configs of domains pvxd no longer lists. */
void pvx_cfgkeep_prune(struct pvx_ctl *c);
void pvx_uuid_random(uint8_t u[16]);
/* After `pvx create` built domid from cfg: fixes cfg's type to the one
 * chosen and keeps the config. */
int pvx_create_keep(struct pvx_config *cfg, struct pvx_ctl *c, int32_t domid);

/* Progress on stderr when it is a terminal (save_progress.c). */
struct pvx_progress {
	bool on;
	const char *what;
	double t0_ms;
	double last_ms;
};
void pvx_progress_start(struct pvx_progress *p, bool want, const char *what);
void pvx_progress_update(struct pvx_progress *p, uint64_t bytes, uint64_t total,
			 uint32_t round, double dirty_mibs);
void pvx_progress_done(struct pvx_progress *p);
double pvx_now_ms(void);

#endif
