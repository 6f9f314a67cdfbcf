/*
 * pvx snapshot-create|snapshot-list|snapshot-revert|snapshot-delete
 *
 * A snapshot is a directory ROOT/<domain>/<name>/ holding memory.pvxsave
 * (a checkpoint: save -c), disk<N>.img (a copy of each file-backed disk
 * of the domain's config, taken while the guest is suspended, so memory
 * and disks agree; cmd_snapshot_disk.c) and `disks` (one "N<TAB>path"
 * line per copy: where it goes back on revert). ROOT is
 * $PVX_SNAPSHOT_DIR, else $PVX_RUNDIR/snapshots (tests), else
 * /var/lib/pvx/snapshots. Failure removes the half-made directory and
 * the domain keeps running.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <pvx/builder.h>
#include <pvx/config.h>
#include <pvx/ctlclient.h>

#include "cmd.h"
#include "cmd_snapshot.h"
#include "save.h"
#include "save_ctl.h"
#include "save_file.h"
#include "wait.h"

#define SNAP_PATH 4096

static void snap_root(char *buf, size_t len)
{
	const char *d = getenv("PVX_SNAPSHOT_DIR"), *run = getenv("PVX_RUNDIR");

	if (d && *d)
		snprintf(buf, len, "%s", d);
	else if (run && *run)
		snprintf(buf, len, "%s/snapshots", run);
	else
		snprintf(buf, len, "/var/lib/pvx/snapshots");
}

static bool name_ok(const char *n)
{
	if (!*n || *n == '.' || strlen(n) > 128)
		return false;
	for (; *n; n++)
		if (!((*n >= 'a' && *n <= 'z') || (*n >= 'A' && *n <= 'Z') ||
		      (*n >= '0' && *n <= '9') || *n == '-' || *n == '_' || *n == '.'))
			return false;
	return true;
}

static void rm_tree(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[SNAP_PATH + 300];

	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.' && (!e->d_name[1] || (e->d_name[1] == '.' && !e->d_name[2])))
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		unlink(p);
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

/* The disks of the domain's kept config. */
static int load_cfg(const uint8_t uuid[16], struct pvx_config *cfg)
{
	char *text = NULL, err[300];
	size_t len = 0;
	int rc = pvx_cfgkeep_read(uuid, &text, &len);

	if (rc == 0)
		rc = pvx_config_parse_string(cfg, "kept config", text, len, err, sizeof(err),
					     NULL, NULL);
	free(text);
	return rc;
}

static int copy_disks(const struct pvx_config *cfg, const char *dir)
{
	char dst[SNAP_PATH + 32], idx[SNAP_PATH + 32];
	FILE *f;
	int rc = 0;

	snprintf(idx, sizeof(idx), "%s/disks", dir);
	f = fopen(idx, "w");
	if (!f)
		return -errno;
	for (size_t i = 0; i < cfg->nr_disks && rc == 0; i++) {
		bool reflink = false;

		snprintf(dst, sizeof(dst), "%s/disk%zu.img", dir, i);
		rc = pvx_snap_copy(cfg->disks[i].target, dst, &reflink);
		if (rc == -EINVAL) {
			rc = 0; /* a block device: not copied */
			continue;
		}
		if (rc < 0)
			pvx_err("cannot copy disk '%s': %s", cfg->disks[i].target, strerror(-rc));
		else
			fprintf(f, "%zu\t%s\n", i, cfg->disks[i].target);
	}
	if (fclose(f) != 0 && rc == 0)
		rc = -EIO;
	return rc;
}

static int snap_dir(const char *dom, const char *name, char *dir, size_t len)
{
	char root[SNAP_PATH];

	if (!name_ok(dom) || !name_ok(name))
		return pvx_usage_err("snapshot", "names are [A-Za-z0-9._-], not starting with '.'");
	snap_root(root, sizeof(root));
	if ((size_t)snprintf(dir, len, "%s/%s/%s", root, dom, name) >= len) {
		pvx_err("snapshot path too long");
		return 1;
	}
	return 0;
}

int cmd_snapshot_create(int argc, char **argv)
{
	struct pvx_save_opts o = { .progress = true, .checkpoint = true };
	struct pvx_config cfg;
	struct pvx_ctl_dominfo d;
	struct pvx_ctl *c = NULL;
	char dir[SNAP_PATH], mem[SNAP_PATH + 32];
	int32_t domid;
	int rc;

	if (argc != 3)
		return pvx_usage_err("snapshot-create", "expected DOMAIN NAME");
	c = pvx_connect();
	if (!c)
		return 1;
	pvx_config_init(&cfg);
	rc = pvx_resolve(c, argv[1], &domid);
	if (rc == 0 && (rc = pvx_ctl_info(c, domid, &d)) < 0)
		pvx_err("'%s': %s", argv[1], strerror(-rc));
	if (rc == 0 && (rc = snap_dir(d.name, argv[2], dir, sizeof(dir))) != 0)
		goto out;
	if (rc == 0 && (rc = load_cfg(d.uuid, &cfg)) < 0)
		pvx_err("no config kept for '%s': it cannot be snapshotted", d.name);
	if (rc == 0) {
		pvx_mkdirs(dir, 0700);
		rmdir(dir);
		if (mkdir(dir, 0700) < 0) {
			rc = -errno;
			pvx_err("snapshot '%s' of '%s': %s", argv[2], d.name,
				rc == -EEXIST ? "exists already" : strerror(-rc));
			goto out;
		}
	}
	snprintf(mem, sizeof(mem), "%s/memory.pvxsave", dir);
	if (rc == 0 && (rc = pvx_save_to_file(c, domid, mem, &o, NULL)) == 0) {
		/* Suspended: the disks are quiet and match the memory saved. */
		rc = copy_disks(&cfg, dir);
		int rr = pvx_save_resume(c, domid);
		if (rr < 0)
			pvx_err("'%s' did not resume: %s", d.name, strerror(-rr));
	}
	if (rc < 0)
		rm_tree(dir);
	else
		printf("Snapshot %s of %s created\n", argv[2], d.name);
out:
	pvx_config_dispose(&cfg);
	pvx_ctl_close(c);
	return rc != 0;
}

static void list_dom(const char *root, const char *dom)
{
	char p[SNAP_PATH + 300];
	struct dirent *e;
	struct stat sb;
	DIR *d;

	snprintf(p, sizeof(p), "%s/%s", root, dom);
	d = opendir(p);
	while (d && (e = readdir(d))) {
		char when[32] = "?";
		if (e->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s/%s/memory.pvxsave", root, dom, e->d_name);
		if (stat(p, &sb) < 0)
			continue;
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", localtime(&sb.st_mtime));
		printf("%-24s %-24s %s %10.1f MiB\n", dom, e->d_name, when,
		       (double)sb.st_size / 1048576.0);
	}
	if (d)
		closedir(d);
}

int cmd_snapshot_list(int argc, char **argv)
{
	char root[SNAP_PATH];
	struct dirent *e;
	DIR *d;

	if (argc > 2)
		return pvx_usage_err("snapshot-list", "expected at most one DOMAIN");
	snap_root(root, sizeof(root));
	printf("%-24s %-24s %-19s %14s\n", "Domain", "Name", "Created", "Memory");
	if (argc == 2) {
		list_dom(root, argv[1]);
		return 0;
	}
	d = opendir(root);
	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.')
			list_dom(root, e->d_name);
	if (d)
		closedir(d);
	return 0;
}

/* Puts each copied disk back where the index says. */
static int put_disks_back(const char *dir)
{
	char idx[SNAP_PATH + 32], line[SNAP_PATH + 32], src[SNAP_PATH + 32];
	FILE *f;
	int rc = 0;

	snprintf(idx, sizeof(idx), "%s/disks", dir);
	f = fopen(idx, "r");
	if (!f)
		return -errno;
	while (rc == 0 && fgets(line, sizeof(line), f)) {
		char *tab = strchr(line, '\t'), *nl = strchr(line, '\n');
		bool reflink;

		if (!tab || !nl)
			continue;
		*tab = *nl = '\0';
		if ((size_t)snprintf(src, sizeof(src), "%s/disk%s.img", dir, line) >= sizeof(src))
			continue;
		rc = pvx_snap_copy(src, tab + 1, &reflink);
		if (rc < 0)
			pvx_err("cannot put disk '%s' back: %s", tab + 1, strerror(-rc));
	}
	fclose(f);
	return rc;
}

int cmd_snapshot_revert(int argc, char **argv)
{
	struct pvx_restore_opts o = { .progress = true };
	struct pvx_ctl *c, *sub;
	char dir[SNAP_PATH], mem[SNAP_PATH + 32];
	int32_t ids[1];
	int rc, fd;

	if (argc == 4 && strcmp(argv[1], "-p") == 0) {
		o.paused = true; /* leave it paused */
		argv++;
		argc--;
	}
	if (argc != 3)
		return pvx_usage_err("snapshot-revert", "expected [-p] DOMAIN NAME");
	if ((rc = snap_dir(argv[1], argv[2], dir, sizeof(dir))) != 0)
		return rc;
	snprintf(mem, sizeof(mem), "%s/memory.pvxsave", dir);
	fd = open(mem, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		pvx_err("no snapshot '%s' of '%s' (%s)", argv[2], argv[1], strerror(errno));
		return 1;
	}
	c = pvx_connect();
	if (!c) {
		close(fd);
		return 1;
	}
	if (pvx_ctl_lookup(c, argv[1], &ids[0]) == 0) {
		sub = pvx_wait_open();
		pvx_ctl_destroy(c, ids[0]);
		pvx_xs_domain_remove(ids[0]);
		if (sub)
			pvx_wait_doms(sub, c, ids, 1, PVX_WAIT_GONE, 10000);
		pvx_ctl_close(sub);
	}
	rc = put_disks_back(dir);
	if (rc == 0)
		rc = pvx_restore_fd(c, fd, &o, NULL, NULL);
	if (rc == 0)
		printf("Reverted %s to snapshot %s\n", argv[1], argv[2]);
	close(fd);
	pvx_ctl_close(c);
	return rc < 0;
}

int cmd_snapshot_delete(int argc, char **argv)
{
	char dir[SNAP_PATH], mem[SNAP_PATH + 32];
	int rc;

	if (argc != 3)
		return pvx_usage_err("snapshot-delete", "expected DOMAIN NAME");
	if ((rc = snap_dir(argv[1], argv[2], dir, sizeof(dir))) != 0)
		return rc;
	snprintf(mem, sizeof(mem), "%s/memory.pvxsave", dir);
	if (access(mem, F_OK) < 0) {
		pvx_err("no snapshot '%s' of '%s'", argv[2], argv[1]);
		return 1;
	}
	rm_tree(dir);
	return 0;
}
