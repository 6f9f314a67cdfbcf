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

#include "cfg.h"

/* Quotes s in "..." with the escapes both xl.cfg and JSON read. */
static void put_quoted(FILE *out, const char *s, bool json)
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
			fprintf(out, json ? "\\u%04x" : "\\x%02x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

static void format_uuid(const uint8_t *u, char *buf)
{
	sprintf(buf, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
		"%02x%02x%02x%02x%02x%02x", u[0], u[1], u[2], u[3], u[4], u[5],
		u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
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

static void put_key_str(FILE *out, const char *key, const char *val, bool json)
{
	if (!val)
		return;
	fprintf(out, json ? "  \"%s\": " : "%s = ", key);
	put_quoted(out, val, json);
	fputs(json ? ",\n" : "\n", out);
}

static void put_specs(FILE *out, const char *key, size_t n, bool json,
		      const struct pvx_config *cfg)
{
	char buf[8192];

	fprintf(out, json ? "  \"%s\": [" : "%s = [", key);
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(key, "disk"))
			disk_spec(&cfg->disks[i], buf, sizeof(buf));
		else
			vif_spec(&cfg->vifs[i], buf, sizeof(buf));
		fputs(i ? ", " : " ", out);
		put_quoted(out, buf, json);
	}
	fputs(n ? " ]" : "]", out);
}

static void put_common(const struct pvx_config *cfg, FILE *out, bool json)
{
	const char *fmt_num = json ? "  \"%s\": %" PRIu64 ",\n" : "%s = %" PRIu64 "\n";
	char uuid[40];

	put_key_str(out, "name", cfg->name, json);
	put_key_str(out, "type", cfg->type, json); /* absent: chosen at create */
	put_key_str(out, "kernel", cfg->kernel, json);
	put_key_str(out, "ramdisk", cfg->ramdisk, json);
	put_key_str(out, "cmdline", cfg->cmdline, json);
	fprintf(out, fmt_num, "memory", cfg->memory_mib);
	fprintf(out, fmt_num, "maxmem", cfg->maxmem_mib);
	fprintf(out, fmt_num, "vcpus", (uint64_t)cfg->vcpus);
	if (cfg->have_uuid) {
		format_uuid(cfg->uuid, uuid);
		put_key_str(out, "uuid", uuid, json);
	}
	put_key_str(out, "on_poweroff", pvx_action_name(cfg->on_poweroff), json);
	put_key_str(out, "on_reboot", pvx_action_name(cfg->on_reboot), json);
	put_key_str(out, "on_crash", pvx_action_name(cfg->on_crash), json);
	fprintf(out, fmt_num, "max_grant_frames", (uint64_t)cfg->max_grant_frames);
	if (cfg->have_sched) { /* only when given: older dumps stay as they were */
		fprintf(out, fmt_num, "cpu_weight", (uint64_t)cfg->cpu_weight);
		fprintf(out, fmt_num, "cap", (uint64_t)cfg->cap);
	}
	put_key_str(out, "cpus", cfg->cpus, json);
}

int pvx_config_dump(const struct pvx_config *cfg, FILE *out)
{
	put_common(cfg, out, false);
	if (cfg->nr_disks) {
		put_specs(out, "disk", cfg->nr_disks, false, cfg);
		fputc('\n', out);
	}
	if (cfg->nr_vifs) {
		put_specs(out, "vif", cfg->nr_vifs, false, cfg);
		fputc('\n', out);
	}
	return fflush(out) || ferror(out) ? -EIO : 0;
}

int pvx_config_dump_json(const struct pvx_config *cfg, FILE *out)
{
	fputs("{\n", out);
	put_common(cfg, out, true);
	put_specs(out, "disk", cfg->nr_disks, true, cfg);
	fputs(",\n", out);
	put_specs(out, "vif", cfg->nr_vifs, true, cfg);
	fputs("\n}\n", out);
	return fflush(out) || ferror(out) ? -EIO : 0;
}
