/*
 * pvx import [--dir D] [-p] BUNDLE [key=value ...]
 *
 * Extracts the bundle into a fresh D/.pvx-import.XXXXXX, verifies every
 * member against its manifest, and only then renames it to D/NAME (NAME:
 * the config's name after the overrides). Then it creates the domain
 * from D/NAME/domain.cfg, or restores D/NAME/state with the disks
 * pointed at D/NAME/disks. A bundle that fails verification, or a domain
 * that cannot be built, leaves no directory and no domain behind.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <pvx/config.h>
#include <pvx/ctlclient.h>

#include "bundle.h"
#include "cmd.h"
#include "save.h"

struct im {
	const char *dir, *bundle;
	char **over;
	int nover;
	bool paused;
	char tmp[4096], final[4096];
	struct pvx_config cfg;
};

static const struct option im_longopts[] = {
	{ "dir", required_argument, NULL, 'd' },
	{ "paused", no_argument, NULL, 'p' },
	{ NULL, 0, NULL, 0 },
};

static int im_parse(int argc, char **argv, struct im *m)
{
	int opt;

	optind = 0;
	while ((opt = getopt_long(argc, argv, "+d:p", im_longopts, NULL)) != -1) {
		if (opt == 'd')
			m->dir = optarg;
		else if (opt == 'p')
			m->paused = true;
		else
			return pvx_opt_err("import", "d:p", argv);
	}
	if (optind >= argc)
		return pvx_usage_err("import", "no bundle given");
	m->bundle = argv[optind++];
	m->over = argv + optind;
	m->nover = argc - optind;
	return 0;
}

/* The extracted config with the overrides: its name names the
 * directory, its (now absolute) disk paths feed a restore. */
static int im_config(struct im *m, const char *dir)
{
	char path[4200], err[512];
	int rc;

	pvx_config_dispose(&m->cfg);
	pvx_config_init(&m->cfg);
	snprintf(path, sizeof(path), "%s/domain.cfg", dir);
	rc = pvx_config_parse_file(&m->cfg, path, err, sizeof(err), NULL, NULL);
	for (int i = 0; rc == 0 && i < m->nover; i++)
		rc = pvx_config_override(&m->cfg, m->over[i], err, sizeof(err));
	if (rc == 0 && (!m->cfg.name || strchr(m->cfg.name, '/') ||
			m->cfg.name[0] == '.')) {
		pvx_err("import: the bundle's domain name cannot name a directory");
		return -EINVAL;
	}
	if (rc)
		pvx_err("import: %s", err);
	return rc;
}

static int im_extract(struct im *m)
{
	char err[512];
	struct stat st;
	int rc;

	snprintf(m->tmp, sizeof(m->tmp), "%s/.pvx-import.XXXXXX", m->dir);
	if (!mkdtemp(m->tmp)) {
		pvx_err("import: %s: %s", m->dir, strerror(errno));
		m->tmp[0] = '\0';
		return -errno;
	}
	rc = pvx_bundle_extract(m->bundle, m->tmp, err, sizeof(err));
	if (rc) {
		pvx_err("import: %s: %s; nothing imported", m->bundle, err);
		return rc;
	}
	rc = im_config(m, m->tmp);
	if (rc)
		return rc;
	snprintf(m->final, sizeof(m->final), "%s/%s", m->dir, m->cfg.name);
	if (lstat(m->final, &st) == 0) {
		pvx_err("import: %s already exists", m->final);
		m->final[0] = '\0';
		return -EEXIST;
	}
	if (rename(m->tmp, m->final)) {
		rc = -errno;
		pvx_err("import: %s: %s", m->final, strerror(errno));
		m->final[0] = '\0';
		return rc;
	}
	m->tmp[0] = '\0';
	chmod(m->final, 0755); /* mkdtemp made it 0700 */
	return im_config(m, m->final); /* paths now resolve inside final */
}

/* disk=[...] naming the imported images, for a restore whose stream
 * names the source host's paths. */
static char *im_disk_override(const struct pvx_config *c)
{
	char *s = NULL, *t;

	if (asprintf(&s, "disk=[") < 0)
		return NULL;
	for (size_t i = 0; i < c->nr_disks; i++) {
		const struct pvx_disk_spec *d = &c->disks[i];

		if (asprintf(&t, "%s%s'format=raw, vdev=%s, access=%s, target=%s'", s,
			     i ? ", " : "", d->vdev, d->readonly ? "ro" : "rw",
			     d->target) < 0) {
			free(s);
			return NULL;
		}
		free(s);
		s = t;
	}
	if (asprintf(&t, "%s]", s) < 0)
		t = NULL;
	free(s);
	return t;
}

static int im_restore(struct im *m, const char *state)
{
	struct pvx_restore_opts ro = { .name = m->cfg.name, .paused = m->paused };
	struct pvx_mig_stats st;
	struct pvx_ctl *c;
	int32_t domid = -1;
	char **ov = calloc((size_t)m->nover + 1, sizeof(char *)), *dov;
	int n = 0, fd, rc = -ENOMEM;

	if (!ov)
		return rc;
	/* As `pvx restore`: the name goes in .name (a new uuid with it). */
	for (int i = 0; i < m->nover; i++)
		if (strncmp(m->over[i], "name=", 5))
			ov[n++] = m->over[i];
	dov = m->cfg.nr_disks ? im_disk_override(&m->cfg) : NULL;
	if (dov)
		ov[n++] = dov;
	ro.overrides = ov;
	ro.noverrides = n;
	c = pvx_connect();
	fd = open(state, O_RDONLY | O_CLOEXEC);
	rc = !c ? -ENOTCONN : fd < 0 ? -errno : 0;
	if (rc == 0)
		rc = pvx_restore_fd(c, fd, &ro, &domid, &st);
	if (rc && rc != -ENOTCONN)
		pvx_err("import: restoring '%s' failed: %s", m->cfg.name, strerror(-rc));
	if (fd >= 0)
		close(fd);
	if (c)
		pvx_ctl_close(c);
	free(dov);
	free(ov);
	return rc;
}

static int im_create(struct im *m)
{
	char cfgpath[4200];
	char **av = calloc((size_t)m->nover + 4, sizeof(char *));
	int n = 0, rc;

	if (!av)
		return -ENOMEM;
	snprintf(cfgpath, sizeof(cfgpath), "%s/domain.cfg", m->final);
	av[n++] = "create";
	if (m->paused)
		av[n++] = "-p";
	av[n++] = cfgpath;
	for (int i = 0; i < m->nover; i++)
		av[n++] = m->over[i];
	rc = cmd_create(n, av) ? -EIO : 0;
	free(av);
	return rc;
}

int cmd_import(int argc, char **argv)
{
	struct im m = { .dir = "." };
	char state[4200];
	struct stat st;
	int rc = im_parse(argc, argv, &m);

	if (rc)
		return rc;
	pvx_config_init(&m.cfg);
	rc = im_extract(&m);
	if (rc == 0) {
		snprintf(state, sizeof(state), "%s/state", m.final);
		rc = stat(state, &st) == 0 ? im_restore(&m, state) : im_create(&m);
	}
	if (m.tmp[0])
		pvx_bundle_rmtree(m.tmp);
	if (rc && m.final[0])
		pvx_bundle_rmtree(m.final);
	pvx_config_dispose(&m.cfg);
	return rc != 0;
}
