/*
 * Printing the effective config (`pvx create -n`): in xl.cfg syntax,
 * which parses back to the same struct (a unit test checks the round
 * trip), and as one JSON object for scripts. Both print what the
 * handlers produced (defaults filled in, paths resolved, cmdline
 * composed), not what the file said.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <pvx/json.h>

#include "cfg.h"

/* Quotes s in "..." with the escapes xl.cfg reads. */
static void put_quoted(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", out);
		else if (c == '\t')
			fputs("\\t", out);
		else if (c < 0x20 || c == 0x7f)
			fprintf(out, "\\x%02x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

static void disk_spec(const struct pvx_disk_spec *dk, char *buf, size_t cap)
{
	snprintf(buf, cap, "format=%s, vdev=%s, access=%s, %starget=%s",
		 dk->format, dk->vdev, dk->readonly ? "ro" : "rw",
		 dk->direct ? "direct-io-safe, " : "", dk->target);
}

static void vif_spec(const struct pvx_vif_spec *vf, char *buf, size_t cap)
{
	const char *keys[] = { "mac", "bridge", "ip", "gateway", "script", "vifname",
			       "model" };
	const char *vals[] = { vf->mac, vf->bridge, vf->ip, vf->gateway, vf->script,
			       vf->vifname, vf->model };
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]) && o < cap; i++)
		if (vals[i])
			o += (size_t)snprintf(buf + o, cap - o, "%s%s=%s",
					      o ? ", " : "", keys[i], vals[i]);
}

static void put_key_str(FILE *out, const char *key, const char *val)
{
	if (!val)
		return;
	fprintf(out, "%s = ", key);
	put_quoted(out, val);
	fputc('\n', out);
}

/* The canonical spec of disk or vif i. */
static void spec(const struct pvx_config *cfg, bool disk, size_t i, char *buf, size_t cap)
{
	if (disk)
		disk_spec(&cfg->disks[i], buf, cap);
	else
		vif_spec(&cfg->vifs[i], buf, cap);
}

static void put_specs(FILE *out, const char *key, size_t n, const struct pvx_config *cfg)
{
	char buf[8192];

	fprintf(out, "%s = [", key);
	for (size_t i = 0; i < n; i++) {
		spec(cfg, !strcmp(key, "disk"), i, buf, sizeof(buf));
		fputs(i ? ", " : " ", out);
		put_quoted(out, buf);
	}
	fputs(n ? " ]\n" : "]\n", out);
}

/* The settings both forms print, in order: a number n, or a string s
 * (left out when NULL). */
struct dump_item {
	const char *key, *s;
	uint64_t n;
	bool num;
};

static size_t common_items(const struct pvx_config *cfg, struct dump_item *it, char *uuid)
{
	size_t k = 0;

#define STR(key_, val_) it[k++] = (struct dump_item){ key_, val_, 0, false }
#define NUM(key_, val_) it[k++] = (struct dump_item){ key_, NULL, (uint64_t)(val_), true }
	STR("name", cfg->name);
	STR("type", cfg->type); /* absent: chosen at create */
	STR("kernel", cfg->kernel);
	STR("ramdisk", cfg->ramdisk);
	STR("cmdline", cfg->cmdline);
	NUM("memory", cfg->memory_mib);
	NUM("maxmem", cfg->maxmem_mib);
	NUM("vcpus", cfg->vcpus);
	if (cfg->have_uuid) {
		pvx_uuid_format(cfg->uuid, uuid);
		STR("uuid", uuid);
	}
	STR("on_poweroff", pvx_action_name(cfg->on_poweroff));
	STR("on_reboot", pvx_action_name(cfg->on_reboot));
	STR("on_crash", pvx_action_name(cfg->on_crash));
	NUM("max_grant_frames", cfg->max_grant_frames);
	if (cfg->have_sched) { /* only when given: older dumps stay as they were */
		NUM("cpu_weight", cfg->cpu_weight);
		NUM("cap", cfg->cap);
	}
	STR("cpus", cfg->cpus);
#undef STR
#undef NUM
	return k;
}

int pvx_config_dump(const struct pvx_config *cfg, FILE *out)
{
	struct dump_item it[24];
	char uuid[PVX_UUID_CHARS + 1];
	size_t n = common_items(cfg, it, uuid);

	for (size_t i = 0; i < n; i++)
		if (it[i].num)
			fprintf(out, "%s = %" PRIu64 "\n", it[i].key, it[i].n);
		else
			put_key_str(out, it[i].key, it[i].s);
	if (cfg->nr_disks)
		put_specs(out, "disk", cfg->nr_disks, cfg);
	if (cfg->nr_vifs)
		put_specs(out, "vif", cfg->nr_vifs, cfg);
	return fflush(out) || ferror(out) ? -EIO : 0;
}

static json_t *json_specs(const struct pvx_config *cfg, bool disk, size_t n)
{
	json_t *a = json_array();
	char buf[8192];
	int rc = 0;

	for (size_t i = 0; a && i < n; i++) {
		spec(cfg, disk, i, buf, sizeof(buf));
		rc |= json_array_append_new(a, pvx_json_string(buf));
	}
	if (rc) {
		json_decref(a);
		return NULL;
	}
	return a;
}

/* One object, keys in the order of the xl.cfg form; through jansson, so
 * values that are not UTF-8 print as U+FFFD (docs/config.md). */
int pvx_config_dump_json(const struct pvx_config *cfg, FILE *out)
{
	struct dump_item it[24];
	char uuid[PVX_UUID_CHARS + 1];
	size_t n = common_items(cfg, it, uuid);
	json_t *doc = json_object();
	int rc = 0;

	for (size_t i = 0; i < n; i++)
		if (it[i].num)
			rc |= pvx_json_set(doc, it[i].key, pvx_json_u64(it[i].n));
		else if (it[i].s)
			rc |= pvx_json_set(doc, it[i].key, pvx_json_string(it[i].s));
	rc |= pvx_json_set(doc, "disk", json_specs(cfg, true, cfg->nr_disks));
	rc |= pvx_json_set(doc, "vif", json_specs(cfg, false, cfg->nr_vifs));
	if (rc) {
		json_decref(doc);
		return -ENOMEM;
	}
	rc = pvx_json_dump(out, doc, PVX_JSON_PRETTY, 1);
	if (rc == 0 && (fflush(out) || ferror(out)))
		rc = -EIO;
	return rc;
}
