/*
 * Kept domain configs: `pvx save` needs the config a domain was built
 * from (its devices, actions, kernel for a later reboot), and pvxd does
 * not keep it. `pvx create` and `pvx restore` write the effective
 * config (pvx_config_dump: defaults filled in, paths absolute, MACs and
 * type fixed, xl.cfg syntax that parses back) to
 * $PVX_RUNDIR/domcfg/<uuid>.cfg. Keyed by uuid, not domid: ids are
 * reused, and the monitor's restarts keep the uuid (create fixes it
 * once). Every write also prunes the files of domains pvxd no longer
 * has, whichever way they ended (destroy, the monitor, a killed pvxd),
 * so the directory holds about one file per live domain.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <pvx/config.h>
#include <pvx/ctlclient.h>
#include <pvx/domtype.h>

#include "cmd.h"
#include "save_ctl.h"

#define MAX_CFG (64 * 1024)

static void path_of(const uint8_t u[16], char *buf, size_t len)
{
	char t[PVX_UUID_CHARS + 1];

	pvx_uuid_format(u, t);
	snprintf(buf, len, "%s/domcfg/%s.cfg", pvx_rundir(), t);
}

/* Is NAME "<uuid>.cfg" of none of the n live domains? */
static bool stale(const char *name, const struct pvx_ctl_dominfo *v, size_t n)
{
	char t[PVX_UUID_CHARS + 1];

	if (strlen(name) != PVX_UUID_CHARS + 4 || strcmp(name + PVX_UUID_CHARS, ".cfg"))
		return false; /* not ours (or a .tmp being written) */
	for (size_t i = 0; i < n; i++) {
		pvx_uuid_format(v[i].uuid, t);
		if (!strncmp(name, t, PVX_UUID_CHARS))
			return false;
	}
	return true;
}

void pvx_cfgkeep_prune(struct pvx_ctl *c)
{
	struct pvx_ctl_dominfo *v = NULL;
	char dir[480];
	struct dirent *e;
	size_t n = 0;
	DIR *d;

	/* Without the list we cannot tell the dead from the living. */
	if (pvx_ctl_list(c, &v, &n) < 0)
		return;
	snprintf(dir, sizeof(dir), "%s/domcfg", pvx_rundir());
	d = opendir(dir);
	while (d && (e = readdir(d)))
		if (stale(e->d_name, v, n))
			unlinkat(dirfd(d), e->d_name, 0);
	if (d)
		closedir(d);
	free(v);
}

void pvx_uuid_random(uint8_t u[16])
{
	if (getrandom(u, 16, 0) != 16)
		for (int i = 0; i < 16; i++)
			u[i] = (uint8_t)(rand() >> 3);
	u[6] = (uint8_t)((u[6] & 0x0f) | 0x40);
	u[8] = (uint8_t)((u[8] & 0x3f) | 0x80);
}

int pvx_cfgkeep_write(const struct pvx_config *cfg, const uint8_t uuid[16])
{
	char path[512], tmp[520], dir[480];
	FILE *f;
	int rc;

	snprintf(dir, sizeof(dir), "%s/domcfg", pvx_rundir());
	if (pvx_mkdirs(dir, 0700) < 0)
		return -errno;
	path_of(uuid, path, sizeof(path));
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f)
		return -errno;
	rc = pvx_config_dump(cfg, f);
	if (fclose(f) != 0 && rc == 0)
		rc = -EIO;
	if (rc == 0 && rename(tmp, path) < 0)
		rc = -errno;
	if (rc < 0)
		unlink(tmp);
	return rc;
}

int pvx_cfgkeep_read(const uint8_t uuid[16], char **text, size_t *len)
{
	char path[512];
	FILE *f;
	char *buf;
	size_t n;

	path_of(uuid, path, sizeof(path));
	f = fopen(path, "r");
	if (!f)
		return -errno;
	buf = malloc(MAX_CFG + 1);
	n = buf ? fread(buf, 1, MAX_CFG + 1, f) : 0;
	fclose(f);
	if (!buf)
		return -ENOMEM;
	if (n == 0 || n > MAX_CFG) {
		free(buf);
		return -EFBIG;
	}
	buf[n] = '\0';
	*text = buf;
	*len = n;
	return 0;
}

void pvx_cfgkeep_remove(const uint8_t uuid[16])
{
	char path[512];

	path_of(uuid, path, sizeof(path));
	unlink(path);
}

int pvx_create_keep(struct pvx_config *cfg, struct pvx_ctl *c, int32_t domid)
{
	struct pvx_ctl_dominfo d;
	char kv[64], err[256];
	int rc = pvx_ctl_info(c, domid, &d);

	if (rc < 0)
		return rc;
	/* The type the builder chose: a restore must use the same. */
	snprintf(kv, sizeof(kv), "type=\"%s\"", pvx_type_name(d.type));
	if (!cfg->type && pvx_config_override(cfg, kv, err, sizeof(err)) < 0)
		return -EINVAL;
	rc = pvx_cfgkeep_write(cfg, d.uuid);
	pvx_cfgkeep_prune(c);
	return rc;
}
