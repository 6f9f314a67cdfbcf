/*
 * Saving a domain to, and restoring it from, a migration stream on any
 * file descriptor (a file, a pipe, a socket): the one engine behind
 * `pvx save`, `save -c`, `restore`, the snapshot commands, `migrate`,
 * `migrate-receive`, `export` and `import` (docs/migration.md). The
 * stream's records are pvx/migstream.h.
 *
 * Save: a cooperative suspend (control/shutdown = "suspend", wait for
 * SHUTDOWN_suspend), unless `live`, which first copies memory in rounds
 * while the guest runs (dirty log) and suspends only for the last round.
 * After the end record the domain is left suspended: the caller then
 * destroys it (save, migrate once the target confirms) or resumes it
 * with PVX_CTL_RESUME (checkpoint, or a migration that failed).
 *
 * Restore: reads and checks the whole stream, creates the domain
 * (PVX_CREATE_F_RESTORE) with its devices as `pvx create` would, loads
 * memory and state, and unpauses it unless `paused`. Any error destroys
 * what it created and returns one negative errno after printing one
 * line that says what was wrong and where (record, offset).
 *
 * Both print their one error line themselves ("pvx: save of domain N
 * failed: ...", "pvx: restore failed: ..."); callers add none. A save
 * that fails resumes the domain if it had suspended it (a live round
 * that fails leaves it running). Restore reads exactly up to the END
 * record (a socket may carry more after it); on a regular file, bytes
 * after END are an error. The config travels in the stream: it is the
 * one `pvx create` kept in $PVX_RUNDIR/domcfg/<uuid>.cfg (save_ctl.h).
 */
#ifndef PVX_CLI_SAVE_H
#define PVX_CLI_SAVE_H

#include <stdbool.h>
#include <stdint.h>

struct pvx_ctl;

struct pvx_save_opts {
	bool live;                 /* pre-copy while running */
	unsigned max_downtime_ms;  /* live: stop when the rest fits (60) */
	unsigned max_rounds;       /* live: at most this many rounds (30) */
	bool progress;             /* bar on stderr when it is a terminal */
	bool checkpoint;           /* header flag only: the source resumes */
};

struct pvx_restore_opts {
	const char *name;          /* rename the restored domain, or NULL */
	char **overrides;          /* config overrides, as for create */
	int noverrides;
	bool paused;               /* leave it paused (migrate-receive) */
	bool tied;                 /* paused too: pvxd destroys it if this
				    * process dies before unpausing it */
	bool progress;
};

struct pvx_mig_stats {
	uint64_t bytes;            /* stream bytes */
	uint64_t pages;            /* page records' pages, all rounds */
	uint32_t rounds;           /* memory rounds (1 when not live) */
	uint64_t last_round_pages; /* sent while suspended */
	double dirty_rate_mibs;    /* of the last live round */
	double total_ms;
	double suspended_ms;       /* save: suspend -> end record written */
	/* Phases (save): start -> suspend asked (the live rounds), the
	 * suspend handshake, and the pages sent while suspended. */
	double precopy_ms;
	double suspend_ms;
	double last_round_ms;
};

int pvx_save_fd(struct pvx_ctl *ctl, int32_t domid, int fd,
		const struct pvx_save_opts *o, struct pvx_mig_stats *st);
int pvx_restore_fd(struct pvx_ctl *ctl, int fd, const struct pvx_restore_opts *o,
		   int32_t *domid, struct pvx_mig_stats *st);

#endif
