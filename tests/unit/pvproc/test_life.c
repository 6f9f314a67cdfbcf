/* Stop/cont, signals to the waiting thread, death, leaks, latency. */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

static void sleep_ms(long ms)
{
	struct timespec t = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&t, NULL);
}

static double now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

/* Waits up to 2 s (a loaded host) for the guest's counter to pass v. */
static bool counts_past(struct tguest *g, uint64_t v)
{
	for (int i = 0; i < 200 && tguest_read(g, TG_COUNTER) <= v; i++)
		sleep_ms(10);
	return tguest_read(g, TG_COUNTER) > v;
}

START_TEST(test_stop_cont)
{
	struct tguest g;
	uint64_t a, b;

	th_start(&g, TG_GUEST(g_count), 0);
	ck_assert(counts_past(&g, 0));
	ck_assert_int_eq(pvproc_stop(&g.p), 0);
	sleep_ms(20);
	a = tguest_read(&g, TG_COUNTER);
	sleep_ms(30);
	b = tguest_read(&g, TG_COUNTER);
	ck_assert_uint_eq(a, b);
	ck_assert_int_eq(pvproc_cont(&g.p), 0);
	ck_assert(counts_past(&g, b));
	tguest_dispose(&g);
}
END_TEST

static void on_kick(int sig)
{
	(void)sig;
}

struct kicker {
	pthread_t target;
	struct tguest *g;
	bool kill_guest;
	bool done;
};

/* Kicks until the receiver is back, in case a kick lands before it
 * sleeps in RECV. */
static void *kick(void *arg)
{
	struct kicker *k = arg;

	while (!__atomic_load_n(&k->done, __ATOMIC_ACQUIRE)) {
		sleep_ms(50);
		if (k->kill_guest)
			kill(k->g->p.pid, SIGKILL);  /* not reaped: RECV must notice */
		else
			pthread_kill(k->target, SIGUSR2);
	}
	return NULL;
}

static int recv_with(struct tguest *g, bool kill_guest)
{
	struct sigaction sa = { .sa_handler = on_kick };  /* no SA_RESTART */
	struct kicker k = { pthread_self(), g, kill_guest, false };
	struct pvproc_call c;
	pthread_t t;
	int r;

	sigaction(SIGUSR2, &sa, NULL);
	ck_assert_int_eq(pthread_create(&t, NULL, kick, &k), 0);
	r = pvproc_recv(&g->p, &c);
	__atomic_store_n(&k.done, true, __ATOMIC_RELEASE);
	pthread_join(t, NULL);
	return r;
}

START_TEST(test_recv_eintr)
{
	struct tguest g;

	th_start(&g, TG_GUEST(g_count), 0);
	ck_assert_int_eq(recv_with(&g, false), -EINTR);
	tguest_dispose(&g);
}
END_TEST

START_TEST(test_recv_esrch)
{
	struct tguest g;
	struct pvproc_call c;

	th_start(&g, TG_GUEST(g_count), 0);
	ck_assert_int_eq(recv_with(&g, true), -ESRCH);
	ck_assert_str_eq(th_wait_exit(&g), "killed by SIGKILL");
	ck_assert_int_eq(pvproc_recv(&g.p, &c), -ESRCH);      /* reaped */
	tguest_dispose(&g);
	ck_assert_int_eq(pvproc_recv(&g.p, &c), -ESRCH);      /* disposed */
}
END_TEST

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static long rss_kb(pid_t pid)
{
	char path[64], line[256];
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %ld", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/* 200 spawn -> ready -> dispose cycles: no fd left behind (but the
 * shim's memfd, created by the first spawn and kept); prints the
 * spawn and spawn-to-first-hypercall medians and an idle process's RSS. */
START_TEST(test_spawn_cycles)
{
	enum { N = 200 };
	static double spawn[N], ready[N], reap[N];
	int before = -1;
	long rss = -1;

	for (int i = 0; i < N; i++) {
		struct tguest g;
		struct pvproc_call c;
		double t0;

		ck_assert_int_eq(tguest_init(&g, TG_GUEST(g_ready)), 0);
		t0 = now_us();
		ck_assert_int_eq(tguest_spawn(&g, 0), 0);
		spawn[i] = now_us() - t0;
		c = th_expect_hcall(&g, 1);
		ready[i] = now_us() - t0;
		if (i == N / 2)
			rss = rss_kb(g.p.pid);
		pvproc_reply(&g.p, &c, 0);
		t0 = now_us();
		pvproc_dispose(&g.p);
		reap[i] = now_us() - t0;
		tguest_dispose(&g);
		if (i == 0)
			before = count_fds();
	}
	ck_assert_int_eq(count_fds(), before);
	qsort(spawn, N, sizeof(double), cmp_double);
	qsort(ready, N, sizeof(double), cmp_double);
	qsort(reap, N, sizeof(double), cmp_double);
	printf("pvproc spawn: median %.0f us (p90 %.0f), to first hypercall %.0f us, "
	       "kill+reap %.0f us; idle process RSS %ld KiB\n", spawn[N / 2],
	       spawn[N * 9 / 10], ready[N / 2], reap[N / 2], rss);
}
END_TEST

Suite *make_pvproc_life_suite(void)
{
	Suite *s = suite_create("pvproc_life");
	TCase *tc = tcase_create("life");

	tcase_add_test(tc, test_stop_cont);
	tcase_add_test(tc, test_recv_eintr);
	tcase_add_test(tc, test_recv_esrch);
	tcase_add_test(tc, test_spawn_cycles);
	suite_add_tcase(s, tc);
	return s;
}
