/*
 * vcpu: a vCPU's generic part and the thread that runs it.
 *
 * The thread loops: park while the domain is paused or stopped, then
 * let the domain's platform run the guest until one exit or trap
 * (platform.h). Other threads stop it with vcpu_kick() (dom_run.c):
 * they set their flag first (under d->lock), then the platform's kick,
 * then send SIGUSR1, which interrupts whatever the thread blocks in
 * (KVM_RUN, the pv platform's wait for the guest process).
 *
 * vCPU threads block every signal except SIGUSR1 (and the synchronous
 * SIGSEGV/SIGBUS), so SIGTERM/SIGINT reach the main thread's event loop.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "dom.h"
#include "dsched.h"
#include "platform.h"

static void kick_handler(int sig)
{
	(void)sig;
}

int vcpu_signal_init(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = kick_handler; /* no SA_RESTART: interrupt blocking calls */
	sigemptyset(&sa.sa_mask);
	return sigaction(SIGUSR1, &sa, NULL) < 0 ? -errno : 0;
}

int vcpu_init(struct vcpu *v, struct domain *d, unsigned id)
{
	int r;

	memset(v, 0, sizeof(*v));
	v->d = d;
	v->id = id;
	v->fd = v->wake_fd = v->timer_fd = -1;
	v->rl = (struct ratelimit)RATELIMIT_INIT;
	v->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	v->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (v->wake_fd < 0 || v->timer_fd < 0) {
		r = -errno;
		goto err;
	}
	r = d->plat->vcpu_init(v);
	if (r < 0)
		goto err;
	return 0;
err:
	vcpu_dispose(v);
	return r;
}

void vcpu_dispose(struct vcpu *v)
{
	if (v->d && v->d->plat)
		v->d->plat->vcpu_dispose(v);
	if (v->wake_fd >= 0)
		close(v->wake_fd);
	if (v->timer_fd >= 0)
		close(v->timer_fd);
	v->wake_fd = v->timer_fd = -1;
}

static void *vcpu_thread(void *arg)
{
	struct vcpu *v = arg;
	const struct platform_ops *p = v->d->plat;
	struct timespec ts;
	char why[160];

	dsched_vcpu_thread_start(v);
	if (p->vcpu_thread_init)
		p->vcpu_thread_init(v);
	while (!vcpu_park(v)) {
		why[0] = '\0';
		if (p->vcpu_run(v, why, sizeof(why)) < 0)
			dom_crash(v->d, why[0] ? why : "fatal vCPU exit");
	}
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	v->cpu_ns_final = (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
	return NULL;
}

int vcpu_start(struct vcpu *v)
{
	sigset_t all, old;
	int r;

	/* The thread inherits this mask: everything but the kick blocked. */
	sigfillset(&all);
	sigdelset(&all, SIGUSR1);
	sigdelset(&all, SIGSEGV);
	sigdelset(&all, SIGBUS);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	r = -pthread_create(&v->thread, NULL, vcpu_thread, v);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r == 0) {
		char name[16];

		snprintf(name, sizeof(name), "pvxd-d%dv%u", v->d->domid, v->id);
		pthread_setname_np(v->thread, name); /* for top -H, gdb */
		v->thread_started = true;
		v->has_clock = pthread_getcpuclockid(v->thread, &v->clock) == 0;
	}
	return r;
}

/* Kicks again every 50 ms while the thread runs on: a kick can land
 * just before the thread blocks and be lost (platform_pv_vcpu.c). */
void vcpu_join(struct vcpu *v)
{
	if (!v->thread_started)
		return;
	for (;;) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 50000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		if (pthread_timedjoin_np(v->thread, NULL, &ts) != ETIMEDOUT)
			break;
		vcpu_kick(v);
	}
	v->thread_started = false;
}

uint64_t vcpu_cpu_ns(const struct vcpu *v)
{
	struct timespec ts;

	if (!v->thread_started || !v->has_clock || clock_gettime(v->clock, &ts) < 0)
		return v->cpu_ns_final;
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}
