/*
 * evq: a mutex-protected ring of pvx_ctl_event plus an eventfd that makes
 * the main loop drain it (see evq.h).
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "evq.h"
#include "log.h"

#define EVQ_SIZE 1024

static pthread_mutex_t evq_lock = PTHREAD_MUTEX_INITIALIZER;
static struct pvx_ctl_event ring[EVQ_SIZE];
static uint64_t head, tail;
static int efd = -1;

int evq_init(void)
{
	efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	return efd < 0 ? -errno : 0;
}

void evq_exit(void)
{
	if (efd >= 0)
		close(efd);
	efd = -1;
	head = tail = 0;
}

int evq_fd(void)
{
	return efd;
}

void evq_post(const struct pvx_ctl_event *ev)
{
	uint64_t one = 1;

	pthread_mutex_lock(&evq_lock);
	if (head - tail == EVQ_SIZE) {
		tail++;
		log_warn("evq: subscribers behind, dropped an event");
	}
	ring[head++ % EVQ_SIZE] = *ev;
	pthread_mutex_unlock(&evq_lock);
	if (efd >= 0 && write(efd, &one, sizeof(one)) < 0) {
		/* counter saturated: the loop is woken anyway */
	}
}

void evq_drain(void (*fn)(const struct pvx_ctl_event *ev, void *arg), void *arg)
{
	uint64_t n;

	if (efd >= 0 && read(efd, &n, sizeof(n)) < 0) {
		/* EAGAIN: nothing signalled, drain anyway */
	}
	for (;;) {
		struct pvx_ctl_event ev;

		pthread_mutex_lock(&evq_lock);
		if (tail == head) {
			pthread_mutex_unlock(&evq_lock);
			return;
		}
		ev = ring[tail++ % EVQ_SIZE];
		pthread_mutex_unlock(&evq_lock);
		fn(&ev, arg);
	}
}
