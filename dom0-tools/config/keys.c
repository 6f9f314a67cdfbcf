/*
 * The per-key handlers: one small function per xl.cfg key, found through
 * one table. cfg_apply() resets struct pvx_config to its defaults and
 * runs the handler of every key present in the store, in table order
 * (not file order), then composes what depends on several keys
 * (cmdline from cmdline/root/extra, maxmem's default). Running over the
 * whole store each time is what makes overrides simple and idempotent.
 *
 * A handler checks its value's type and range and reports problems at
 * the value's own file:line with the value as the token. Numbers are
 * accepted as written numbers or as strings holding a number (xl reads
 * both), and memory sizes may carry a unit suffix in a string ("1G").
 */
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <netif.h>
#include <pvx/ctl.h>

#include "cfg.h"

#define MEMORY_MAX_MIB  (1024u * 1024u)  /* 1 TiB: anything above is a typo */
#define GRANT_FRAMES_MAX 4096u

typedef int (*key_fn)(struct pvx_config *cfg, const char *key,
		      const struct cfg_value *v, size_t off, struct cfg_diag *d);

struct cfg_key {
	const char *name;
	key_fn fn;
	size_t off;     /* field of struct pvx_config, for shared handlers */
};

static const char *type_name(const struct cfg_value *v)
{
	static const char *const names[] = {
		[CFG_STRING] = "a string", [CFG_NUMBER] = "a number",
		[CFG_LIST] = "a list",
	};
	return names[v->type];
}

static const char *token_of(const struct cfg_value *v)
{
	return v->type == CFG_LIST ? "[" : v->text;
}

static int want_string(const struct cfg_value *v, const char *key,
		       struct cfg_diag *d)
{
	if (v->type == CFG_LIST)
		return cfg_verror(d, v, "[", "'%s' must be a single value, not a list", key);
	return 0;
}

/* A number written as such or inside a string, without unit. */
static int get_u64(const struct cfg_value *v, const char *key, uint64_t min,
		   uint64_t max, uint64_t *out, struct cfg_diag *d)
{
	int rc;

	if (v->type == CFG_LIST)
		return cfg_verror(d, v, "[", "'%s' must be a number, not a list", key);
	rc = cfg_number_value(v->text, out);
	if (rc == -ERANGE)
		return cfg_verror(d, v, v->text, "'%s': number too large", key);
	if (rc)
		return cfg_verror(d, v, v->text, "'%s' must be a number", key);
	if (*out < min || *out > max)
		return cfg_verror(d, v, v->text, "'%s' must be between %" PRIu64
				  " and %" PRIu64, key, min, max);
	return 0;
}

static int set_string(char **field, const struct cfg_value *v, const char *key,
		      struct cfg_diag *d)
{
	int rc = want_string(v, key, d);

	if (rc)
		return rc;
	if (!v->text[0])
		return cfg_verror(d, v, "", "'%s' must not be empty", key);
	free(*field);
	*field = strdup(v->text);
	return *field ? 0 : -ENOMEM;
}

static char **field_str(struct pvx_config *cfg, size_t off)
{
	return (char **)((char *)cfg + off);
}

static int h_name(struct pvx_config *cfg, const char *key,
		 const struct cfg_value *v, size_t off, struct cfg_diag *d)
{
	const char *s = v->text;
	bool digits = true;
	size_t n;

	(void)off;
	if (want_string(v, key, d))
		return -EINVAL;
	n = strlen(s);
	if (n == 0 || n >= PVX_NAME_MAX)
		return cfg_verror(d, v, s, "'%s' must be 1 to %d characters",
				  key, PVX_NAME_MAX - 1);
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || strchr("_.-+:@", c)))
			return cfg_verror(d, v, s, "'%s' may hold letters, digits"
					  " and _ . - + : @ only", key);
		digits = digits && c >= '0' && c <= '9';
	}
	if (digits || s[0] == '-' || s[0] == '.')
		return cfg_verror(d, v, s, "'%s' must not be all digits or start"
				  " with '-' or '.'", key);
	return set_string(&cfg->name, v, key, d);
}

/* The domain type (pvx/ctl.h enum pvx_dom_type). Absent: the builder
 * chooses from the kernel's notes and the host (docs/config.md). */
static int h_type(struct pvx_config *cfg, const char *key,
		 const struct cfg_value *v, size_t off, struct cfg_diag *d)
{
	(void)off;
	if (want_string(v, key, d))
		return -EINVAL;
	if (!strcmp(v->text, "pvh") || !strcmp(v->text, "pv"))
		return set_string(&cfg->type, v, key, d);
	if (!strcmp(v->text, "hvm"))
		return cfg_verror(d, v, v->text, "type \"hvm\" is not supported: pvx runs"
				  " \"pvh\" and \"pv\" domains (or leave 'type' out to"
				  " choose automatically)");
	return cfg_verror(d, v, v->text, "unknown type \"%s\": pvx runs \"pvh\" and"
			  " \"pv\" domains (or leave 'type' out to choose automatically)",
			  v->text);
}

/* xl's older spelling of the type: builder = "hvm" is an HVM guest, which
 * pvx refuses as it refuses type = "hvm" (it used to be an unknown key,
 * warned about, and the guest then ran as PVH). "generic" is xl's PV
 * builder, its default: accepted, the type is chosen as without it. */
static int h_builder(struct pvx_config *cfg, const char *key,
		     const struct cfg_value *v, size_t off, struct cfg_diag *d)
{
	(void)cfg;
	(void)off;
	if (want_string(v, key, d))
		return -EINVAL;
	if (!strcmp(v->text, "generic"))
		return 0;
	if (!strcmp(v->text, "hvm"))
		return cfg_verror(d, v, v->text, "builder \"hvm\" is not supported: pvx"
				  " runs \"pvh\" and \"pv\" domains (set 'type', or"
				  " leave it out to choose automatically)");
	return cfg_verror(d, v, v->text, "unknown builder \"%s\": only xl's"
			  " \"generic\" is accepted (the domain type is set by 'type')",
			  v->text);
}

char *cfg_resolve_path(const struct cfg_value *v)
{
	char *out;

	if (v->text[0] == '/' || !v->base_dir)
		return strdup(v->text);
	if (asprintf(&out, "%s/%s", v->base_dir, v->text) < 0)
		return NULL;
	return out;
}

static int h_path(struct pvx_config *cfg, const char *key,
		 const struct cfg_value *v, size_t off, struct cfg_diag *d)
{
	char **field = field_str(cfg, off);
	int rc = set_string(field, v, key, d);

	if (rc)
		return rc;
	free(*field);
	*field = cfg_resolve_path(v);
	return *field ? 0 : -ENOMEM;
}

static int h_cmdline(struct pvx_config *cfg, const char *key,
		const struct cfg_value *v,
		     size_t off, struct cfg_diag *d)
{
	(void)off;
	if (want_string(v, key, d))
		return -EINVAL;
	cfg->priv->have_cmdline = true;
	free(cfg->cmdline);
	cfg->cmdline = strdup(v->text);
	return cfg->cmdline ? 0 : -ENOMEM;
}

static int h_root_extra(struct pvx_config *cfg, const char *key,
		const struct cfg_value *v,
			size_t off, struct cfg_diag *d)
{
	if (want_string(v, key, d))
		return -EINVAL;
	if (off)
		cfg->priv->extra = v->text;
	else
		cfg->priv->root = v->text;
	return 0;
}

/* MiB as a number, or a string with an optional K/M/G/T suffix that
 * must come to whole MiB. */
static int get_mib(const struct cfg_value *v, const char *key, uint64_t *mib,
		   struct cfg_diag *d)
{
	static const struct { char c; unsigned shift; } units[] = {
		{ 'k', 10 }, { 'm', 20 }, { 'g', 30 }, { 't', 40 },
	};
	uint64_t n;
	size_t len;
	char num[32];

	if (v->type != CFG_STRING)
		return get_u64(v, key, 1, MEMORY_MAX_MIB, mib, d);
	len = strlen(v->text);
	for (size_t i = 0; len > 1 && len < sizeof(num) && i < 4; i++) {
		if ((v->text[len - 1] | 0x20) != units[i].c)
			continue;
		memcpy(num, v->text, len - 1);
		num[len - 1] = '\0';
		if (cfg_number_value(num, &n) || n > (UINT64_MAX >> units[i].shift))
			break;
		n <<= units[i].shift;
		if (n % (1u << 20))
			return cfg_verror(d, v, v->text, "'%s' must be a whole number"
					  " of MiB", key);
		*mib = n >> 20;
		if (*mib < 1 || *mib > MEMORY_MAX_MIB)
			break;
		return 0;
	}
	if (len && (v->text[len - 1] | 0x20) >= 'a')
		return cfg_verror(d, v, v->text, "'%s' must be MiB, or a size like"
				  " \"512M\" or \"2G\" between 1M and 1T", key);
	return get_u64(v, key, 1, MEMORY_MAX_MIB, mib, d);
}

static int h_memory(struct pvx_config *cfg, const char *key,
		const struct cfg_value *v,
		    size_t off, struct cfg_diag *d)
{
	(void)off;
	return get_mib(v, key, &cfg->memory_mib, d);
}

static int h_maxmem(struct pvx_config *cfg, const char *key,
		const struct cfg_value *v,
		    size_t off, struct cfg_diag *d)
{
	(void)off;
	cfg->priv->have_maxmem = true;
	return get_mib(v, key, &cfg->maxmem_mib, d);
}

static int h_vcpus(struct pvx_config *cfg, const char *key,
		const struct cfg_value *v,
		   size_t off, struct cfg_diag *d)
{
	uint64_t n;
	int rc = get_u64(v, key, 1, PVX_MAX_VCPUS, &n, d);

	(void)off;
	if (!rc)
		cfg->vcpus = (uint32_t)n;
	return rc;
}

static int h_grant_frames(struct pvx_config *cfg, const char *key,
		const struct cfg_value *v,
			  size_t off, struct cfg_diag *d)
{
	uint64_t n;
	int rc = get_u64(v, key, 1, GRANT_FRAMES_MAX, &n, d);

	(void)off;
	if (!rc)
		cfg->max_grant_frames = (uint32_t)n;
	return rc;
}

/* Xen credit: weight 1..65535; cap in % of one CPU, 0 = none, at most
 * 100 per vCPU (checked by pvxd, which knows the vCPUs). */
static int h_cpu_weight(struct pvx_config *cfg, const char *key,
			const struct cfg_value *v, size_t off, struct cfg_diag *d)
{
	uint64_t n;
	int rc = get_u64(v, key, 1, 65535, &n, d);

	(void)off;
	if (!rc) {
		cfg->cpu_weight = (uint32_t)n;
		cfg->have_sched = true;
	}
	return rc;
}

static int h_cap(struct pvx_config *cfg, const char *key,
		 const struct cfg_value *v, size_t off, struct cfg_diag *d)
{
	uint64_t n;
	int rc = get_u64(v, key, 0, 100ull * PVX_MAX_VCPUS, &n, d);

	(void)off;
	if (!rc) {
		cfg->cap = (uint32_t)n;
		cfg->have_sched = true;
	}
	return rc;
}

/* cpus="0-3,5": every vCPU's affinity, checked here so a typo is
 * reported at its line. */
static int h_cpus(struct pvx_config *cfg, const char *key,
		  const struct cfg_value *v, size_t off, struct cfg_diag *d)
{
	uint64_t map[PVX_CPULIST_WORDS];
	char why[160];

	(void)off;
	if (v->type == CFG_LIST)
		return cfg_verror(d, v, "[", "'%s' must be one CPU list string such"
				  " as \"0-3,5\" (per-vCPU lists are not supported)", key);
	if (pvx_cpulist_parse(v->text, map, why, sizeof(why)) < 0)
		return cfg_verror(d, v, v->text, "'%s': %s", key, why);
	return set_string(&cfg->cpus, v, key, d);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)(c | 0x20);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static int h_uuid(struct pvx_config *cfg, const char *key,
		 const struct cfg_value *v, size_t off, struct cfg_diag *d)
{
	const char *s = v->text;
	size_t o = 0;

	(void)off;
	if (want_string(v, key, d))
		return -EINVAL;
	for (size_t i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? s[i] != '-' : hexval(s[i]) < 0)
			goto bad;
	}
	if (s[36])
		goto bad;
	for (size_t i = 0; i < 36; i++) {
		if (s[i] == '-')
			continue;
		if (o % 2 == 0)
			cfg->uuid[o / 2] = (uint8_t)(hexval(s[i]) << 4);
		else
			cfg->uuid[o / 2] |= (uint8_t)hexval(s[i]);
		o++;
	}
	cfg->have_uuid = true;
	return 0;
bad:
	return cfg_verror(d, v, s, "'uuid' must look like"
			  " xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx (hex)");
}

static int h_action(struct pvx_config *cfg, const char *key,
		const struct cfg_value *v,
		    size_t off, struct cfg_diag *d)
{
	enum pvx_action *a = (enum pvx_action *)((char *)cfg + off);

	if (want_string(v, key, d))
		return -EINVAL;
	for (int i = PVX_ACTION_DESTROY; i <= PVX_ACTION_RENAME_RESTART; i++) {
		if (!strcmp(v->text, pvx_action_name((enum pvx_action)i))) {
			*a = (enum pvx_action)i;
			return 0;
		}
	}
	return cfg_verror(d, v, v->text, "unknown action (destroy, restart,"
			  " preserve or rename-restart)");
}

static int h_disk(struct pvx_config *cfg, const char *key,
		 const struct cfg_value *v, size_t off, struct cfg_diag *d);
static int h_vif(struct pvx_config *cfg, const char *key,
		const struct cfg_value *v,
		 size_t off, struct cfg_diag *d);

#define OFF(f) offsetof(struct pvx_config, f)
static const struct cfg_key keys[] = {
	{ "name",             h_name,          0 },
	{ "type",             h_type,          0 },
	{ "builder",          h_builder,       0 },
	{ "kernel",           h_path,          OFF(kernel) },
	{ "ramdisk",          h_path,          OFF(ramdisk) },
	{ "cmdline",          h_cmdline,       0 },
	{ "root",             h_root_extra,    0 },
	{ "extra",            h_root_extra,    1 },
	{ "memory",           h_memory,        0 },
	{ "maxmem",           h_maxmem,        0 },
	{ "vcpus",            h_vcpus,         0 },
	{ "uuid",             h_uuid,          0 },
	{ "on_poweroff",      h_action,        OFF(on_poweroff) },
	{ "on_reboot",        h_action,        OFF(on_reboot) },
	{ "on_crash",         h_action,        OFF(on_crash) },
	{ "max_grant_frames", h_grant_frames,  0 },
	{ "disk",             h_disk,          0 },
	{ "vif",              h_vif,           0 },
	{ "cpu_weight",       h_cpu_weight,    0 },
	{ "cap",              h_cap,           0 },
	{ "cpus",             h_cpus,          0 },
};
#define NR_KEYS (sizeof(keys) / sizeof(keys[0]))

bool cfg_key_known(const char *key)
{
	for (size_t i = 0; i < NR_KEYS; i++)
		if (!strcmp(keys[i].name, key))
			return true;
	return false;
}

/* A device list: a list of spec strings, or one spec string. */
static int device_items(const struct cfg_value *const *vp, const char *key,
			const struct cfg_value *const **items, size_t *n,
			struct cfg_diag *d)
{
	const struct cfg_value *v = *vp;

	if (v->type == CFG_LIST) {
		for (size_t i = 0; i < v->n; i++)
			if (v->items[i]->type != CFG_STRING)
				return cfg_verror(d, v->items[i], token_of(v->items[i]),
						  "'%s' entries must be strings, not %s",
						  key, type_name(v->items[i]));
		*items = (const struct cfg_value *const *)v->items;
		*n = v->n;
		return 0;
	}
	if (v->type != CFG_STRING)
		return cfg_verror(d, v, v->text, "'%s' must be a list of strings", key);
	*items = vp;    /* one spec string: a list of one */
	*n = 1;
	return 0;
}

static int h_disk(struct pvx_config *cfg, const char *key,
		 const struct cfg_value *v, size_t off, struct cfg_diag *d)
{
	const struct cfg_value *const *items;
	size_t n;
	int rc = device_items(&v, key, &items, &n, d);

	(void)off;
	if (rc || !n)
		return rc;
	cfg->disks = calloc(n, sizeof(*cfg->disks));
	if (!cfg->disks)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		rc = cfg_parse_disk(items[i], &cfg->disks[i], d);
		cfg->nr_disks = i + 1;
		if (rc)
			return rc;
		for (size_t j = 0; j < i; j++)
			if (!strcmp(cfg->disks[j].vdev, cfg->disks[i].vdev))
				return cfg_verror(d, items[i], cfg->disks[i].vdev,
						  "two disks use the same vdev");
	}
	return 0;
}

static bool same(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

/* A MAC or TAP name given twice would make two NICs fight over it. */
static int vif_unique(const struct pvx_vif_spec *vifs, size_t i,
		      const struct cfg_value *v, struct cfg_diag *d)
{
	for (size_t j = 0; j < i; j++) {
		if (same(vifs[j].mac, vifs[i].mac))
			return cfg_verror(d, v, vifs[i].mac, "two vifs use the same MAC");
		if (same(vifs[j].vifname, vifs[i].vifname))
			return cfg_verror(d, v, vifs[i].vifname,
					  "two vifs use the same vifname");
	}
	return 0;
}

static int h_vif(struct pvx_config *cfg, const char *key,
		const struct cfg_value *v,
		 size_t off, struct cfg_diag *d)
{
	const struct cfg_value *const *items;
	size_t n;
	int rc = device_items(&v, key, &items, &n, d);

	(void)off;
	if (rc || !n)
		return rc;
	if (n > PVX_NET_MAX_VIFS)
		return cfg_verror(d, items[PVX_NET_MAX_VIFS], items[PVX_NET_MAX_VIFS]->text,
				  "too many vifs (at most %d per domain)", PVX_NET_MAX_VIFS);
	cfg->vifs = calloc(n, sizeof(*cfg->vifs));
	if (!cfg->vifs)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		rc = cfg_parse_vif(items[i], &cfg->vifs[i], d);
		cfg->nr_vifs = i + 1;
		if (rc)
			return rc;
		rc = vif_unique(cfg->vifs, i, items[i], d);
		if (rc)
			return rc;
	}
	return 0;
}

/* xl: cmdline wins; otherwise "root=ROOT EXTRA", "root=ROOT" or EXTRA. */
static int compose_cmdline(struct pvx_config *cfg)
{
	const char *root = cfg->priv->root, *extra = cfg->priv->extra;

	if (cfg->priv->have_cmdline || (!root && !extra))
		return 0;
	if (root && extra)
		return asprintf(&cfg->cmdline, "root=%s %s", root, extra) < 0 ? -ENOMEM : 0;
	if (root)
		return asprintf(&cfg->cmdline, "root=%s", root) < 0 ? -ENOMEM : 0;
	cfg->cmdline = strdup(extra);
	return cfg->cmdline ? 0 : -ENOMEM;
}

int cfg_apply(struct pvx_config *cfg, struct cfg_diag *d)
{
	struct pvx_config_priv *st = cfg->priv;
	const struct cfg_setting *s;
	int rc;

	cfg_reset_fields(cfg);
	for (size_t i = 0; i < NR_KEYS; i++) {
		s = cfg_store_find(st, keys[i].name);
		if (!s)
			continue;
		rc = keys[i].fn(cfg, keys[i].name, s->value, keys[i].off, d);
		if (rc)
			return rc;
	}
	if (!st->have_maxmem)
		cfg->maxmem_mib = cfg->memory_mib;
	return compose_cmdline(cfg);
}
