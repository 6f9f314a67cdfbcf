/*
 * Child processes for two-process measurements. Every child dies with its
 * parent (PR_SET_PDEATHSIG), is pinned before it runs, and is reaped with a
 * deadline: the parent sleeps in poll() on a pidfd rather than waking up
 * periodically, because on a 2-CPU machine both CPUs belong to the pinned
 * children while they run.
 */
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

bool bench_cpu_usable(int cpu)
{
	cpu_set_t set;

	if (cpu < 0 || cpu >= CPU_SETSIZE || sched_getaffinity(0, sizeof(set), &set))
		return false;
	return CPU_ISSET(cpu, &set);
}

int bench_pin(int cpu)
{
	cpu_set_t set;

	if (cpu < 0)
		return 0;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) ? -errno : 0;
}

pid_t bench_spawn(int cpu, int (*fn)(void *), void *arg)
{
	pid_t parent = getpid(), pid = fork();

	if (pid < 0)
		return -errno;
	if (pid > 0)
		return pid;
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent)
		_exit(1);
	if (bench_pin(cpu))
		_exit(1);
	_exit(fn(arg) == 0 ? 0 : 1);
}

/* Sleeps until pid exits or timeout_ms passes. */
static void wait_exit(pid_t pid, int timeout_ms)
{
	int fd = (int)syscall(SYS_pidfd_open, pid, 0);
	struct pollfd p = { .fd = fd, .events = POLLIN };

	if (fd < 0)
		return;
	while (poll(&p, 1, timeout_ms) < 0 && errno == EINTR)
		;
	close(fd);
}

int bench_reap(pid_t pid, int timeout_ms, uint64_t *cpu_ns)
{
	struct rusage ru;
	int st;
	pid_t w;

	wait_exit(pid, timeout_ms);
	w = wait4(pid, &st, WNOHANG, &ru);
	if (w == 0) {
		kill(pid, SIGKILL);
		w = wait4(pid, &st, 0, &ru);
	}
	if (w != pid)
		return -ECHILD;
	if (cpu_ns)
		*cpu_ns += (uint64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000u +
			   (uint64_t)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000u;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
