/*
 * platform_pv_vcpu: the vCPU thread of a `pv` domain, between pvxd and
 * its sandboxed process (pv/pvproc.h).
 *
 * One run waits in pvproc_recv for the next system call of the process.
 * A kick sets pv->kicked before its SIGUSR1 (like immediate_exit on
 * pvh): a run that finds it set returns at once, a recv under way
 * returns -EINTR. Only a kick landing in the few instructions between
 * that test and the ioctl is lost; pause re-kicks (dom_run.c) and
 * destroy kills the process first, so neither waits on it. Blocking in
 * the recv itself, not in a poll() before it, keeps the kernel's
 * same-CPU wakeup (SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP): ~1 µs of a
 * ~3 µs hypercall here. A death wakes the recv (kernel 6.6+) and the
 * main loop's pidfd watch in any case.
 *  - a hypercall runs through hcall_dispatch with GVA = GPA, and its
 *    result goes back in rax;
 *  - any other system call is the guest breaking out of its sandbox:
 *    the process is killed and the domain crashes with the call named
 *    ("host system call 2 (open) at 0x...");
 *  - the process gone (a fault, a signal, killed from outside): the
 *    domain crashes with how it ended ("killed by SIGSEGV").
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "dom.h"
#include "hcall.h"
#include "platform_pv.h"

/* The process is gone: wait (briefly) until it can be reaped and crash
 * the domain with how it ended. */
static void process_gone(struct vcpu *v)
{
	struct pollfd p = { .fd = v->d->pv->proc.pidfd, .events = POLLIN };

	if (pv_notice_exit(v->d) != 0)
		return;
	(void)poll(&p, 1, 100);
	if (pv_notice_exit(v->d) == 0 && !__atomic_load_n(&v->d->pv->gone,
							   __ATOMIC_SEQ_CST)) {
		pv_kill(v->d);
		dom_crash(v->d, "pv: the domain's process is lost");
	}
}

static void forbidden(struct vcpu *v, const struct pvproc_call *c, char *why,
		      size_t len)
{
	const char *name = pvproc_syscall_name(c->arch, c->nr);

	snprintf(why, len, "host system call %llu (%s) at 0x%llx",
		 (unsigned long long)c->nr, name ? name : "?",
		 (unsigned long long)c->ip);
	pv_kill(v->d);
}

static int hypercall(struct vcpu *v, const struct pvproc_call *call,
		     char *why, size_t len)
{
	struct pv_dom *pv = v->d->pv;
	struct hc_ctx c;
	long ret;
	int r;

	memset(&c, 0, sizeof(c));
	c.d = v->d;
	c.v = v;
	c.nr = call->nr;
	memcpy(c.arg, call->arg, sizeof(c.arg));
	ret = hcall_dispatch(&c);
	if (ret == HC_EXIT_THREAD) {
		pv_hcall_done(v);
		return 0; /* the domain is going away; vcpu_park notices */
	}
	r = pvproc_reply(&pv->proc, call, ret);
	pv_hcall_done(v);
	if (r < 0 && r != -ENOENT) {
		snprintf(why, len, "pv: cannot answer hypercall %llu: %s",
			 (unsigned long long)call->nr, strerror(-r));
		pv_kill(v->d);
		return -1;
	}
	return 0; /* -ENOENT: gone or withdrawn; the next wait sees which */
}

/*
 * Once received, a hypercall is ours until the answer: the shim's filter
 * has SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV, so an upcall signal cannot
 * withdraw it. Upcalls are deferred meanwhile anyway (pv_hcall_done),
 * so SCHEDOP_block returns before the upcall runs, as on Xen.
 */
static int take_call(struct vcpu *v, char *why, size_t len)
{
	struct pv_dom *pv = v->d->pv;
	struct pvproc_call c;
	int r = pvproc_recv(&pv->proc, &c);

	if (r == 0 && c.kind == PVPROC_HYPERCALL && pv->restore_regs) {
		if (pv_restore_regs(v, &c) == 0)
			return 0;
		snprintf(why, len, "pv: cannot load the restored registers");
		pv_kill(v->d);
		return -1;
	}
	if (r == 0 && c.kind == PVPROC_HYPERCALL) {
		pthread_mutex_lock(&pv->lock);
		pv->in_hcall = true;
		pthread_mutex_unlock(&pv->lock);
		return hypercall(v, &c, why, len);
	}
	if (r == -EINTR)
		return 0; /* a kick: vcpu_park looks at why */
	if (r == -ESRCH) {
		process_gone(v);
		return 0;
	}
	if (r < 0) {
		snprintf(why, len, "pv: pvproc_recv: %s", strerror(-r));
		pv_kill(v->d);
		return -1;
	}
	forbidden(v, &c, why, len);
	return -1;
}

int pv_vcpu_run(struct vcpu *v, char *why, size_t len)
{
	struct pv_dom *pv = v->d->pv;

	if (v->id != 0) {
		/* A vCPU that stays down: wait for a kick (its SIGUSR1 ends
		 * the poll) or look at the flags again in a second. */
		(void)poll(NULL, 0, 1000);
		return 0;
	}

	if (!__atomic_load_n(&pv->spawned, __ATOMIC_ACQUIRE)) {
		snprintf(why, len, "pv: vCPU runs without its process");
		return -1;
	}
	if (__atomic_load_n(&pv->gone, __ATOMIC_SEQ_CST)) {
		usleep(1000); /* crash or destroy under way: let it park us */
		return 0;
	}
	if (__atomic_load_n(&pv->kicked, __ATOMIC_SEQ_CST))
		return 0; /* vcpu_park looks at why */
	return take_call(v, why, len);
}
