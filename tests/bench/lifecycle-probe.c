/*
 * lifecycle-probe: precise timestamps for the lifecycle benchmark
 * (tests/bench/lifecycle-bench, docs/performance.md).
 *
 *   lifecycle-probe ready FILE TEXT TIMEOUT_MS -- CMD [ARG ...]
 *       runs CMD (e.g. `pvx create ...`) and watches FILE (a console log
 *       that may not exist yet) until a line containing TEXT appears.
 *       Prints `exit_ns=.. ready_ns=.. cpu_ns=.. status=..`: both times
 *       are counted from just before the fork, cpu_ns is the user + system
 *       time CMD itself used (its rusage: the monitor it leaves behind is
 *       not counted), status is CMD's exit status.
 *   lifecycle-probe time -- CMD [ARG ...]
 *       prints `ns=.. cpu_ns=.. status=..` for one run of CMD (e.g.
 *       `pvx destroy`).
 *
 * cpu_ns is the figure that load from other users of the machine barely
 * moves, so it shows whether the tool's own work grows (with the number
 * of domains running, say) when the wall-clock times are noisy.
 *
 * Why a program and not `date +%s%N` in the script: a shell timestamp
 * costs a fork and exec of its own (~1 ms here, more under load), the
 * size of what is being measured, and polling a log from the shell
 * every few ms would both miss the moment and steal the CPU the guest
 * needs on a two-core host. Here the child's exit is seen through a
 * pidfd and the log through inotify on its directory (creation and
 * every write), so both wake this process only when something happened;
 * a 20 ms poll tick is a safety net only. The times therefore include
 * what a user pays (fork + exec of the tool) and one host wakeup
 * (~20 µs) for noticing the line, nothing more.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TICK_MS 20
#define SCAN_KEEP 256 /* bytes kept across reads so TEXT may straddle them */

struct watch {
	const char *file, *text;
	int fd;           /* FILE once it exists, else -1 */
	off_t off;        /* how far FILE has been scanned */
	char tail[SCAN_KEEP + 4096 + 1];
	size_t tail_len;
};

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ull + (unsigned long long)ts.tv_nsec;
}

/* Forks and execs argv; the child's pid, or -errno. */
static pid_t spawn(char **argv)
{
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (pid == 0) {
		execvp(argv[0], argv);
		fprintf(stderr, "lifecycle-probe: exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	return pid;
}

static unsigned long long cpu_ns_of(const struct rusage *ru)
{
	return ((unsigned long long)ru->ru_utime.tv_sec + (unsigned long long)ru->ru_stime.tv_sec) *
		       1000000000ull +
	       ((unsigned long long)ru->ru_utime.tv_usec + (unsigned long long)ru->ru_stime.tv_usec) *
		       1000ull;
}

static int status_of(int ws)
{
	return WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
}

/* Reads what was appended to the file since the last call; 1 once TEXT
 * has been seen, 0 if not yet. */
static int scan(struct watch *w)
{
	ssize_t n;

	if (w->fd < 0) {
		w->fd = open(w->file, O_RDONLY | O_CLOEXEC);
		if (w->fd < 0)
			return 0;
	}
	for (;;) {
		n = pread(w->fd, w->tail + w->tail_len, sizeof(w->tail) - 1 - w->tail_len, w->off);
		if (n <= 0)
			return 0;
		w->off += n;
		w->tail_len += (size_t)n;
		w->tail[w->tail_len] = '\0';
		if (strstr(w->tail, w->text))
			return 1;
		if (w->tail_len > SCAN_KEEP) {
			memmove(w->tail, w->tail + w->tail_len - SCAN_KEEP, SCAN_KEEP);
			w->tail_len = SCAN_KEEP;
		}
	}
}

static void drain(int fd)
{
	char buf[4096];

	while (read(fd, buf, sizeof(buf)) > 0)
		;
}

/* Waits for the child's exit (pidfd) and for TEXT in the file (inotify);
 * fills *exit_ns and *ready_ns (0 = not seen before the deadline). */
static int watch_loop(struct watch *w, int ino, int pidfd, pid_t pid, unsigned long long t0,
		      unsigned long long deadline, unsigned long long *exit_ns,
		      unsigned long long *ready_ns, int *status, struct rusage *ru)
{
	int ws;

	while ((!*exit_ns || !*ready_ns) && now_ns() < deadline) {
		struct pollfd p[2] = { { .fd = ino, .events = POLLIN },
				       { .fd = *exit_ns ? -1 : pidfd, .events = POLLIN } };

		if (poll(p, 2, TICK_MS) < 0 && errno != EINTR)
			return -errno;
		if (p[0].revents)
			drain(ino);
		if (!*ready_ns && scan(w))
			*ready_ns = now_ns() - t0;
		if (!*exit_ns && p[1].revents && wait4(pid, &ws, WNOHANG, ru) == pid) {
			*exit_ns = now_ns() - t0;
			*status = status_of(ws);
		}
	}
	return 0;
}

static int cmd_ready(char **argv)
{
	struct watch w = { .file = argv[0], .text = argv[1], .fd = -1 };
	unsigned long long t0, exit_ns = 0, ready_ns = 0;
	struct rusage ru = { 0 };
	char dir[4096];
	int ino, pidfd, status = -1, rc;
	pid_t pid;

	snprintf(dir, sizeof(dir), "%s", w.file);
	ino = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (ino < 0 || inotify_add_watch(ino, dirname(dir), IN_CREATE | IN_MODIFY | IN_MOVED_TO) < 0) {
		fprintf(stderr, "lifecycle-probe: inotify on %s: %s\n", dir, strerror(errno));
		return 1;
	}
	t0 = now_ns();
	pid = spawn(argv + 4);
	pidfd = pid > 0 ? (int)syscall(SYS_pidfd_open, pid, 0) : -1;
	if (pidfd < 0) {
		fprintf(stderr, "lifecycle-probe: cannot run %s\n", argv[4]);
		return 1;
	}
	rc = watch_loop(&w, ino, pidfd, pid, t0, t0 + strtoull(argv[2], NULL, 10) * 1000000ull,
			&exit_ns, &ready_ns, &status, &ru);
	if (!exit_ns && wait4(pid, &status, 0, &ru) == pid) /* past the deadline: reap anyway */
		status = status_of(status);
	printf("exit_ns=%llu ready_ns=%llu cpu_ns=%llu status=%d\n", exit_ns, ready_ns,
	       cpu_ns_of(&ru), status);
	close(pidfd);
	close(ino);
	if (w.fd >= 0)
		close(w.fd);
	return rc < 0 || !ready_ns || status != 0;
}

static int cmd_time(char **argv)
{
	unsigned long long t0 = now_ns(), dt;
	pid_t pid = spawn(argv);
	struct rusage ru;
	int ws;

	if (pid < 0 || wait4(pid, &ws, 0, &ru) != pid) {
		fprintf(stderr, "lifecycle-probe: cannot run %s\n", argv[0]);
		return 1;
	}
	dt = now_ns() - t0;
	printf("ns=%llu cpu_ns=%llu status=%d\n", dt, cpu_ns_of(&ru), status_of(ws));
	return status_of(ws) != 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: lifecycle-probe ready FILE TEXT TIMEOUT_MS -- CMD [ARG ...]\n"
			"       lifecycle-probe time -- CMD [ARG ...]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	if (argc >= 8 && !strcmp(argv[1], "ready") && !strcmp(argv[5], "--"))
		return cmd_ready(argv + 2);
	if (argc >= 4 && !strcmp(argv[1], "time") && !strcmp(argv[2], "--"))
		return cmd_time(argv + 3);
	usage();
	return 2;
}
