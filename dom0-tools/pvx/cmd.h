/*
 * The pvx CLI: one table of commands (STYLE §11, kvmtool's builtin-*.c),
 * one cmd_<verb>.c per row, and the few helpers every command shares.
 *
 * A command gets argv with argv[0] = its own name, returns the process
 * exit status (0 only on success) and reports failures as one line on
 * stderr through pvx_err(). Domains are named by name or by id.
 */
#ifndef PVX_CLI_CMD_H
#define PVX_CLI_CMD_H

#include <stdbool.h>
#include <stdio.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct pvx_ctl;
struct pvx_ctl_dominfo;

struct pvx_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;  /* one line for `pvx help` */
	const char *usage;    /* synopsis and options for `pvx help <cmd>` */
};

extern const struct pvx_cmd pvx_cmds[];
extern const size_t pvx_ncmds;

/* Exact name, else the one row the prefix selects. NULL if none or
 * ambiguous; *nmatch says which (0 or >= 2). */
const struct pvx_cmd *pvx_cmd_lookup(const char *name, size_t *nmatch);
/* Whole CLI: argv[0] = "pvx". */
int pvx_main(int argc, char **argv);
void pvx_cmd_usage(const struct pvx_cmd *c, bool to_stderr);

/* "pvx: MESSAGE" on stderr, one line. */
void pvx_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Usage error for a command: the message plus a pointer to its help. */
/* The command list of `pvx help` (and of a bare `pvx`, on stderr). */
void pvx_usage_list(FILE *to);
/* One line naming the bad option after getopt returned '?'; returns 2. */
int pvx_opt_err(const char *cmd, const char *optstring, char **argv);
int pvx_usage_err(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Connects to pvxd; on failure prints why and returns NULL. */
struct pvx_ctl *pvx_connect(void);
/* Resolves a name or id; on failure prints "'X' is not a domain". */
int pvx_resolve(struct pvx_ctl *c, const char *arg, int32_t *domid);
/* Connect + resolve for commands that take exactly one domain. */
int pvx_open_dom(int argc, char **argv, struct pvx_ctl **c, int32_t *domid);

/* Short state name ("running", "paused", ...) and xl's 6 letters. */
const char *pvx_state_name(uint32_t state);
void pvx_state_flags(uint32_t state, char out[7]);
const char *pvx_reason_name(int32_t reason);

/* Directory of the running pvx binary (daemons live next to it). */
int pvx_bin_dir(char *buf, size_t len);
/* mkdir -p for the run and log directories; mode for the last component. */
int pvx_mkdirs(const char *path, mode_t mode);

#define PVX_VERSION "0.1"

/* One function per command (cmd_<verb>.c). */
int cmd_create(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_destroy(int argc, char **argv);
int cmd_shutdown(int argc, char **argv);
int cmd_reboot(int argc, char **argv);
int cmd_pause(int argc, char **argv);
int cmd_unpause(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_dmesg(int argc, char **argv);
int cmd_uptime(int argc, char **argv);
int cmd_domid(int argc, char **argv);
int cmd_domname(int argc, char **argv);
int cmd_rename(int argc, char **argv);
int cmd_mem_set(int argc, char **argv);
int cmd_mem_max(int argc, char **argv);
int cmd_daemons(int argc, char **argv);
int cmd_console(int argc, char **argv);
/* `pvx create -c`: the console, or the log of a guest already gone. */
int pvx_console_after_create(const char *name);
int cmd_version(int argc, char **argv);
int cmd_help(int argc, char **argv);
int cmd_sched_credit(int argc, char **argv);
int cmd_vcpu_pin(int argc, char **argv);
int cmd_vcpu_list(int argc, char **argv);
/* Save/restore and snapshots (docs/migration.md). */
int cmd_save(int argc, char **argv);
int cmd_restore(int argc, char **argv);
int cmd_snapshot_create(int argc, char **argv);
int cmd_snapshot_list(int argc, char **argv);
int cmd_snapshot_revert(int argc, char **argv);
int cmd_snapshot_delete(int argc, char **argv);

#endif /* PVX_CLI_CMD_H */
