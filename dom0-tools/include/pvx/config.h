/*
 * Domain configuration: the xl.cfg grammar, parsed into struct pvx_config.
 *
 * Grammar (as xl.cfg): `key = value` settings separated by newlines or
 * ';', `key += value` to append to a list or string, `#` comments to end
 * of line; values are strings ("..." or '...' with C escapes), numbers
 * (decimal, 0octal, 0xhex) and lists `[ v, v, ... ]` that may nest.
 * Each key has a small handler in a table; unknown keys warn and are
 * kept out of the result. Errors are one line:
 *   FILE:LINE: MESSAGE near 'TOKEN'
 */
#ifndef PVX_CONFIG_H
#define PVX_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum pvx_action {
	PVX_ACTION_DESTROY = 0,
	PVX_ACTION_RESTART,
	PVX_ACTION_PRESERVE,
	PVX_ACTION_RENAME_RESTART,
};

struct pvx_disk_spec {
	char *target;      /* image path or block device */
	char *format;      /* "raw" */
	char *vdev;        /* "xvda", ... */
	bool readonly;     /* access=ro */
	bool direct;       /* direct-io-safe / O_DIRECT option */
};

/* xl's vif spec (docs/network.md); NULL = not given, defaults applied
 * at create time (cmd_network_dev.c). */
struct pvx_vif_spec {
	char *mac;         /* "00:16:3e:..." lower-case, or NULL: generated */
	char *bridge;      /* vif-bridge: NULL = PVX_NET_DEFAULT_BRIDGE */
	char *ip;          /* "A.B.C.D[/P] ..." as given */
	char *gateway;     /* vif-route: Dom0's IPv4 address on the TAP */
	char *script;      /* "vif-bridge" or "vif-route" (a path's basename) */
	char *vifname;     /* the TAP; NULL = "vifD.N" */
	char *model;       /* accepted, unused */
};

struct pvx_config {
	char *source;           /* file name used in messages */
	char *name;
	char *type;             /* "pvh", "pv", or NULL: chosen at create */
	char *kernel;
	char *ramdisk;
	char *cmdline;          /* cmdline, or root + extra joined as xl does */
	uint64_t memory_mib;    /* default 128 */
	uint64_t maxmem_mib;    /* default = memory_mib */
	uint32_t vcpus;         /* default 1 */
	uint8_t uuid[16];
	bool have_uuid;
	enum pvx_action on_poweroff;  /* default destroy */
	enum pvx_action on_reboot;    /* default restart */
	enum pvx_action on_crash;     /* default destroy */
	uint32_t max_grant_frames;    /* default 32 */
	struct pvx_disk_spec *disks;
	size_t nr_disks;
	struct pvx_vif_spec *vifs;
	size_t nr_vifs;
	/* CPU scheduling (docs/scheduling.md); applied after create. */
	uint32_t cpu_weight;    /* Xen credit weight, default 256 */
	uint32_t cap;           /* % of one CPU, default 0 = none */
	bool have_sched;        /* cpu_weight or cap given */
	char *cpus;             /* xl CPU list for every vCPU, NULL = any */
	/* Parser state (the settings, for overrides and messages); owned,
	 * freed by pvx_config_dispose(). Not for callers. */
	struct pvx_config_priv *priv;
};

void pvx_config_init(struct pvx_config *cfg);
void pvx_config_dispose(struct pvx_config *cfg); /* idempotent */

/* Parse a whole file/string into cfg (initialised by the caller).
 * On error: negative errno, one line in err. Warnings go to warn_cb as
 * "FILE:LINE: MESSAGE" lines (the callback adds its "warning" prefix);
 * warn_cb may be NULL: then to stderr as "warning: FILE:LINE: MESSAGE". */
typedef void (*pvx_config_warn_fn)(const char *line, void *opaque);
int pvx_config_parse_file(struct pvx_config *cfg, const char *path,
			  char *err, size_t errlen,
			  pvx_config_warn_fn warn_cb, void *opaque);
int pvx_config_parse_string(struct pvx_config *cfg, const char *source,
			    const char *text, size_t len,
			    char *err, size_t errlen,
			    pvx_config_warn_fn warn_cb, void *opaque);
/* A command-line override "key=value" (value in config syntax, or a bare
 * word taken as a string); applied after the file, last one wins. */
int pvx_config_override(struct pvx_config *cfg, const char *assignment,
			char *err, size_t errlen);

/* xl's CPU list ("0-3,5", "all", "^2" removes): bit n of map = CPU n.
 * -EINVAL with the bad item named in err (cpulist.c). */
#define PVX_CPULIST_WORDS 4
#define PVX_CPULIST_BITS  (PVX_CPULIST_WORDS * 64)
int pvx_cpulist_parse(const char *s, uint64_t map[PVX_CPULIST_WORDS],
		      char *err, size_t errlen);
/* "all" when CPUs 0..nr_cpus-1 are all set, else "0-3,5". */
void pvx_cpulist_format(const uint64_t map[PVX_CPULIST_WORDS], unsigned nr_cpus,
			char *out, size_t len);
/* Checks the whole config (required keys, ranges). Call it after the
 * last override: e.g. maxmem >= memory is only known then. Errors about
 * a missing key have no line: "FILE: 'name' is not set (...)". */
int pvx_config_validate(const struct pvx_config *cfg, char *err, size_t errlen);
const char *pvx_action_name(enum pvx_action a);

/* A UUID as text, "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" (lower-case
 * hex, what the `uuid` key accepts): out holds PVX_UUID_CHARS + NUL. */
#define PVX_UUID_CHARS 36
void pvx_uuid_format(const uint8_t u[16], char out[PVX_UUID_CHARS + 1]);

/* Prints the effective config (defaults filled in, paths resolved,
 * cmdline composed) in xl.cfg syntax, which parses back to the same
 * config (for `pvx create -n`), or as one JSON object (docs/config.md).
 * 0, or -EIO if writing failed. */
int pvx_config_dump(const struct pvx_config *cfg, FILE *out);
int pvx_config_dump_json(const struct pvx_config *cfg, FILE *out);

#endif /* PVX_CONFIG_H */
