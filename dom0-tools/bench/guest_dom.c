/*
 * The benchmark's minios domain and its device entries.
 *
 * The domain is created through the pvx CLI installed next to this
 * program (so the config checks and the monitor are the real ones),
 * paused: the device entries must exist before minios looks for them.
 * Its config is a temporary file naming the kernel by absolute path.
 *
 * Entries, as a toolstack writes them for a real device:
 *   backend/bench/<domid>/0   frontend, frontend-id, state, bench-* (the
 *                             run's parameters): ours, the guest reads
 *   /local/domain/<domid>/device/bench/0   backend, backend-id, state:
 *                             the guest's (it publishes its ring there)
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <xen/public/io/xenbus.h>

#include "guest.h"

static int self_dir(char *buf, size_t len)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n <= 0)
		return -errno;
	exe[n] = 0;
	snprintf(buf, len, "%s", dirname(exe));
	return 0;
}

/*
 * The default kernel: minios is built in out/guest/ whatever the build
 * directory (Makefile: GO), so from out/bin it is ../guest/minios and from
 * out/san/bin ../../guest/minios; when both exist, the newer one (a stale
 * copy must not win).
 */
static int default_kernel(char *kernel)
{
	static const char *const rel[] = { "/../guest/minios", "/../../guest/minios" };
	char dir[PATH_MAX], path[PATH_MAX + 32];
	struct timespec best = { 0, 0 };
	struct stat st;

	if (self_dir(dir, sizeof(dir)))
		return -ENOENT;
	kernel[0] = 0;
	for (size_t i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
		snprintf(path, sizeof(path), "%s%s", dir, rel[i]);
		if (stat(path, &st) || !S_ISREG(st.st_mode) ||
		    st.st_mtim.tv_sec < best.tv_sec || !realpath(path, kernel))
			continue;
		best = st.st_mtim;
	}
	return kernel[0] ? 0 : -ENOENT;
}

static int write_cfg(struct gback *b, const struct bench_opts *o, char *cfg, size_t len)
{
	char kernel[PATH_MAX];
	FILE *f;
	int fd;

	if (o->kernel ? !realpath(o->kernel, kernel) : default_kernel(kernel) < 0)
		return snprintf(b->msg, sizeof(b->msg), "minios kernel %.120s: not found (build "
				"it: make out/guest/minios, or give --kernel)",
				o->kernel ? o->kernel : "../guest/minios next to pvx-bench"), -ENOENT;
	snprintf(cfg, len, "/tmp/pvx-bench-ring.XXXXXX");
	fd = mkstemp(cfg);
	f = fd < 0 ? NULL : fdopen(fd, "w");
	if (!f)
		return snprintf(b->msg, sizeof(b->msg), "temporary config: %m"), -EIO;
	/* No type unless --type: pvx create picks what kernel and host run. */
	if (o->type)
		fprintf(f, "type = \"%s\"\n", o->type);
	fprintf(f, "name = \"%s\"\nkernel = \"%s\"\ncmdline = \"bench-ring 0\"\n"
		"memory = 32\nvcpus = 1\non_poweroff = \"destroy\"\non_reboot = \"destroy\"\n"
		"on_crash = \"destroy\"\n", b->name, kernel);
	return fclose(f) ? -EIO : 0;
}

static int run_pvx(struct gback *b, const char *cfg)
{
	char dir[PATH_MAX], pvx[PATH_MAX + 8];
	pid_t pid;
	int st;

	if (self_dir(dir, sizeof(dir)))
		return -ENOENT;
	snprintf(pvx, sizeof(pvx), "%s/pvx", dir);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		execl(pvx, "pvx", "create", "-q", "-p", cfg, (char *)NULL);
		fprintf(stderr, "pvx bench ring: cannot run %s: %m\n", pvx);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st)) {
		snprintf(b->msg, sizeof(b->msg), "pvx create %s failed (see above)", cfg);
		return -EIO;
	}
	return 0;
}

int gb_dom_create(struct gback *b, const struct bench_opts *o)
{
	static unsigned seq;
	char cfg[64];
	int r;

	(void)o;
	snprintf(b->name, sizeof(b->name), "bench-ring-%d-%u", (int)getpid(), seq++);
	r = write_cfg(b, o, cfg, sizeof(cfg));
	if (r)
		return r;
	r = run_pvx(b, cfg);
	unlink(cfg);
	if (r)
		return r;
	r = pvx_ctl_lookup(b->ctl, b->name, &b->domid);
	if (r)
		snprintf(b->msg, sizeof(b->msg), "created %s but cannot find it: %s", b->name,
			 strerror(-r));
	return r;
}

void gb_dom_destroy(struct gback *b)
{
	char dir[96];

	if (b->domid <= 0)
		return;
	pvx_ctl_destroy(b->ctl, b->domid);
	/* The guest's whole backend directory, as a toolstack removes it. */
	snprintf(dir, sizeof(dir), "/local/domain/0/backend/bench/%d", (int)b->domid);
	xs_rm(b->xs, XBT_NULL, dir);
	b->domid = 0;
}

int gb_read_u64(struct gback *b, const char *dir, const char *key, uint64_t *out)
{
	char path[160], *v = NULL, *end;
	int r;

	snprintf(path, sizeof(path), "%s/%s", dir, key);
	r = xs_read(b->xs, XBT_NULL, path, &v, NULL);
	if (r)
		return r;
	errno = 0;
	*out = strtoull(v, &end, 10);
	r = (errno || end == v || *end || *v == '-') ? -EINVAL : 0;
	free(v);
	return r;
}

static int put(struct gback *b, xs_transaction_t t, const char *dir, const char *key,
	       const char *fmt, uint64_t v)
{
	char path[160], val[64];

	snprintf(path, sizeof(path), "%s/%s", dir, key);
	snprintf(val, sizeof(val), fmt, v);
	return xs_write_str(b->xs, t, path, val);
}

static int put_str(struct gback *b, xs_transaction_t t, const char *dir, const char *key,
		   const char *val)
{
	char path[160];

	snprintf(path, sizeof(path), "%s/%s", dir, key);
	return xs_write_str(b->xs, t, path, val);
}

int gb_set_state(struct gback *b, unsigned state)
{
	return put(b, XBT_NULL, b->be, "state", "%" PRIu64, state);
}

static int dev_tx(struct xs_handle *h, xs_transaction_t t, void *arg)
{
	struct gback *b = arg;
	struct xs_permission fe_perm[] = { { (uint32_t)b->domid, XS_PERM_NONE },
					   { 0, XS_PERM_READ } };
	struct xs_permission be_perm[] = { { 0, XS_PERM_NONE },
					   { (uint32_t)b->domid, XS_PERM_READ } };
	const char *u = "%" PRIu64;
	int r;

	(void)h;
	r = xs_mkdir(b->xs, t, b->be) ?: xs_set_perms(b->xs, t, b->be, be_perm, 2);
	r = r ?: put(b, t, b->be, "frontend-id", u, (uint64_t)b->domid);
	r = r ?: put_str(b, t, b->be, "frontend", b->fe);
	r = r ?: put(b, t, b->be, "bench-ring-pages", u, b->ring_pages);
	r = r ?: put(b, t, b->be, "bench-batch", u, b->batch);
	r = r ?: put(b, t, b->be, "bench-outstanding", u, b->outstanding);
	r = r ?: put(b, t, b->be, "bench-payload", u, b->payload);
	r = r ?: put(b, t, b->be, "bench-notify", u, (uint64_t)b->notify);
	r = r ?: put(b, t, b->be, "bench-warmup-us", u, b->warmup_us);
	r = r ?: put(b, t, b->be, "bench-window-us", u, b->window_us);
	r = r ?: put(b, t, b->be, "bench-pingpong", u, b->pingpong);
	r = r ?: put(b, t, b->be, "bench-spin-us", u, b->spin_us);
	if (b->hostile)
		r = r ?: put_str(b, t, b->be, "bench-hostile", b->hostile);
	r = r ?: put(b, t, b->be, "state", u, XenbusStateInitialising);
	r = r ?: xs_mkdir(b->xs, t, b->fe) ?: xs_set_perms(b->xs, t, b->fe, fe_perm, 2);
	r = r ?: put_str(b, t, b->fe, "backend", b->be);
	r = r ?: put(b, t, b->fe, "backend-id", u, 0);
	r = r ?: put(b, t, b->fe, "state", u, XenbusStateInitialising);
	return r;
}

int gb_dev_write(struct gback *b)
{
	int r;

	snprintf(b->fe, sizeof(b->fe), "/local/domain/%d/device/bench/0", (int)b->domid);
	snprintf(b->be, sizeof(b->be), "/local/domain/0/backend/bench/%d/0", (int)b->domid);
	r = xs_transaction_run(b->xs, dev_tx, b, 0);
	if (r)
		snprintf(b->msg, sizeof(b->msg), "writing the device entries: %s", strerror(-r));
	return r;
}
