/*
 * A `pv` process's life as pvxd drives it, through the pidfd (no
 * pid reuse race): upcall (the upcall signal, which the trampoline turns
 * into a call of the guest's callback), stop/cont, kill and reap, and the
 * exit reason for the domain's log.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pvproc.h"
#include "pvproc_impl.h"
#include "pvproc_wire.h"

/*
 * Without a pidfd (pidfd_open answered ENOSYS, as under valgrind 3.19)
 * the pid does the same job safely: the process is our child, and its
 * pid cannot be reused before we reap it, after which p->pid is 0.
 */
bool pvproc_running(const struct pvproc *p)
{
	return p->pidfd >= 0 || p->pid > 0;
}

int pvproc_waitid(struct pvproc *p, siginfo_t *si, int options)
{
	int r;

	if (p->pidfd >= 0)
		return waitid(P_PIDFD, (id_t)p->pidfd, si, options);
	r = waitid(P_PID, (id_t)p->pid, si, options);
	if (r == 0 && si->si_pid && !(options & WNOWAIT))
		p->pid = 0; /* reaped: the pid may be reused from now on */
	return r;
}

static int send_sig(struct pvproc *p, int sig)
{
	long r;

	if (!pvproc_running(p))
		return -ESRCH;
	r = p->pidfd >= 0 ? syscall(SYS_pidfd_send_signal, p->pidfd, sig, NULL, 0)
			  : kill(p->pid, sig);
	return r < 0 ? -errno : 0;
}

int pvproc_upcall(struct pvproc *p)
{
	return send_sig(p, PVPROC_UPCALL_SIGNAL);
}

int pvproc_stop(struct pvproc *p)
{
	return send_sig(p, SIGSTOP);
}

int pvproc_cont(struct pvproc *p)
{
	return send_sig(p, SIGCONT);
}

void pvproc_kill(struct pvproc *p)
{
	siginfo_t si;

	if (!pvproc_running(p))
		return;
	send_sig(p, SIGKILL);
	while (pvproc_waitid(p, &si, WEXITED) < 0 && errno == EINTR)
		;
}

static void describe(const siginfo_t *si, char *why, size_t len)
{
	const char *abbrev = sigabbrev_np(si->si_status);

	if (si->si_code == CLD_EXITED)
		snprintf(why, len, "exited with status %d", si->si_status);
	else if (abbrev)
		snprintf(why, len, "killed by SIG%s%s", abbrev,
			 si->si_code == CLD_DUMPED ? " (core dumped)" : "");
	else
		snprintf(why, len, "killed by signal %d", si->si_status);
}

int pvproc_exited(struct pvproc *p, char *why, size_t len)
{
	siginfo_t si;

	if (!pvproc_running(p)) {
		snprintf(why, len, "not running");
		return 1;
	}
	memset(&si, 0, sizeof(si));
	if (pvproc_waitid(p, &si, WEXITED | WNOHANG) < 0) {
		if (errno != ECHILD)
			return -errno;
		snprintf(why, len, "exited (reaped before)");
		return 1;
	}
	if (si.si_pid == 0)
		return 0;
	describe(&si, why, len);
	return 1;
}

void pvproc_dispose(struct pvproc *p)
{
	pvproc_kill(p);
	if (p->notify_fd >= 0)
		close(p->notify_fd);
	if (p->uffd >= 0)
		close(p->uffd);
	if (p->pidfd >= 0)
		close(p->pidfd);
	p->notify_fd = p->pidfd = p->uffd = -1;
	p->pid = 0;
}
