/*
 * pv_state: a `pv` domain's state for save/restore (docs/migration-hv.md).
 *
 * The guest's registers live in its host process, which pvxd reaches
 * with ptrace only for these moments (the process is pvxd's child):
 *  - save (main thread): the process is stopped (pause and shutdown
 *    SIGSTOP it, and vCPU 0 always parks outside a hypercall, see
 *    hc_sched.c), so a seize traps it at once: read the general and
 *    fxsave registers, detach, and it stays stopped;
 *  - a cancelled suspend: the same, writing 1 into rax;
 *  - restore: a new process is launched at the raw hypercall stub with
 *    every register clear, so its first act is hypercall 0 from there.
 *    vCPU 0's thread takes that call, seizes and interrupts the process,
 *    answers the call, catches the process on its way out of the kernel
 *    and loads the saved registers (the segment selectors stay the
 *    host's), then detaches: the guest continues where it was saved.
 * The event callback (CALLBACKOP_register) is pvxd's state and travels
 * with the registers.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>

#include <pvx/pv.h>

#include "dom.h"
#include "evtchn.h"
#include "platform_pv.h"
#include "save_state.h"

/* user_regs_struct word indices that stay the host's. */
enum { R_ORIG_RAX = 15, R_CS = 17, R_EFLAGS = 18, R_SS = 20, R_DS = 23,
       R_ES = 24, R_FS = 25, R_GS = 26 };
#define EFLAGS_USER 0x00000CD5ull /* CF PF AF ZF SF DF OF */

_Static_assert(sizeof(struct user_regs_struct) == 27 * 8, "user_regs_struct");
_Static_assert(sizeof(struct user_fpregs_struct) == 512, "user_fpregs_struct");

static void pv_state_limits(struct mig_limits *l)
{
	l->rec_size[MIG_REC_PV_REGS] = sizeof(struct mig_pv_regs);
}

/* Waits (at most 2 s) for the seized process to stop. */
static int wait_stop(pid_t pid)
{
	struct timespec nap = { 0, 1000000 };

	for (int i = 0; i < 2000; i++) {
		int st;
		pid_t r = waitpid(pid, &st, __WALL | WNOHANG);

		if (r == pid && WIFSTOPPED(st))
			return 0;
		if (r == pid || (r < 0 && errno != EINTR))
			return -ESRCH;
		nanosleep(&nap, NULL);
	}
	return -ETIMEDOUT;
}

static int seize(pid_t pid)
{
	if (ptrace(PTRACE_SEIZE, pid, 0, 0) < 0)
		return -errno;
	if (ptrace(PTRACE_INTERRUPT, pid, 0, 0) < 0) {
		int r = -errno;

		(void)ptrace(PTRACE_DETACH, pid, 0, 0);
		return r;
	}
	return 0;
}

static pid_t live_pid(struct domain *d)
{
	struct pv_dom *pv = d->pv;
	pid_t pid = 0;

	pthread_mutex_lock(&pv->lock);
	if (pv->spawned && !pv->gone)
		pid = pv->proc.pid;
	pthread_mutex_unlock(&pv->lock);
	return pid;
}

/* Reads (and with set, rewrites rax of) the stopped process. */
static int regs_of(struct domain *d, struct mig_pv_regs *out, const uint64_t *set_rax)
{
	struct user_regs_struct regs;
	pid_t pid = live_pid(d);
	int r;

	if (!pid)
		return -ESRCH;
	r = seize(pid);
	if (r < 0)
		return r;
	r = wait_stop(pid);
	if (r == 0 && ptrace(PTRACE_GETREGS, pid, 0, &regs) < 0)
		r = -errno;
	if (r == 0 && out && ptrace(PTRACE_GETFPREGS, pid, 0, out->fxsave) < 0)
		r = -errno;
	if (r == 0 && set_rax) {
		regs.rax = *set_rax;
		if (ptrace(PTRACE_SETREGS, pid, 0, &regs) < 0)
			r = -errno;
	}
	if (r == 0 && out)
		memcpy(out->gpr, &regs, sizeof(regs));
	(void)ptrace(PTRACE_DETACH, pid, 0, 0); /* it stays in its group stop */
	return r;
}

static int pv_state_save(struct domain *d, struct mig_writer *w)
{
	struct pv_dom *pv = d->pv;
	struct mig_pv_regs m;
	int r;

	memset(&m, 0, sizeof(m));
	r = regs_of(d, &m, NULL);
	if (r < 0) {
		dlog(d, LOG_ERR, "pv: cannot read the process's registers: %d", r);
		return r;
	}
	pthread_mutex_lock(&pv->lock);
	m.callback = pv->callback;
	m.callback_flags = pv->callback_flags;
	pthread_mutex_unlock(&pv->lock);
	mig_put(w, MIG_REC_PV_REGS, 0, &m, sizeof(m));
	return 0;
}

static int pv_state_load(struct domain *d, const struct mig_parsed *p)
{
	const struct mig_rec *r = mig_find(p, MIG_REC_PV_REGS, 0);
	struct pv_dom *pv = d->pv;
	struct mig_pv_regs *m;

	if (!r || mig_find(p, MIG_REC_PV_REGS, 1))
		return -EINVAL;
	m = malloc(sizeof(*m));
	if (!m)
		return -ENOMEM;
	memcpy(m, r->data, sizeof(*m));
	if (m->callback && (m->callback < PVX_PV_RAM_FLOOR ||
			    m->callback >= d->vm.ram_bytes)) {
		free(m);
		return -EINVAL;
	}
	pthread_mutex_lock(&pv->lock);
	if (pv->spawned) {
		pthread_mutex_unlock(&pv->lock);
		free(m);
		return -EBUSY;
	}
	free(pv->restore_regs);
	pv->restore_regs = m;
	pv->callback = m->callback;
	pv->callback_flags = (uint16_t)m->callback_flags;
	pvproc_pages_set_callback(&pv->pages, m->callback);
	/* Launched with clear registers at the raw stub: hypercall 0. */
	pv->entry = PVX_PV_RAW_HYPERCALL;
	pv->start_info = PVX_PV_RAM_FLOOR;
	pv->booted = true;
	pthread_mutex_unlock(&pv->lock);
	return 0;
}

static int pv_set_retval(struct vcpu *v, uint64_t value)
{
	return v->id == 0 ? regs_of(v->d, NULL, &value) : -EINVAL;
}

/* vCPU 0's thread, at the new process's first hypercall: see the top. */
int pv_restore_regs(struct vcpu *v, const struct pvproc_call *c)
{
	struct pv_dom *pv = v->d->pv;
	struct mig_pv_regs *m = pv->restore_regs;
	struct user_regs_struct now, want;
	pid_t pid = pv->proc.pid;
	int r = seize(pid);

	pv->restore_regs = NULL;
	if (r == 0 && pvproc_reply(&pv->proc, c, 0) < 0)
		r = -ESRCH;
	if (r == 0)
		r = wait_stop(pid);
	if (r == 0 && ptrace(PTRACE_GETREGS, pid, 0, &now) < 0)
		r = -errno;
	if (r == 0) {
		uint64_t *g = (uint64_t *)&want;
		const uint64_t *h = (const uint64_t *)&now;

		memcpy(&want, m->gpr, sizeof(want));
		g[R_ORIG_RAX] = (uint64_t)-1; /* no system call to restart */
		g[R_CS] = h[R_CS];
		g[R_SS] = h[R_SS];
		g[R_DS] = h[R_DS];
		g[R_ES] = h[R_ES];
		g[R_FS] = h[R_FS];
		g[R_GS] = h[R_GS];
		g[R_EFLAGS] = (h[R_EFLAGS] & ~EFLAGS_USER) | (g[R_EFLAGS] & EFLAGS_USER);
		if (ptrace(PTRACE_SETREGS, pid, 0, &want) < 0 ||
		    ptrace(PTRACE_SETFPREGS, pid, 0, m->fxsave) < 0)
			r = -errno;
	}
	(void)ptrace(PTRACE_DETACH, pid, 0, 0);
	free(m);
	if (r == 0) /* events that arrived while it was stopped */
		evtchn_reraise((domid_t)v->d->domid, 0);
	return r;
}

const struct platform_mig_ops pv_mig_ops = {
	.state_limits = pv_state_limits,
	.state_save = pv_state_save,
	.state_load = pv_state_load,
	.set_retval = pv_set_retval,
	.dirty_start = pv_dirty_start,
	.dirty_stop = pv_dirty_stop,
	.dirty_collect = pv_dirty_collect,
};
