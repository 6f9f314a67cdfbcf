/*
 * Daemon lifecycle for one run directory (issue 3 §5, docs/cli.md).
 *
 * Daemons run in the foreground and find their run directory through
 * $PVX_RUNDIR; `pvx daemons start` does the detaching: fork, new
 * session, stdin from /dev/null, stdout/stderr appended to
 * <logdir>/<name>.stderr.log (the daemon writes its own <name>.log; this
 * file keeps what it printed before its log was open, and sanitizer
 * reports), exec, pid written to <rundir>/<name>.pid (the daemon may
 * rewrite it with the same pid). A
 * daemon is ready when its socket accepts a connection; start waits for
 * that (or for the daemon's early death, reported with its log's last
 * line) before starting the next one, because later daemons connect to
 * earlier ones. Stop goes in reverse order: SIGTERM, then wait on a
 * pidfd for the process to exit.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <blkif.h>
#include <netif.h>
#include <pvx/ctlclient.h>

#include <pvx/daemon.h>

#include "cmd.h"
#include "daemons.h"

#define READY_TIMEOUT_MS 10000
#define STOP_TIMEOUT_MS  10000

const struct pvx_daemon pvx_daemons[] = {
	{ "pvxd", PVX_CTL_SOCK_NAME, SOCK_SEQPACKET },
	{ "pvxstored", "xenstored/socket", SOCK_STREAM },
	{ "pvx-consoled", "consoled.sock", SOCK_STREAM },
	{ "pvx-blkback", PVX_BLK_CTL_SOCK, SOCK_STREAM },
	{ "pvx-netback", PVX_NET_CTL_SOCK, SOCK_STREAM },
};
const size_t pvx_ndaemons = sizeof(pvx_daemons) / sizeof(pvx_daemons[0]);

static void path_in(char *buf, size_t len, const char *dir, const char *name,
		    const char *suffix)
{
	snprintf(buf, len, "%s/%s%s", dir, name, suffix);
}

bool pvx_daemon_built(const struct pvx_daemon *d, const char *bindir)
{
	char path[PATH_MAX];

	path_in(path, sizeof(path), bindir, d->name, "");
	return access(path, X_OK) == 0;
}

/* A zombie (exited, not yet reaped by whoever inherited it) is gone. */
static bool is_zombie(pid_t pid)
{
	char path[64], buf[256], *paren;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	paren = strrchr(buf, ')'); /* the name may hold spaces and parens */
	return paren && paren[1] == ' ' && paren[2] == 'Z';
}

/* /proc/PID/exe names the daemon: a recycled pid is not ours to signal. */
static bool is_daemon(pid_t pid, const char *name)
{
	char link[64], exe[PATH_MAX];
	const char *base;
	ssize_t n;

	if (is_zombie(pid))
		return false;
	snprintf(link, sizeof(link), "/proc/%d/exe", (int)pid);
	n = readlink(link, exe, sizeof(exe) - 1);
	if (n < 0)
		return kill(pid, 0) == 0 && errno != ESRCH; /* not ours to read: trust */
	exe[n] = '\0';
	if (n > 10 && strcmp(exe + n - 10, " (deleted)") == 0)
		exe[n - 10] = '\0'; /* rebuilt under a running daemon */
	base = strrchr(exe, '/');
	return strcmp(base ? base + 1 : exe, name) == 0;
}

pid_t pvx_daemon_pid(const struct pvx_daemon *d)
{
	char path[PATH_MAX];
	FILE *f;
	int pid = 0;

	path_in(path, sizeof(path), pvx_rundir(), d->name, ".pid");
	f = fopen(path, "re");
	if (!f)
		return 0;
	if (fscanf(f, "%d", &pid) != 1 || pid <= 1)
		pid = 0;
	fclose(f);
	return pid && is_daemon(pid, d->name) ? pid : 0;
}

void pvx_daemon_wait_dying(const struct pvx_daemon *d)
{
	char path[PATH_MAX];
	FILE *f;
	int pid = 0;

	path_in(path, sizeof(path), pvx_rundir(), d->name, ".pid");
	f = fopen(path, "re");
	if (!f)
		return;
	if (fscanf(f, "%d", &pid) != 1)
		pid = 0;
	fclose(f);
	if (pid > 1 && pvx_pid_dying(pid) &&
	    pvx_wait_dying(pid, PVX_DYING_WAIT_MS) == -ETIMEDOUT)
		pvx_err("%s (pid %d) is still exiting after %u ms", d->name, pid,
			PVX_DYING_WAIT_MS);
}

bool pvx_daemon_ready(const struct pvx_daemon *d)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, ok;

	if (!d->sock)
		return pvx_daemon_pid(d) != 0;
	if (snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/%s", pvx_rundir(), d->sock) >=
	    (int)sizeof(sa.sun_path))
		return false;
	fd = socket(AF_UNIX, d->sock_type | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	ok = connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0;
	close(fd);
	return ok;
}

bool pvx_daemon_running(const char *name)
{
	for (size_t i = 0; i < pvx_ndaemons; i++)
		if (!strcmp(pvx_daemons[i].name, name))
			return pvx_daemon_ready(&pvx_daemons[i]);
	return false;
}

static int write_pid(const struct pvx_daemon *d, pid_t pid)
{
	char path[PATH_MAX];
	FILE *f;

	path_in(path, sizeof(path), pvx_rundir(), d->name, ".pid");
	f = fopen(path, "we");
	if (!f)
		return -errno;
	fprintf(f, "%d\n", (int)pid);
	return fclose(f) == 0 ? 0 : -EIO;
}

static void exec_child(const struct pvx_daemon *d, const char *bindir)
{
	char path[PATH_MAX], log[PATH_MAX];
	int null = open("/dev/null", O_RDONLY), out;

	path_in(path, sizeof(path), bindir, d->name, "");
	path_in(log, sizeof(log), pvx_logdir(), d->name, ".stderr.log");
	out = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
	setsid();
	if (null < 0 || out < 0)
		_exit(127);
	dup2(null, 0);
	dup2(out, 1);
	dup2(out, 2);
	if (null > 2)
		close(null);
	if (out > 2)
		close(out);
	execl(path, d->name, (char *)NULL);
	fprintf(stderr, "cannot execute %s: %s\n", path, strerror(errno));
	_exit(127);
}

static void last_log_line(const struct pvx_daemon *d, char *buf, size_t len)
{
	char path[PATH_MAX], line[512];
	FILE *f;

	snprintf(buf, len, "(nothing on its stderr)");
	path_in(path, sizeof(path), pvx_logdir(), d->name, ".stderr.log");
	f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (line[0] != '\n')
			snprintf(buf, len, "%s", line);
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
}

/* Waits until the socket accepts; reports a daemon that died first. */
static int wait_ready(const struct pvx_daemon *d, pid_t pid)
{
	char why[512];
	int status;

	for (int waited = 0; waited < READY_TIMEOUT_MS; waited += 5) {
		if (pvx_daemon_ready(d))
			return 0;
		if (waitpid(pid, &status, WNOHANG) == pid) {
			last_log_line(d, why, sizeof(why));
			pvx_err("%s exited at once (%s %d): %s", d->name,
				WIFEXITED(status) ? "status" : "signal",
				WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status), why);
			return -ECHILD;
		}
		nanosleep(&(struct timespec){ 0, 5000000 }, NULL);
	}
	pvx_err("%s did not open %s/%s within %d s (see %s/%s.log)", d->name,
		pvx_rundir(), d->sock, READY_TIMEOUT_MS / 1000, pvx_logdir(), d->name);
	return -ETIMEDOUT;
}

pid_t pvx_daemon_start(const struct pvx_daemon *d, const char *bindir)
{
	pid_t pid;
	int rc;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0)
		exec_child(d, bindir);
	rc = write_pid(d, pid);
	if (rc < 0) {
		kill(pid, SIGTERM);
		pvx_err("cannot write %s/%s.pid: %s", pvx_rundir(), d->name, strerror(-rc));
		return rc;
	}
	rc = wait_ready(d, pid);
	if (rc == -ETIMEDOUT)
		kill(pid, SIGTERM);
	return rc < 0 ? rc : pid;
}

static bool wait_exit(pid_t pid, int timeout_ms)
{
	int pfd = (int)syscall(SYS_pidfd_open, pid, 0);
	struct pollfd p = { .fd = pfd, .events = POLLIN };
	int rc;

	if (pfd < 0)
		return errno == ESRCH;
	do
		rc = poll(&p, 1, timeout_ms);
	while (rc < 0 && errno == EINTR);
	close(pfd);
	return rc > 0;
}

int pvx_daemon_stop(const struct pvx_daemon *d)
{
	char path[PATH_MAX];
	pid_t pid = pvx_daemon_pid(d);
	int rc = 0;

	if (pid > 0) {
		kill(pid, SIGTERM);
		if (!wait_exit(pid, STOP_TIMEOUT_MS)) {
			pvx_err("%s (pid %d) ignored SIGTERM for %d s; killed it", d->name,
				(int)pid, STOP_TIMEOUT_MS / 1000);
			kill(pid, SIGKILL);
			wait_exit(pid, 1000);
			rc = -ETIMEDOUT;
		}
	}
	path_in(path, sizeof(path), pvx_rundir(), d->name, ".pid");
	unlink(path);
	return rc;
}
