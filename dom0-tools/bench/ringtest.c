/*
 * Linux's tools/virtio/ringtest as a baseline: three ring layouts (`ring`,
 * `virtio_ring_0_9`, `ptr_ring`) in the same harness, run with parameters
 * comparable to ours (ring size = our entries, batch, outstanding, the
 * same CPUs; --sleep, i.e. eventfd notifications with event-index
 * suppression, unless we poll).
 *
 * Nothing of Linux is committed: when Debian's linux-source-6.1 is
 * installed, the first run extracts tools/virtio/ringtest and the one
 * kernel header it includes (include/linux/ptr_ring.h) from
 * /usr/src/linux-source-6.1.tar.xz into a cache directory next to the
 * binaries ($(O)/ringtest, or $PVX_RINGTEST_DIR) and builds them with
 * their own Makefile, under a lock so concurrent runs build once. The
 * programs print nothing; as the ringtest README suggests, we time them
 * (wall clock around fork..wait, ~1 ms of exec included) and report
 * ops/s = run-cycles / seconds.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

#define DEFAULT_TARBALL "/usr/src/linux-source-6.1.tar.xz"

/* snprintf into a path buffer; a path too long is an error, not a surprise. */
static int pathf(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int pathf(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* ptr_ring has no notification path: its kick/call hooks assert(0). */
static const struct variant {
	const char *name;
	bool can_sleep;
} variants[BENCH_RINGTEST_VARIANTS] = {
	{ "ring", true }, { "virtio_ring_0_9", true }, { "ptr_ring", false },
};

static void cache_dir(char *buf, size_t len)
{
	const char *env = getenv("PVX_RINGTEST_DIR");
	char exe[PATH_MAX];
	ssize_t n;
	char *slash;

	if (env && *env) {
		snprintf(buf, len, "%s", env);
		return;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	exe[n > 0 ? n : 0] = '\0';
	slash = strrchr(exe, '/');
	if (n <= 0 || !slash) {
		snprintf(buf, len, "out/ringtest");
		return;
	}
	*slash = '\0';                           /* $(O)/bin */
	slash = strrchr(exe, '/');
	if (slash)
		*slash = '\0';                   /* $(O) */
	pathf(buf, len, "%s/ringtest", exe);
}

/* Runs argv with output appended to log (or discarded); exit status or -errno. */
static int run(char *const argv[], const char *log)
{
	pid_t pid = fork();
	int st, fd;

	if (pid < 0)
		return -errno;
	if (pid == 0) {
		fd = open(log ? log : "/dev/null", O_WRONLY | O_CREAT | O_APPEND, 0644);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) != pid)
		return -ECHILD;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static bool built(const char *dir)
{
	char p[PATH_MAX];

	for (int i = 0; i < BENCH_RINGTEST_VARIANTS; i++) {
		if (pathf(p, sizeof(p), "%s/tools/virtio/ringtest/%s", dir, variants[i].name) ||
		    access(p, X_OK))
			return false;
	}
	return true;
}

/* Extract and build; called with the cache lock held. */
static int build(const char *dir, const char *tarball, const char *log)
{
	char top[PATH_MAX], rt[PATH_MAX], hdr[PATH_MAX], mk[PATH_MAX];
	const char *base = strrchr(tarball, '/');
	size_t n;

	base = base ? base + 1 : tarball;
	n = strstr(base, ".tar") ? (size_t)(strstr(base, ".tar") - base) : strlen(base);
	if (n == 0 || n >= sizeof(top) - 1)
		return -EINVAL;
	memcpy(top, base, n);
	top[n] = '\0';                           /* linux-source-6.1 */
	if (pathf(rt, sizeof(rt), "%s/tools/virtio/ringtest", top) ||
	    pathf(hdr, sizeof(hdr), "%s/include/linux/ptr_ring.h", top) ||
	    pathf(mk, sizeof(mk), "%s/tools/virtio/ringtest", dir))
		return -ENAMETOOLONG;
	{
		char *tar[] = { "tar", "-xJf", (char *)tarball, "-C", (char *)dir,
				"--strip-components=1", rt, hdr, NULL };
		char *make[] = { "make", "-s", "-C", mk, "ring", "virtio_ring_0_9", "ptr_ring", NULL };

		if (run(tar, log) != 0 || run(make, log) != 0)
			return -EIO;
	}
	return 0;
}

static int ensure_built(const char *dir, const char *tarball, char *why, size_t len)
{
	char lockp[PATH_MAX], log[PATH_MAX];
	int fd, r = 0;

	if (built(dir))
		return 0;
	if (mkdir(dir, 0755) && errno != EEXIST) {
		snprintf(why, len, "ringtest: cannot create %.160s: %s", dir, strerror(errno));
		return -errno;
	}
	if (pathf(lockp, sizeof(lockp), "%s/.lock", dir) ||
	    pathf(log, sizeof(log), "%s/build.log", dir)) {
		snprintf(why, len, "ringtest: cache directory path too long");
		return -ENAMETOOLONG;
	}
	fd = open(lockp, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0 || flock(fd, LOCK_EX)) {
		snprintf(why, len, "ringtest: cannot lock %.180s", lockp);
		if (fd >= 0)
			close(fd);
		return -EIO;
	}
	if (!built(dir)) {
		fprintf(stderr, "ringtest: building from %s into %s (once, ~30 s)\n", tarball, dir);
		r = build(dir, tarball, log);
		if (r)
			snprintf(why, len, "ringtest: build failed, see %.180s", log);
	}
	close(fd);
	return r;
}

static void run_variant(const char *dir, const char *name, char **args,
			struct bench_ringtest_run *out)
{
	char prog[PATH_MAX];
	char *argv[24];
	int n = 0, st;
	uint64_t t0;

	out->name = name;
	out->status = -ENAMETOOLONG;
	if (pathf(prog, sizeof(prog), "%s/tools/virtio/ringtest/%s", dir, name))
		return;
	argv[n++] = prog;
	for (int i = 0; args[i] && n < 23; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	out->name = name;
	t0 = bench_now_ns();
	st = run(argv, NULL);
	out->seconds = (double)(bench_now_ns() - t0) / 1e9;
	out->status = st == 0 ? 0 : -EIO;
	out->note = st == 0 ? NULL : "exited with an error";
}

void bench_ringtest_run(const struct bench_opts *o, unsigned batch, struct bench_ringtest *rt)
{
	const char *tarball = getenv("PVX_LINUX_SOURCE");
	char dir[PATH_MAX], a[6][24];
	char *args[16];
	int n = 0;

	memset(rt, 0, sizeof(*rt));
	tarball = tarball && *tarball ? tarball : DEFAULT_TARBALL;
	if (access(tarball, R_OK)) {
		snprintf(rt->why, sizeof(rt->why),
			 "ringtest: linux-source-6.1 not installed (apt-get install linux-source-6.1)");
		return;
	}
	cache_dir(dir, sizeof(dir));
	if (ensure_built(dir, tarball, rt->why, sizeof(rt->why)))
		return;
	rt->cycles = o->ringtest_cycles;
	snprintf(a[0], sizeof(a[0]), "%u", bench_ring_entries(o->ring_pages));
	snprintf(a[1], sizeof(a[1]), "%ld", o->ringtest_cycles);
	snprintf(a[2], sizeof(a[2]), "%u", batch);
	snprintf(a[3], sizeof(a[3]), "%u", bench_outstanding(o));
	snprintf(a[4], sizeof(a[4]), "%d", o->cpu_back);
	snprintf(a[5], sizeof(a[5]), "%d", o->cpu_front);
	args[n++] = "--ring-size", args[n++] = a[0];
	args[n++] = "--run-cycles", args[n++] = a[1];
	args[n++] = "--batch", args[n++] = a[2];
	args[n++] = "--outstanding", args[n++] = a[3];
	if (o->cpu_back >= 0 && o->cpu_front >= 0) {
		args[n++] = "--host-affinity", args[n++] = a[4];
		args[n++] = "--guest-affinity", args[n++] = a[5];
	}
	if (o->notify != BENCH_NOTIFY_POLL)
		args[n++] = "--sleep";
	args[n] = NULL;
	for (int i = 0, off = 0; i < n && off < (int)sizeof(rt->args) - 1; i++)
		off += snprintf(rt->args + off, sizeof(rt->args) - (size_t)off, "%s%s",
				i ? " " : "", args[i]);
	rt->available = true;
	for (int i = 0; i < BENCH_RINGTEST_VARIANTS; i++) {
		if (o->notify != BENCH_NOTIFY_POLL && !variants[i].can_sleep) {
			rt->run[i] = (struct bench_ringtest_run){ variants[i].name, -ENOTSUP,
				"no notification support (--sleep)", 0, 0 };
			continue;
		}
		run_variant(dir, variants[i].name, args, &rt->run[i]);
		if (rt->run[i].status == 0 && rt->run[i].seconds > 0)
			rt->run[i].ops_per_s = (double)o->ringtest_cycles / rt->run[i].seconds;
	}
}

double bench_ringtest_best(const struct bench_ringtest *rt, const char **name)
{
	double best = 0;

	if (name)
		*name = NULL;
	for (int i = 0; rt->available && i < BENCH_RINGTEST_VARIANTS; i++)
		if (rt->run[i].status == 0 && rt->run[i].ops_per_s > best) {
			best = rt->run[i].ops_per_s;
			if (name)
				*name = rt->run[i].name;
		}
	return best;
}
