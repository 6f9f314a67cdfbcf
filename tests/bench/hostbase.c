/*
 * hostbase: the host-only baselines that pvx benchmarks report beside
 * their own figures, measured in the same run (docs/performance.md).
 *
 *   hostbase eventfd N   two threads on different CPUs ping-pong N times
 *                        through a pair of eventfds (blocking reads)
 *   hostbase pipe N      the same through a pair of pipes
 *
 * Output, one line, for scripts:
 *   baseline=eventfd n=N median_ns=... p99_ns=... mean_ns=...
 * Each sample is one round trip (A writes, B reads and answers, A reads).
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

struct channel {
	int a_to_b[2]; /* [0] read end, [1] write end (same fd for eventfd) */
	int b_to_a[2];
	long rounds;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu % (int)sysconf(_SC_NPROCESSORS_ONLN), &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

static int xfer(int wfd, int rfd)
{
	uint64_t v = 1;

	if (wfd >= 0 && write(wfd, &v, sizeof(v)) != sizeof(v))
		return -errno;
	if (rfd >= 0 && read(rfd, &v, sizeof(v)) != sizeof(v))
		return -errno;
	return 0;
}

static void *echo_thread(void *arg)
{
	struct channel *ch = arg;

	pin(1);
	for (long i = 0; i < ch->rounds; i++)
		if (xfer(-1, ch->a_to_b[0]) || xfer(ch->b_to_a[1], -1))
			break;
	return NULL;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int open_channel(struct channel *ch, const char *kind)
{
	if (!strcmp(kind, "eventfd")) {
		ch->a_to_b[0] = ch->a_to_b[1] = eventfd(0, 0);
		ch->b_to_a[0] = ch->b_to_a[1] = eventfd(0, 0);
		return ch->a_to_b[0] < 0 || ch->b_to_a[0] < 0 ? -1 : 0;
	}
	if (!strcmp(kind, "pipe"))
		return pipe(ch->a_to_b) || pipe(ch->b_to_a) ? -1 : 0;
	return -1;
}

int main(int argc, char **argv)
{
	struct channel ch;
	pthread_t echo;
	uint64_t *lat, sum = 0;

	if (argc != 3 || (ch.rounds = atol(argv[2])) <= 0 ||
	    open_channel(&ch, argv[1])) {
		fprintf(stderr, "usage: hostbase eventfd|pipe ROUNDS\n");
		return 2;
	}
	lat = calloc((size_t)ch.rounds, sizeof(*lat));
	if (!lat || pthread_create(&echo, NULL, echo_thread, &ch))
		return 1;
	pin(0);
	for (long i = 0; i < ch.rounds; i++) {
		uint64_t t0 = now_ns();

		if (xfer(ch.a_to_b[1], ch.b_to_a[0]))
			return 1;
		lat[i] = now_ns() - t0;
		sum += lat[i];
	}
	pthread_join(echo, NULL);
	qsort(lat, (size_t)ch.rounds, sizeof(*lat), cmp_u64);
	printf("baseline=%s n=%ld median_ns=%llu p99_ns=%llu mean_ns=%llu\n",
	       argv[1], ch.rounds,
	       (unsigned long long)lat[ch.rounds / 2],
	       (unsigned long long)lat[ch.rounds * 99 / 100],
	       (unsigned long long)(sum / (uint64_t)ch.rounds));
	free(lat);
	return 0;
}
