/*
 * dom_run: the run state of a domain and its vCPU threads.
 *
 *   CREATED --unpause--> RUNNING <--pause/unpause--> PAUSED
 *   RUNNING/PAUSED --guest shutdown--> SHUTDOWN (reason) or CRASHED
 *   any --destroy--> DYING --> gone (PVX_DOM_DEAD event)
 *
 * A vCPU thread parks in vcpu_park() whenever the domain is paused or
 * stopped and leaves for good when it is dying. Pausing is synchronous:
 * dom_pause returns once every thread is parked, so a paused domain's
 * registers and memory are quiet.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

#include "dom.h"

#define PAUSE_REKICK_NS 50000000ull

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

uint64_t mono_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

uint64_t real_ns(void)
{
	return clock_ns(CLOCK_REALTIME);
}

uint64_t dom_system_time(const struct domain *d)
{
	return mono_ns() - d->create_mono_ns;
}

void vcpu_wake(struct vcpu *v)
{
	uint64_t one = 1;

	if (__atomic_load_n(&v->blocked, __ATOMIC_SEQ_CST) &&
	    write(v->wake_fd, &one, sizeof(one)) < 0) {
		/* counter full: the vCPU is awake anyway */
	}
}

void vcpu_kick(struct vcpu *v)
{
	uint64_t one = 1;

	v->d->plat->vcpu_kick(v);
	if (v->thread_started && !pthread_equal(v->thread, pthread_self()))
		pthread_kill(v->thread, SIGUSR1);
	if (write(v->wake_fd, &one, sizeof(one)) < 0) {
		/* as in vcpu_wake */
	}
}

static void kick_all(struct domain *d)
{
	for (unsigned i = 0; i < d->nr_vcpus; i++)
		vcpu_kick(&d->vcpus[i]);
}

static bool must_park(const struct domain *d)
{
	return d->dying || d->paused || d->stopping;
}

bool vcpu_park(struct vcpu *v)
{
	struct domain *d = v->d;
	bool leave;

	/* Clear the previous kick before looking at the flags: a kicker sets
	 * its flag before the platform's kick (pvh: immediate_exit), so
	 * either we see the flag now or the next run returns at once. */
	d->plat->vcpu_kick_ack(v);
	if (!__atomic_load_n(&d->dying, __ATOMIC_SEQ_CST) &&
	    !__atomic_load_n(&d->paused, __ATOMIC_SEQ_CST) &&
	    !__atomic_load_n(&d->stopping, __ATOMIC_SEQ_CST))
		return false;
	pthread_mutex_lock(&d->lock);
	while (must_park(d) && !d->dying) {
		d->nr_parked++;
		pthread_cond_broadcast(&d->cond);
		pthread_cond_wait(&d->cond, &d->lock);
		d->nr_parked--;
	}
	leave = d->dying;
	pthread_mutex_unlock(&d->lock);
	return leave;
}

static void wait_parked(struct domain *d)
{
	while (d->nr_parked < d->nr_threads && d->paused && !d->dying) {
		struct timespec ts;
		uint64_t t = real_ns() + PAUSE_REKICK_NS;

		ts.tv_sec = (time_t)(t / 1000000000ull);
		ts.tv_nsec = (long)(t % 1000000000ull);
		if (pthread_cond_timedwait(&d->cond, &d->lock, &ts) == ETIMEDOUT) {
			pthread_mutex_unlock(&d->lock);
			kick_all(d);
			pthread_mutex_lock(&d->lock);
		}
	}
}

int dom_pause(struct domain *d)
{
	int r = 0;

	pthread_mutex_lock(&d->lock);
	if (d->state == PVX_DOM_RUNNING) {
		__atomic_store_n(&d->paused, true, __ATOMIC_SEQ_CST);
		d->state = PVX_DOM_PAUSED;
		pthread_mutex_unlock(&d->lock);
		if (d->plat->dom_freeze)
			d->plat->dom_freeze(d);
		kick_all(d);
		pthread_mutex_lock(&d->lock);
		wait_parked(d);
	} else if (d->state != PVX_DOM_PAUSED && d->state != PVX_DOM_CREATED) {
		r = -EINVAL;
	}
	pthread_mutex_unlock(&d->lock);
	if (r == 0)
		dom_event_post(d);
	return r;
}

/* The platform starts (or resumes) the guest before the threads leave
 * their park; if it cannot, the domain stays paused. */
static int start_guest(struct domain *d)
{
	uint32_t state;

	pthread_mutex_lock(&d->lock);
	state = d->state;
	pthread_mutex_unlock(&d->lock);
	if (state != PVX_DOM_PAUSED && state != PVX_DOM_CREATED)
		return 0;
	return d->plat->dom_start ? d->plat->dom_start(d) : 0;
}

int dom_unpause(struct domain *d)
{
	int r = dom_mig_can_start(d) ? start_guest(d) : -EINVAL;

	if (r < 0)
		return r;
	pthread_mutex_lock(&d->lock);
	if (d->state == PVX_DOM_PAUSED || d->state == PVX_DOM_CREATED) {
		d->state = PVX_DOM_RUNNING;
		__atomic_store_n(&d->paused, false, __ATOMIC_SEQ_CST);
		pthread_cond_broadcast(&d->cond);
	} else if (d->state != PVX_DOM_RUNNING) {
		r = -EINVAL;
	}
	pthread_mutex_unlock(&d->lock);
	if (r == 0)
		dom_event_post(d);
	return r;
}

void dom_shutdown(struct domain *d, int reason, uint32_t code)
{
	pthread_mutex_lock(&d->lock);
	if (d->stopping || d->dying) {
		pthread_mutex_unlock(&d->lock);
		return;
	}
	__atomic_store_n(&d->stopping, true, __ATOMIC_SEQ_CST);
	d->state = reason == SHUTDOWN_crash ? PVX_DOM_CRASHED : PVX_DOM_SHUTDOWN;
	d->shutdown_reason = reason;
	d->shutdown_code = code;
	pthread_cond_broadcast(&d->cond);
	pthread_mutex_unlock(&d->lock);
	dlog(d, LOG_INFO, "shutdown, reason %d code %u", reason, code);
	if (d->plat->dom_freeze)
		d->plat->dom_freeze(d); /* the guest runs no further */
	kick_all(d);
	dom_event_post(d);
}

void dom_crash(struct domain *d, const char *why)
{
	dlog(d, LOG_ERR, "crashed: %s", why);
	dom_shutdown(d, SHUTDOWN_crash, d->shutdown_code);
}

void dom_stop_threads(struct domain *d)
{
	pthread_mutex_lock(&d->lock);
	__atomic_store_n(&d->dying, true, __ATOMIC_SEQ_CST);
	pthread_cond_broadcast(&d->cond);
	pthread_mutex_unlock(&d->lock);
	if (d->plat->dom_kill)
		d->plat->dom_kill(d);
	kick_all(d);
	for (unsigned i = 0; i < d->nr_vcpus; i++)
		vcpu_join(&d->vcpus[i]);
	d->nr_threads = 0;
}
