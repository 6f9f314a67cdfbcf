/*
 * The TAPs this daemon owns, remembered in <rundir>/netback.taps (one
 * name a line), because they are persistent (tap.c): if a backend
 * directory is removed while pvx-netback is down (`pvx destroy` after a
 * kill -9), nobody would ever delete its TAP. At start-up, after the
 * first scan of backend/vif, every TAP the file names that no vif claims
 * any more is deleted; the file is rewritten (a temporary file renamed
 * over it) whenever a TAP is made or deleted. The run directory is the
 * pvx instance's, so two instances never share the list.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netbackd.h"

#define NB_TAPS_FILE "netback.taps"
#define NB_TAPS_MAX 4096

static void list_path(struct netbackd *d, char *buf, size_t cap, const char *suffix)
{
	snprintf(buf, cap, "%s/%s%s", d->ds.rundir, NB_TAPS_FILE, suffix);
}

static bool owned(struct netbackd *d, const char *name)
{
	struct backd_dev *dev;

	LIST_FOREACH(dev, &d->vifs.list, link) {
		struct nb_vif *v = nb_vif_of(dev);

		if (v->cfg_ok && !strcmp(v->cfg.vifname, name))
			return true;
	}
	return false;
}

void nb_taps_save(struct netbackd *d)
{
	char path[300], tmp[310];
	struct backd_dev *dev;
	FILE *f;

	if (!d->taps_swept)
		return; /* the first scan: the old list is still to be read */
	list_path(d, path, sizeof(path), "");
	list_path(d, tmp, sizeof(tmp), ".new");
	f = fopen(tmp, "we");
	if (!f) {
		pvx_log_warn("cannot write %s: %s", tmp, strerror(errno));
		return;
	}
	LIST_FOREACH(dev, &d->vifs.list, link) {
		struct nb_vif *v = nb_vif_of(dev);

		if (v->cfg_ok)
			fprintf(f, "%s\n", v->cfg.vifname);
	}
	if (fclose(f) != 0 || rename(tmp, path) != 0)
		pvx_log_warn("cannot update %s: %s", path, strerror(errno));
}

/* Deletes the TAPs of the last run whose vifs are gone. */
void nb_taps_sweep(struct netbackd *d)
{
	char path[300], line[64];
	unsigned n = 0;
	FILE *f;

	d->taps_swept = true;
	list_path(d, path, sizeof(path), "");
	f = fopen(path, "re");
	if (!f) {
		nb_taps_save(d);
		return;
	}
	while (n++ < NB_TAPS_MAX && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (nb_check_ifname(line) < 0 || owned(d, line) || !nb_tap_exists(line))
			continue;
		if (nb_tap_delete(line) == 0)
			pvx_log_info("TAP %s: its vif went away while we were down; deleted", line);
	}
	fclose(f);
	nb_taps_save(d);
}
