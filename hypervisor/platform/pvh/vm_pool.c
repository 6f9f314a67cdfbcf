/*
 * vm_pool: the shell warmer and the reaper (see vm_pool.h).
 *
 * One mutex guards both queues; each thread sleeps on its own condition.
 * The threads block every signal (the main loop owns SIGTERM/SIGINT).
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>

#include "log.h"
#include "vm_pool.h"

struct reap {
	void (*fn)(void *arg);
	void *arg;
	struct reap *next;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t warm_cond = PTHREAD_COND_INITIALIZER;
static pthread_cond_t reap_cond = PTHREAD_COND_INITIALIZER;
static struct vm_shell pool[VM_POOL_SIZE];
static unsigned pool_n;
static struct reap *reap_head, **reap_tail = &reap_head;
static unsigned reap_len;
static bool stopping, running;

#define REAP_BACKLOG_MAX 16
static pthread_t warmer, reaper;

static void *warmer_main(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&lock);
	while (!stopping) {
		struct vm_shell sh;

		if (pool_n == VM_POOL_SIZE) {
			pthread_cond_wait(&warm_cond, &lock);
			continue;
		}
		pthread_mutex_unlock(&lock);
		int r = vm_shell_build(&sh);
		pthread_mutex_lock(&lock);
		if (r < 0) {
			log_warn("vm_pool: cannot prepare a VM: %d", r);
			pthread_cond_wait(&warm_cond, &lock); /* retry on demand */
			continue;
		}
		pool[pool_n++] = sh;
	}
	pthread_mutex_unlock(&lock);
	return NULL;
}

static void *reaper_main(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&lock);
	for (;;) {
		struct reap *r = reap_head;

		if (!r) {
			if (stopping)
				break;
			pthread_cond_wait(&reap_cond, &lock);
			continue;
		}
		reap_head = r->next;
		if (!reap_head)
			reap_tail = &reap_head;
		reap_len--;
		pthread_mutex_unlock(&lock);
		r->fn(r->arg);
		free(r);
		pthread_mutex_lock(&lock);
	}
	pthread_mutex_unlock(&lock);
	return NULL;
}

static int start(pthread_t *t, void *(*fn)(void *))
{
	sigset_t all, old;
	int r;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	r = -pthread_create(t, NULL, fn, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r == 0)
		pthread_setname_np(*t, fn == warmer_main ? "pvxd-warmer" : "pvxd-reaper");
	return r;
}

int vm_pool_init(void)
{
	int r;

	stopping = false;
	r = start(&reaper, reaper_main);
	if (r < 0)
		return r;
	r = start(&warmer, warmer_main);
	if (r < 0) {
		pthread_mutex_lock(&lock);
		stopping = true;
		pthread_cond_broadcast(&reap_cond);
		pthread_mutex_unlock(&lock);
		pthread_join(reaper, NULL);
		return r;
	}
	running = true;
	return 0;
}

void vm_pool_exit(void)
{
	if (!running)
		return;
	pthread_mutex_lock(&lock);
	stopping = true;
	pthread_cond_broadcast(&warm_cond);
	pthread_cond_broadcast(&reap_cond);
	pthread_mutex_unlock(&lock);
	pthread_join(warmer, NULL);
	pthread_join(reaper, NULL); /* after it drained the queue */
	running = false;
	while (pool_n)
		vm_shell_dispose(&pool[--pool_n]);
}

int vm_pool_take(struct vm_shell *s)
{
	bool got = false;

	pthread_mutex_lock(&lock);
	if (pool_n) {
		*s = pool[--pool_n];
		got = true;
	}
	pthread_cond_signal(&warm_cond);
	pthread_mutex_unlock(&lock);
	return got ? 0 : vm_shell_build(s);
}

void vm_pool_reap(void (*fn)(void *arg), void *arg)
{
	struct reap *r = NULL;

	/* Back-pressure: a long backlog means the kernel cannot keep up;
	 * then the caller pays, instead of memory piling up. */
	pthread_mutex_lock(&lock);
	if (running && reap_len < REAP_BACKLOG_MAX)
		r = malloc(sizeof(*r));
	if (r)
		reap_len++;
	pthread_mutex_unlock(&lock);
	if (!r) {
		fn(arg);
		return;
	}
	r->fn = fn;
	r->arg = arg;
	r->next = NULL;
	pthread_mutex_lock(&lock);
	*reap_tail = r;
	reap_tail = &r->next;
	pthread_cond_signal(&reap_cond);
	pthread_mutex_unlock(&lock);
}
