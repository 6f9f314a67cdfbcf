/*
 * The backend against a hostile frontend. The test plays the frontend by
 * writing the shared ring directly: good requests first, then a producer
 * index that jumps past the ring or runs backwards, or a request whose id,
 * opcode or payload descriptor is wrong. The backend must answer the good
 * requests, report the bad one (ctl->back_err, a message naming it,
 * back_done) and return, never touching memory outside the region.
 *
 * The in-process tests call bench_back_run directly (Check forks each
 * test); the process tests run it in a pinned child exactly as a host run
 * does, with the backend asleep in holdoff mode when the bad index
 * arrives, and assert it exits with status 1 rather than a signal or a
 * hang.
 */
#include <string.h>
#include <unistd.h>

#include "bench_test.h"

#define ROWS(t) (sizeof(t) / sizeof((t)[0]))

static struct bench_shm shm;
static struct bench_end_cfg cfg;

static void setup(unsigned payload, enum bench_notify n)
{
	ck_assert_int_eq(bench_shm_create(&shm, 1, payload), 0);
	cfg = (struct bench_end_cfg){ .policy = bench_policy_get(n), .batch = 1,
				      .outstanding = shm.nr_ents, .payload = payload };
}

/* The frontend's request number i, well formed, its payload stamped. */
static struct bench_req good(uint64_t i)
{
	uint32_t slot = (uint32_t)(i & (shm.nr_ents - 1));
	struct bench_req q = { .id = (uint32_t)i, .stamp = 7, .off = slot * shm.slot_bytes,
			       .len = cfg.payload };

	if (cfg.payload >= 8)
		memcpy(shm.data + q.off, &i, 8);
	return q;
}

static void put(uint64_t i, struct bench_req q)
{
	shm.sring->ring[i & (shm.nr_ents - 1)].req = q;
}

static void publish(RING_IDX prod)
{
	__atomic_store_n(&shm.sring->hdr.req_prod, prod, __ATOMIC_RELEASE);
}

START_TEST(test_good_requests_answered)
{
	setup(100, BENCH_NOTIFY_POLL);
	for (uint64_t i = 0; i < 3; i++)
		put(i, good(i));
	publish(3);
	shm.ctl->stop = 1;
	ck_assert_int_eq(bench_back_run(&shm, &cfg), 0);
	ck_assert_uint_eq(shm.sring->hdr.rsp_prod, 3);
	for (uint64_t i = 0; i < 3; i++) {
		ck_assert_uint_eq(shm.sring->ring[i].rsp.id, i);
		ck_assert_uint_eq(shm.sring->ring[i].rsp.stamp, 7);
		ck_assert_int_eq(shm.sring->ring[i].rsp.status, 0);
	}
	ck_assert_int_eq(shm.ctl->back_err, 0);
	ck_assert_uint_eq(shm.ctl->back_done, 1);
	bench_shm_dispose(&shm);
}
END_TEST

START_TEST(test_producer_index_jump)
{
	setup(0, BENCH_NOTIFY_POLL);
	publish(shm.nr_ents + 5);
	ck_assert_int_eq(bench_back_run(&shm, &cfg), -EIO);
	ck_assert_int_eq(shm.ctl->back_err, -EIO);
	ck_assert_ptr_nonnull(strstr(shm.ctl->back_msg, "bad producer index: req_prod 133"));
	ck_assert_uint_eq(shm.ctl->back_done, 1);
	ck_assert_uint_eq(shm.sring->hdr.rsp_prod, 0);
	bench_shm_dispose(&shm);
}
END_TEST

static const struct bad_req {
	const char *what;
	unsigned payload;
	struct bench_req q;         /* request 2, replacing the good one */
	const char *says;
} bad_reqs[] = {
	{ "offset past the area", 128, { .id = 2, .off = 128 * 128, .len = 128 },
	  "payload [16384, +128) outside the 16384-byte data area" },
	{ "offset+length wraps", 128, { .id = 2, .off = 0xFFFFFFF0u, .len = 0x20 },
	  "outside the 16384-byte data area" },
	{ "length above a slot", 128, { .id = 2, .off = 0, .len = 129 },
	  "payload length 129 exceeds the 128-byte slot" },
	{ "payload without a data area", 0, { .id = 2, .off = 0, .len = 8 },
	  "payload length 8 exceeds the 0-byte slot" },
	{ "id out of sequence", 0, { .id = 9 }, "request 2: id 9 out of sequence" },
};

START_TEST(test_bad_request)
{
	const struct bad_req *row = &bad_reqs[_i];

	setup(row->payload, BENCH_NOTIFY_POLL);
	put(0, good(0));
	put(1, good(1));
	put(2, row->q);
	put(3, good(3));
	publish(4);
	shm.ctl->stop = 1;
	ck_assert_int_eq(bench_back_run(&shm, &cfg), -EINVAL);
	ck_assert_int_eq(shm.ctl->back_err, -EINVAL);
	ck_assert_msg(strstr(shm.ctl->back_msg, row->says), "%s: '%s'", row->what,
		      shm.ctl->back_msg);
	/* The two good requests before it were answered, nothing after. */
	ck_assert_uint_eq(shm.sring->hdr.rsp_prod, 2);
	ck_assert_uint_eq(shm.ctl->back_done, 1);
	bench_shm_dispose(&shm);
}
END_TEST

START_TEST(test_payload_not_stamped)
{
	struct bench_req q;

	setup(64, BENCH_NOTIFY_POLL);
	q = good(0);
	memset(shm.data, 0xEE, 8);      /* the frontend "forgot" to write it */
	put(0, q);
	publish(1);
	shm.ctl->stop = 1;
	ck_assert_int_eq(bench_back_run(&shm, &cfg), -EINVAL);
	ck_assert_ptr_nonnull(strstr(shm.ctl->back_msg, "request 0: payload does not carry its id"));
	bench_shm_dispose(&shm);
}
END_TEST

START_TEST(test_validate_accepts_edges)
{
	char msg[BENCH_MSG_LEN];
	struct bench_req q;

	setup(100, BENCH_NOTIFY_POLL);   /* slots of 128 bytes, 128 of them */
	q = good(5);
	ck_assert_int_eq(bench_back_validate(&shm, &q, 5, msg, sizeof(msg)), 0);
	q.off = 127 * 128;
	q.len = 128;                     /* the very last byte of the area */
	ck_assert_int_eq(bench_back_validate(&shm, &q, 5, msg, sizeof(msg)), 0);
	q.off = 127 * 128 + 1;
	ck_assert_int_eq(bench_back_validate(&shm, &q, 5, msg, sizeof(msg)), -EINVAL);
	bench_shm_dispose(&shm);
}
END_TEST

static int back_child(void *arg)
{
	(void)arg;
	return bench_back_run(&shm, &cfg);
}

static void wait_rsp(RING_IDX n)
{
	for (int i = 0; i < 5000 && __atomic_load_n(&shm.sring->hdr.rsp_prod,
						    __ATOMIC_ACQUIRE) != n; i++)
		usleep(1000);
	ck_assert_uint_eq(shm.sring->hdr.rsp_prod, n);
}

/* Good traffic, then bad_prod published while the backend sleeps. */
static void hostile_process(RING_IDX bad_prod, const char *says)
{
	pid_t pid;

	setup(0, BENCH_NOTIFY_HOLDOFF);
	pid = bench_spawn(-1, back_child, NULL);
	ck_assert_int_gt(pid, 0);
	for (uint64_t i = 0; i < 3; i++)
		put(i, good(i));
	publish(3);
	ck_assert_int_eq(bench_evt_notify(shm.kick_fd), 0);
	wait_rsp(3);
	usleep(20000);                  /* let it go back to sleep */
	publish(bad_prod);
	ck_assert_int_eq(bench_evt_notify(shm.kick_fd), 0);
	ck_assert_int_eq(bench_reap(pid, 5000, NULL), 1);   /* exit 1: not a signal */
	ck_assert_int_eq(shm.ctl->back_err, -EIO);
	ck_assert_msg(strstr(shm.ctl->back_msg, says), "'%s'", shm.ctl->back_msg);
	ck_assert_uint_eq(shm.ctl->back_done, 1);
	ck_assert_uint_eq(shm.sring->hdr.rsp_prod, 3);
	bench_shm_dispose(&shm);
}

START_TEST(test_process_index_jump)
{
	hostile_process(3 + 128 + 1, "bad producer index: req_prod 132 with 3 requests consumed, ring of 128");
}
END_TEST

START_TEST(test_process_index_backwards)
{
	hostile_process(1, "bad producer index: req_prod 1 with 3 requests consumed");
}
END_TEST

Suite *make_back_suite(void)
{
	Suite *s = suite_create("back");
	TCase *tc = tcase_create("hostile");

	tcase_add_test(tc, test_good_requests_answered);
	tcase_add_test(tc, test_producer_index_jump);
	tcase_add_loop_test(tc, test_bad_request, 0, (int)ROWS(bad_reqs));
	tcase_add_test(tc, test_payload_not_stamped);
	tcase_add_test(tc, test_validate_accepts_edges);
	tcase_add_test(tc, test_process_index_jump);
	tcase_add_test(tc, test_process_index_backwards);
	suite_add_tcase(s, tc);
	return s;
}
