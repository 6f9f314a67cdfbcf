/*
 * Two-thread stress test of pvx/ring.h: a front-end thread sends 10M
 * requests carrying pseudo-random payloads, a back-end thread answers each
 * with a function of its payload, and both sides sleep on a semaphore
 * whenever the ring API's final check says there is nothing to do. Wake-ups
 * happen only when a push says "notify", exactly like an event channel, so
 * a barrier or hold-off bug shows up as a lost wake-up (the test hangs and
 * Check's timeout fails it) or as a checksum mismatch.
 */
#include <check.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "ring_test.h"

#define STRESS_REQUESTS 10000000ull

#if defined(__SANITIZE_ADDRESS__)
#define STRESS_BUDGET_S 60.0 /* sanitizers slow every access */
#else
#define STRESS_BUDGET_S 5.0
#endif

struct stress {
	struct t_sring *s;
	struct t_front_ring f;
	struct t_back_ring b;
	sem_t to_back, to_front;   /* the two event channels */
	uint64_t n;
	uint64_t back_sum;         /* payloads seen by the back end */
	uint64_t front_sum;        /* answers seen by the front end */
	uint64_t sent_sum;         /* payloads sent */
	uint64_t notifies;         /* front-end pushes that said "notify" */
	uint64_t sleeps;           /* times the front end blocked */
	int error;                 /* first mismatch or -EIO, 0 if none */
};

/* Both threads read error; either may set it. */
static void set_error(struct stress *st, int e)
{
	int zero = 0;

	__atomic_compare_exchange_n(&st->error, &zero, e, false, __ATOMIC_RELAXED,
				    __ATOMIC_RELAXED);
}

static int get_error(struct stress *st)
{
	return __atomic_load_n(&st->error, __ATOMIC_RELAXED);
}

/*
 * Poll briefly before going to sleep, as a real backend's busy loop would:
 * on a loaded 2-CPU machine every sleep is a context switch. Sleeps still
 * happen whenever the peer stalls for longer, which keeps the wake-up path
 * under test.
 */
#define SPIN_BEFORE_SLEEP 256

static uint64_t payload_of(uint64_t i)
{
	uint64_t x = i * 0x9E3779B97F4A7C15ull;

	return x ^ (x >> 29);
}

static void *back_thread(void *arg)
{
	struct stress *st = arg;
	struct t_req req;
	uint64_t done = 0;
	int r;

	while (done < st->n) {
		while ((r = t_back_get_request(&st->b, &req)) == 1) {
			struct t_rsp rsp = { .id = req.id, .value = req.payload * 3 + 1 };

			st->back_sum += req.payload;
			if (t_back_put_response(&st->b, &rsp) != 0)
				set_error(st, 1);
			done++;
		}
		if (r < 0) {
			set_error(st, r);
			break;
		}
		if (t_back_push_responses_and_check_notify(&st->b))
			sem_post(&st->to_front);
		for (int spin = 0; spin < SPIN_BEFORE_SLEEP; spin++) {
			if (t_back_has_unconsumed_requests(&st->b) != 0)
				break;
			__builtin_ia32_pause();
		}
		r = t_back_final_check_for_requests(&st->b);
		if (r < 0) {
			set_error(st, r);
			break;
		}
		if (r == 0 && done < st->n)
			sem_wait(&st->to_back);
	}
	/* Let a front end blocked on us notice an error. */
	sem_post(&st->to_front);
	return NULL;
}

/* Fill the ring as far as allowed; returns how many were queued. */
static uint32_t front_send(struct stress *st, uint64_t *sent)
{
	uint32_t k = 0;
	struct t_req *slot;

	while (*sent < st->n && (slot = t_front_req_slot(&st->f))) {
		slot->id = *sent;
		slot->payload = payload_of(*sent);
		slot->nr = 0;
		st->sent_sum += slot->payload;
		(*sent)++;
		k++;
	}
	if (k && t_front_push_requests_and_check_notify(&st->f)) {
		st->notifies++;
		sem_post(&st->to_back);
	}
	return k;
}

static void front_loop(struct stress *st)
{
	uint64_t sent = 0, recvd = 0;
	struct t_rsp rsp;
	int r;

	while (recvd < st->n && !get_error(st)) {
		uint32_t k = front_send(st, &sent);

		while ((r = t_front_get_response(&st->f, &rsp)) == 1) {
			if (rsp.id != recvd || rsp.value != payload_of(recvd) * 3 + 1) {
				set_error(st, 2);
				return;
			}
			st->front_sum += rsp.value;
			recvd++;
			k++;
		}
		if (r < 0) {
			set_error(st, r);
			return;
		}
		if (k)
			continue;
		for (int spin = 0; spin < SPIN_BEFORE_SLEEP; spin++) {
			if (t_front_has_unconsumed_responses(&st->f) != 0)
				break;
			__builtin_ia32_pause();
		}
		r = t_front_final_check_for_responses(&st->f);
		if (r < 0)
			set_error(st, r);
		else if (r == 0) {
			st->sleeps++;
			sem_wait(&st->to_front);
		}
	}
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

START_TEST(test_two_thread_stress)
{
	struct stress *st = calloc(1, sizeof(*st));
	pthread_t back;
	double t0, elapsed;

	ck_assert_ptr_nonnull(st);
	st->n = STRESS_REQUESTS;
	st->s = t_ring_alloc(1);
	/* Start just below the wrap so the run crosses it. */
	t_sring_init(st->s);
	st->s->hdr.req_prod = st->s->hdr.rsp_prod = 0xFFFFFF00u;
	st->s->hdr.req_event = st->s->hdr.rsp_event = 0xFFFFFF01u;
	ck_assert_int_eq(t_front_attach(&st->f, st->s, T_PAGE), 0);
	ck_assert_int_eq(t_back_attach(&st->b, st->s, T_PAGE), 0);
	sem_init(&st->to_back, 0, 0);
	sem_init(&st->to_front, 0, 0);

	t0 = now_s();
	ck_assert_int_eq(pthread_create(&back, NULL, back_thread, st), 0);
	front_loop(st);
	if (get_error(st))
		sem_post(&st->to_back); /* unblock the back end to join it */
	pthread_join(back, NULL);
	elapsed = now_s() - t0;

	ck_assert_int_eq(st->error, 0);
	ck_assert_uint_eq(st->back_sum, st->sent_sum);
	ck_assert_uint_eq(st->front_sum, st->sent_sum * 3 + st->n);
	ck_assert_uint_eq(st->s->hdr.req_prod, (RING_IDX)(0xFFFFFF00u + st->n));
	ck_assert_uint_eq(st->s->hdr.rsp_prod, (RING_IDX)(0xFFFFFF00u + st->n));
	ck_assert_msg(elapsed < STRESS_BUDGET_S, "%llu requests took %.2f s (budget %.0f s)",
		      (unsigned long long)st->n, elapsed, STRESS_BUDGET_S);
	fprintf(stderr, "ring stress: %llu requests in %.2f s, %llu notifications, %llu front sleeps\n",
		(unsigned long long)st->n, elapsed, (unsigned long long)st->notifies,
		(unsigned long long)st->sleeps);
	sem_destroy(&st->to_back);
	sem_destroy(&st->to_front);
	free(st->s);
	free(st);
}
END_TEST

Suite *make_ring_stress_suite(void)
{
	Suite *s = suite_create("ring_stress");
	TCase *tc = tcase_create("threads");

	/* A lost wake-up hangs; the timeout turns that into a failure. */
	tcase_set_timeout(tc, STRESS_BUDGET_S * 6);
	tcase_add_test(tc, test_two_thread_stress);
	suite_add_tcase(s, tc);
	return s;
}
