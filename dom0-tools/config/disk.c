/*
 * The xl disk spec: a comma-separated mix of positional values (filled
 * in the order target, format, vdev, access), `key=value` parameters and
 * bare flags. `target=` must come last because it takes the rest of the
 * string, commas included: it is the only way to name a path with a
 * comma. Every parameter may be given once; an empty value means the
 * default.
 *
 * What pvx supports today (others are rejected with a message that
 * names the part): format raw, vdev xvd[a-z]+, access rw/w/ro/r, the
 * flag direct-io-safe. discard/no-discard/trusted/untrusted are hints
 * that change nothing here and are accepted. The deprecated
 * `phy:/dev/x,hda,w` form is diagnosed, not guessed at.
 *
 * A relative target is resolved against the config file's directory,
 * like kernel and ramdisk (xl would prepend /dev; see docs/config.md).
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"

enum { P_TARGET, P_FORMAT, P_VDEV, P_ACCESS, P_NR };
static const char *const param_names[P_NR] = {
	"target", "format", "vdev", "access",
};

struct disk_parse {
	const struct cfg_value *v;
	struct cfg_diag *d;
	char *val[P_NR];        /* owned copies, NULL if not given */
	int npos;
	bool direct;
};

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int set_param(struct disk_parse *dp, int p, const char *val,
		     const char *item)
{
	if (!*val)
		return 0;       /* empty: the default */
	if (dp->val[p])
		return cfg_verror(dp->d, dp->v, item, "disk parameter '%s' given"
				  " twice", param_names[p]);
	dp->val[p] = strdup(val);
	return dp->val[p] ? 0 : -ENOMEM;
}

static int disk_flag(struct disk_parse *dp, const char *item)
{
	static const char *const hints[] = {
		"discard", "no-discard", "trusted", "untrusted",
	};

	if (!strcmp(item, "direct-io-safe")) {
		dp->direct = true;
		return 0;
	}
	for (size_t i = 0; i < sizeof(hints) / sizeof(hints[0]); i++)
		if (!strcmp(item, hints[i]))
			return 0;
	if (!strcmp(item, "cdrom"))
		return cfg_verror(dp->d, dp->v, item, "cdrom disks are not supported");
	return -ENOENT;
}

static int disk_keyed(struct disk_parse *dp, char *item, char *eq)
{
	static const char *const unsupported[] = {
		"devtype", "backend", "backendtype", "script", "specification",
	};
	const char *key, *val;

	*eq = '\0';
	key = trim(item);
	val = trim(eq + 1);
	for (int p = P_TARGET; p < P_NR; p++)
		if (!strcmp(key, param_names[p]))
			return set_param(dp, p, val, val);
	for (size_t i = 0; i < sizeof(unsupported) / sizeof(unsupported[0]); i++)
		if (!strcmp(key, unsupported[i]))
			return cfg_verror(dp->d, dp->v, key, "disk parameter '%s' is"
					  " not supported", key);
	return cfg_verror(dp->d, dp->v, key, "unknown disk parameter");
}

static int disk_item(struct disk_parse *dp, char *item)
{
	char *eq = strchr(item, '=');
	int rc;

	if (eq)
		return disk_keyed(dp, item, eq);
	rc = disk_flag(dp, item);
	if (rc != -ENOENT)
		return rc;
	if (dp->npos >= P_NR)
		return cfg_verror(dp->d, dp->v, item, "too many positional disk"
				  " parameters (target,format,vdev,access)");
	return set_param(dp, dp->npos++, item, item);
}

static int split_items(struct disk_parse *dp, char *spec)
{
	char *p = spec, *comma, *item;
	int rc;

	for (;;) {
		while (isspace((unsigned char)*p))
			p++;
		if (!strncmp(p, "target=", 7))
			return set_param(dp, P_TARGET, p + 7, p);
		comma = strchr(p, ',');
		if (comma)
			*comma = '\0';
		item = trim(p);
		rc = *item || comma ? disk_item(dp, item) : 0;
		if (rc || !comma)
			return rc;
		p = comma + 1;
	}
}

static int check_old_syntax(struct disk_parse *dp)
{
	static const char *const prefixes[] = {
		"phy:", "file:", "tap:", "tap2:", "aio:", "raw:", "qcow:",
		"qcow2:", "vhd:",
	};
	const char *s = dp->v->text;

	while (isspace((unsigned char)*s))
		s++;
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (!strncmp(s, prefixes[i], strlen(prefixes[i])))
			return cfg_verror(dp->d, dp->v, prefixes[i], "old disk syntax"
					  " is not supported: write 'vdev=xvda,"
					  " access=rw, target=PATH'");
	return 0;
}

static int check_values(struct disk_parse *dp)
{
	const char *f = dp->val[P_FORMAT], *vd = dp->val[P_VDEV], *a = dp->val[P_ACCESS];
	size_t n;

	if (!dp->val[P_TARGET])
		return cfg_verror(dp->d, dp->v, dp->v->text, "disk has no target");
	if (f && strcmp(f, "raw")) {
		if (!strcmp(f, "qcow") || !strcmp(f, "qcow2") || !strcmp(f, "vhd") ||
		    !strcmp(f, "qed"))
			return cfg_verror(dp->d, dp->v, f, "disk format not supported"
					  " (only raw)");
		return cfg_verror(dp->d, dp->v, f, "unknown disk format");
	}
	if (!vd)
		return cfg_verror(dp->d, dp->v, dp->v->text, "disk has no vdev");
	n = strncmp(vd, "xvd", 3) ? 0 : strspn(vd + 3, "abcdefghijklmnopqrstuvwxyz");
	if (n == 0 || n > 3 || vd[3 + n])
		return cfg_verror(dp->d, dp->v, vd, "vdev must be xvd followed by"
				  " letters (xvda, xvdb, ...)");
	if (a && strcmp(a, "rw") && strcmp(a, "w") && strcmp(a, "ro") && strcmp(a, "r"))
		return cfg_verror(dp->d, dp->v, a, "access must be rw, ro, w or r");
	return 0;
}

static int fill(struct disk_parse *dp, struct pvx_disk_spec *out)
{
	struct cfg_value tv = *dp->v;
	const char *a = dp->val[P_ACCESS];

	tv.text = dp->val[P_TARGET];
	out->target = cfg_resolve_path(&tv);
	out->format = strdup("raw");
	out->vdev = dp->val[P_VDEV];
	dp->val[P_VDEV] = NULL;
	out->readonly = a && (!strcmp(a, "r") || !strcmp(a, "ro"));
	out->direct = dp->direct;
	return out->target && out->format ? 0 : -ENOMEM;
}

int cfg_parse_disk(const struct cfg_value *v, struct pvx_disk_spec *out,
		   struct cfg_diag *d)
{
	struct disk_parse dp = { .v = v, .d = d };
	char *spec = NULL;
	int rc;

	rc = check_old_syntax(&dp);
	if (rc)
		return rc;
	spec = strdup(v->text);
	if (!spec)
		return -ENOMEM;
	rc = split_items(&dp, spec);
	if (!rc)
		rc = check_values(&dp);
	if (!rc)
		rc = fill(&dp, out);
	for (int p = 0; p < P_NR; p++)
		free(dp.val[p]);
	free(spec);
	return rc;
}

void cfg_disk_dispose(struct pvx_disk_spec *disk)
{
	free(disk->target);
	free(disk->format);
	free(disk->vdev);
	memset(disk, 0, sizeof(*disk));
}
