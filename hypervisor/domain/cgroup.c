/*
 * cgroup: the v1/v2 file logic behind cgroup.h. Every write is one
 * short string to one control file; a failure comes back as -errno and
 * the caller decides (a domain whose cgroup cannot be made still runs,
 * without weight and cap).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup.h"

static int real_mkdir(const char *path)
{
	return mkdir(path, 0755) < 0 && errno != EEXIST ? -errno : 0;
}

static int real_rmdir(const char *path)
{
	return rmdir(path) < 0 ? -errno : 0;
}

/* A killed pvxd may stay a zombie until its parent reaps it: dead. */
static int real_alive(pid_t pid)
{
	char path[64], buf[512], *p;
	FILE *f;
	int alive = 1;

	if (kill(pid, 0) < 0 && errno != EPERM)
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return 1;
	p = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
	if (p && (p[2] == 'Z' || p[2] == 'X'))
		alive = 0;
	fclose(f);
	return alive;
}

const struct cg_fs_ops cg_real_ops = { real_mkdir, real_rmdir, real_alive };

static int cg_write(const char *dir, const char *file, const char *val)
{
	char path[PATH_MAX + 64];
	ssize_t n, len = (ssize_t)strlen(val);
	int fd, r = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, val, (size_t)len);
	if (n != len)
		r = n < 0 ? -errno : -EIO;
	close(fd);
	return r;
}

static bool file_exists(const char *dir, const char *file)
{
	char path[PATH_MAX + 64];

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	return access(path, F_OK) == 0;
}

/* "cpu" as a whole word of a controllers file. */
static bool has_cpu(const char *dir, const char *file)
{
	char path[PATH_MAX + 64], buf[512], *tok, *save;
	FILE *f;
	bool found = false;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "re");
	if (!f)
		return false;
	if (fgets(buf, sizeof(buf), f))
		for (tok = strtok_r(buf, " \n", &save); tok && !found;
		     tok = strtok_r(NULL, " \n", &save))
			found = !strcmp(tok, "cpu");
	fclose(f);
	return found;
}

static void dom_dir(const struct cg_host *h, int32_t domid, char *out, size_t len)
{
	snprintf(out, len, "%s/d%d", h->base, domid);
}

/* top = dir/pvx, base = top/pvxd-PID; -ENAMETOOLONG if they do not fit. */
static int set_paths(struct cg_host *h, const char *dir, pid_t pid)
{
	int n = snprintf(h->top, sizeof(h->top), "%s/pvx", dir);

	if (n < 0 || (size_t)n >= sizeof(h->top))
		return -ENAMETOOLONG;
	n = snprintf(h->base, sizeof(h->base), "%s/pvxd-%d", h->top, (int)pid);
	return n < 0 || (size_t)n >= sizeof(h->base) - 32 ? -ENAMETOOLONG : 0;
}

static int none(struct cg_host *h, const char *why, int err)
{
	h->mode = CG_NONE;
	snprintf(h->why, sizeof(h->why), "%s%s%s", why, err ? ": " : "",
		 err ? strerror(-err) : "");
	return 0;
}

static int probe_v1(struct cg_host *h, const char *root, pid_t pid)
{
	char cpu[PATH_MAX];
	int r;

	snprintf(cpu, sizeof(cpu), "%s/cpu", root);
	if (!file_exists(cpu, "cpu.shares"))
		return none(h, "no cgroup cpu controller (v1 cpu or v2 cpu)", 0);
	r = set_paths(h, cpu, pid);
	if (r == 0)
		r = h->ops->mkdir(h->top);
	if (r == 0)
		r = h->ops->mkdir(h->base);
	if (r < 0)
		return none(h, "cannot create pvx's cgroup (v1 cpu)", r);
	h->mode = CG_V1;
	return 0;
}

/* v2: base becomes a threaded domain root holding pvxd itself, with a
 * permanent threaded child ("hold") so the cpu controller stays enabled
 * for threaded children even when no domain exists. */
static int probe_v2(struct cg_host *h, const char *root, const char *self, pid_t pid)
{
	char parent[PATH_MAX], hold[PATH_MAX + 8], num[24];
	int r;

	snprintf(parent, sizeof(parent), "%s%s", root, strcmp(self, "/") ? self : "");
	if (!has_cpu(parent, "cgroup.controllers"))
		return none(h, "cgroup v2 without the cpu controller here", 0);
	if ((r = set_paths(h, parent, pid)) < 0)
		return none(h, "cgroup path too long", r);
	snprintf(hold, sizeof(hold), "%s/hold", h->base);
	snprintf(num, sizeof(num), "%d", (int)pid);
	if ((r = h->ops->mkdir(h->top)) < 0 || (r = h->ops->mkdir(h->base)) < 0 ||
	    (r = cg_write(h->base, "cgroup.procs", num)) < 0 ||
	    (r = cg_write(parent, "cgroup.subtree_control", "+cpu")) < 0 ||
	    (r = cg_write(h->top, "cgroup.subtree_control", "+cpu")) < 0 ||
	    (r = h->ops->mkdir(hold)) < 0 ||
	    (r = cg_write(hold, "cgroup.type", "threaded")) < 0 ||
	    (r = cg_write(h->base, "cgroup.subtree_control", "+cpu")) < 0)
		return none(h, "cannot set up pvx's cgroup (v2 cpu, delegated?)", r);
	h->mode = CG_V2;
	return 0;
}

int cg_probe(struct cg_host *h, const char *root, const char *self, pid_t pid,
	     const struct cg_fs_ops *ops)
{
	memset(h, 0, sizeof(*h));
	h->ops = ops ? ops : &cg_real_ops;
	h->pid = pid;
	if (file_exists(root, "cgroup.controllers"))
		return probe_v2(h, root, self ? self : "/", pid);
	return probe_v1(h, root, pid);
}

/* v1: a crashed pvxd's guest processes may outlive it in its tree;
 * they go back to the hierarchy's root so the tree can be removed. */
static void evict_v1(struct cg_host *h, const char *dir)
{
	char path[PATH_MAX + 400], rootdir[PATH_MAX], line[32];
	char *slash;
	FILE *f;

	snprintf(rootdir, sizeof(rootdir), "%s", h->top);
	slash = strrchr(rootdir, '/');
	if (!slash)
		return;
	*slash = '\0';
	snprintf(path, sizeof(path), "%s/tasks", dir);
	f = fopen(path, "re");
	if (!f)
		return;
	for (int i = 0; i < 4096 && fgets(line, sizeof(line), f); i++) {
		line[strcspn(line, "\n")] = '\0';
		(void)cg_write(rootdir, "tasks", line);
	}
	fclose(f);
}

/* Removes dir's child cgroups (dN, hold) and dir itself. */
static void remove_tree(struct cg_host *h, const char *dir)
{
	DIR *dp = opendir(dir);
	struct dirent *e;
	char sub[PATH_MAX + 300];

	if (dp) {
		while ((e = readdir(dp)))
			if (e->d_type == DT_DIR && e->d_name[0] != '.') {
				snprintf(sub, sizeof(sub), "%s/%s", dir, e->d_name);
				if (h->ops->rmdir(sub) == -EBUSY && h->mode == CG_V1) {
					evict_v1(h, sub);
					(void)h->ops->rmdir(sub);
				}
			}
		closedir(dp);
	}
	(void)h->ops->rmdir(dir);
}

void cg_clean_stale(struct cg_host *h)
{
	DIR *dp;
	struct dirent *e;
	char dir[PATH_MAX + 300];
	int pid;

	if (h->mode == CG_NONE || !(dp = opendir(h->top)))
		return;
	while ((e = readdir(dp)))
		if (sscanf(e->d_name, "pvxd-%d", &pid) == 1 && pid > 0 &&
		    pid != (int)h->pid && !h->ops->alive((pid_t)pid)) {
			snprintf(dir, sizeof(dir), "%s/%s", h->top, e->d_name);
			remove_tree(h, dir);
		}
	closedir(dp);
}

void cg_release(struct cg_host *h)
{
	if (h->mode == CG_V1)
		remove_tree(h, h->base);
	/* v2: pvxd itself lives in base; the next start removes it. */
	h->mode = CG_NONE;
}

int cg_dom_create(struct cg_host *h, int32_t domid)
{
	char dir[PATH_MAX + 16];
	int r;

	if (h->mode == CG_NONE)
		return -EOPNOTSUPP;
	dom_dir(h, domid, dir, sizeof(dir));
	r = h->ops->mkdir(dir);
	if (r == 0 && h->mode == CG_V2)
		r = cg_write(dir, "cgroup.type", "threaded");
	if (r == 0)
		r = cg_dom_set(h, domid, CG_WEIGHT_DEFAULT, 0);
	return r;
}

int cg_dom_remove(struct cg_host *h, int32_t domid)
{
	char dir[PATH_MAX + 16];

	if (h->mode == CG_NONE)
		return 0;
	dom_dir(h, domid, dir, sizeof(dir));
	return h->ops->rmdir(dir);
}

static int add_id(struct cg_host *h, int32_t domid, const char *file, pid_t id)
{
	char dir[PATH_MAX + 16], num[24];

	if (h->mode == CG_NONE)
		return -EOPNOTSUPP;
	dom_dir(h, domid, dir, sizeof(dir));
	snprintf(num, sizeof(num), "%d", (int)id);
	return cg_write(dir, file, num);
}

int cg_dom_add_thread(struct cg_host *h, int32_t domid, pid_t tid)
{
	return add_id(h, domid, h->mode == CG_V2 ? "cgroup.threads" : "tasks", tid);
}

int cg_dom_add_proc(struct cg_host *h, int32_t domid, pid_t pid)
{
	return add_id(h, domid, "cgroup.procs", pid);
}

uint64_t cg_v1_shares(uint32_t weight)
{
	uint64_t s = (uint64_t)weight * 1024 / CG_WEIGHT_DEFAULT;

	return s < 2 ? 2 : s > 262144 ? 262144 : s; /* the kernel's bounds */
}

/* Xen's default 256 is v2's default 100; 1..10000 is v2's range. */
uint32_t cg_v2_weight(uint32_t weight)
{
	uint64_t w = (uint64_t)weight * 100 / CG_WEIGHT_DEFAULT;

	return w < 1 ? 1 : w > 10000 ? 10000 : (uint32_t)w;
}

int64_t cg_quota_us(uint32_t cap)
{
	return cap ? (int64_t)cap * CG_PERIOD_US / 100 : -1;
}

int cg_dom_set(struct cg_host *h, int32_t domid, uint32_t weight, uint32_t cap)
{
	char dir[PATH_MAX + 16], val[64];
	int64_t q = cg_quota_us(cap);
	int r;

	if (h->mode == CG_NONE)
		return -EOPNOTSUPP;
	if (weight < CG_WEIGHT_MIN || weight > CG_WEIGHT_MAX)
		return -EINVAL;
	dom_dir(h, domid, dir, sizeof(dir));
	if (h->mode == CG_V1) {
		snprintf(val, sizeof(val), "%llu", (unsigned long long)cg_v1_shares(weight));
		r = cg_write(dir, "cpu.shares", val);
		snprintf(val, sizeof(val), "%u", CG_PERIOD_US);
		if (r == 0)
			r = cg_write(dir, "cpu.cfs_period_us", val);
		snprintf(val, sizeof(val), "%lld", (long long)q);
		return r ? r : cg_write(dir, "cpu.cfs_quota_us", val);
	}
	snprintf(val, sizeof(val), "%u", cg_v2_weight(weight));
	r = cg_write(dir, "cpu.weight", val);
	if (q < 0)
		snprintf(val, sizeof(val), "max %u", CG_PERIOD_US);
	else
		snprintf(val, sizeof(val), "%lld %u", (long long)q, CG_PERIOD_US);
	return r ? r : cg_write(dir, "cpu.max", val);
}
