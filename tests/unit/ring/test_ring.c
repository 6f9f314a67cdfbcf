/*
 * One test per shared-ring invariant (pvx/ring.h): wire layout and sizes,
 * empty/full, wrap of the free-running indices at UINT32_MAX, notification
 * hold-off in both directions, an ill-behaved producer on either side
 * (-EIO, state unchanged), copy-before-validate, and multi-page rings.
 * Expected numbers are typed in from Xen's ring semantics, not derived from
 * the code under test.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <xen/public/io/blkif.h>
#include <xen/public/io/netif.h>

#include "ring_test.h"

PVX_RING_DEFINE(blkif, struct blkif_request, struct blkif_response)
PVX_RING_DEFINE(netif_tx, struct netif_tx_request, struct netif_tx_response)
PVX_RING_DEFINE(netif_rx, struct netif_rx_request, struct netif_rx_response)

#define ROWS(t) (sizeof(t) / sizeof((t)[0]))

/* A connected front/back pair over `pages` fresh pages. */
struct pair {
	struct t_sring *s;
	struct t_front_ring f;
	struct t_back_ring b;
	uint32_t n;
};

static void pair_open(struct pair *p, size_t pages)
{
	p->s = t_ring_alloc(pages);
	t_sring_init(p->s);
	ck_assert_int_eq(t_front_init(&p->f, p->s, pages * T_PAGE), 0);
	ck_assert_int_eq(t_back_attach(&p->b, p->s, pages * T_PAGE), 0);
	p->n = p->f.r.nr_ents;
}

/* The same, with every shared and private index starting at `start`. */
static void pair_open_at(struct pair *p, size_t pages, RING_IDX start)
{
	p->s = t_ring_alloc(pages);
	t_sring_init(p->s);
	p->s->hdr.req_prod = p->s->hdr.rsp_prod = start;
	p->s->hdr.req_event = p->s->hdr.rsp_event = start + 1;
	ck_assert_int_eq(t_front_attach(&p->f, p->s, pages * T_PAGE), 0);
	ck_assert_int_eq(t_back_attach(&p->b, p->s, pages * T_PAGE), 0);
	p->n = p->f.r.nr_ents;
}

static void pair_close(struct pair *p)
{
	free(p->s);
}

static struct t_req mkreq(uint64_t id)
{
	struct t_req r = { .id = id, .payload = id * 0x9E3779B97F4A7C15ull, .nr = 1 };

	return r;
}

/* Send k requests, let the back end answer them all, collect the answers. */
static void round_trip(struct pair *p, uint64_t first_id, uint32_t k)
{
	struct t_req req;
	struct t_rsp rsp;

	for (uint32_t i = 0; i < k; i++) {
		struct t_req r = mkreq(first_id + i);
		ck_assert_int_eq(t_front_put_request(&p->f, &r), 0);
	}
	t_front_push_requests_and_check_notify(&p->f);
	for (uint32_t i = 0; i < k; i++) {
		ck_assert_int_eq(t_back_get_request(&p->b, &req), 1);
		ck_assert_uint_eq(req.id, first_id + i);
		rsp = (struct t_rsp){ .id = req.id, .value = req.payload + 1 };
		ck_assert_int_eq(t_back_put_response(&p->b, &rsp), 0);
	}
	ck_assert_int_eq(t_back_get_request(&p->b, &req), 0);
	t_back_push_responses_and_check_notify(&p->b);
	for (uint32_t i = 0; i < k; i++) {
		ck_assert_int_eq(t_front_get_response(&p->f, &rsp), 1);
		ck_assert_uint_eq(rsp.id, first_id + i);
		ck_assert_uint_eq(rsp.value, mkreq(first_id + i).payload + 1);
	}
	ck_assert_int_eq(t_front_get_response(&p->f, &rsp), 0);
}

/* ---- layout -------------------------------------------------------------- */

START_TEST(test_wire_layout)
{
	struct blkif_sring *s = t_ring_alloc(1);
	struct blkif_front_ring f;

	ck_assert_uint_eq(__builtin_offsetof(struct blkif_sring, ring), 64);
	ck_assert_uint_eq(sizeof(union blkif_sring_entry), 112);
	ck_assert_uint_eq(blkif_ring_size(T_PAGE), 32);
	ck_assert_uint_eq(netif_tx_ring_size(T_PAGE), 256);
	ck_assert_uint_eq(netif_rx_ring_size(T_PAGE), 256);
	blkif_sring_init(s);
	ck_assert_uint_eq(s->hdr.req_prod, 0);
	ck_assert_uint_eq(s->hdr.rsp_prod, 0);
	ck_assert_uint_eq(s->hdr.req_event, 1);
	ck_assert_uint_eq(s->hdr.rsp_event, 1);
	ck_assert_int_eq(blkif_front_init(&f, s, T_PAGE), 0);
	/* Slot i sits at byte 64 + 112 * i; the 32nd ends inside the page. */
	for (uint32_t i = 0; i < 32; i++) {
		struct blkif_request *slot = blkif_front_req_slot(&f);
		ck_assert_ptr_eq((char *)slot, (char *)s + 64 + 112 * i);
	}
	ck_assert_uint_le(64 + 112 * 32, T_PAGE);
	ck_assert_ptr_null(blkif_front_req_slot(&f));
	free(s);
}
END_TEST

START_TEST(test_ring_too_small)
{
	static const struct { size_t bytes; uint32_t n; } rows[] = {
		{ 0, 0 }, { 63, 0 }, { 64, 0 }, { 64 + 111, 0 }, { 64 + 112, 1 },
		{ 64 + 3 * 112, 2 }, { 64 + 4 * 112, 4 },
	};
	struct blkif_sring *s = t_ring_alloc(1);
	struct blkif_front_ring f;
	struct blkif_back_ring b;

	for (size_t i = 0; i < ROWS(rows); i++)
		ck_assert_uint_eq(blkif_ring_size(rows[i].bytes), rows[i].n);
	ck_assert_int_eq(blkif_front_init(&f, s, 100), -XEN_EINVAL);
	ck_assert_int_eq(blkif_back_init(&b, s, 100), -XEN_EINVAL);
	free(s);
}
END_TEST

/* ---- multi-page ---------------------------------------------------------- */

static const struct {
	size_t pages;
	uint32_t blk, tx, t;
} multi[] = {
	{ 1, 32, 256, 128 },
	{ 2, 64, 512, 256 },
	{ 4, 128, 1024, 512 },
	{ 8, 256, 2048, 1024 },
};

START_TEST(test_multi_page)
{
	struct pair p;
	struct t_req req;
	size_t pages = multi[_i].pages;

	ck_assert_uint_eq(blkif_ring_size(pages * T_PAGE), multi[_i].blk);
	ck_assert_uint_eq(netif_tx_ring_size(pages * T_PAGE), multi[_i].tx);
	pair_open(&p, pages);
	ck_assert_uint_eq(p.n, multi[_i].t);
	/* Fill every slot: the last one must end inside the last page. */
	for (uint32_t i = 0; i < p.n; i++) {
		struct t_req *slot = t_front_req_slot(&p.f);
		ck_assert_ptr_nonnull(slot);
		ck_assert_uint_le((char *)(slot + 1) - (char *)p.s, pages * T_PAGE);
		*slot = mkreq(i);
	}
	ck_assert_ptr_null(t_front_req_slot(&p.f));
	t_front_push_requests_and_check_notify(&p.f);
	ck_assert_int_eq(t_back_has_unconsumed_requests(&p.b), (int)p.n);
	for (uint32_t i = 0; i < p.n; i++) {
		ck_assert_int_eq(t_back_get_request(&p.b, &req), 1);
		ck_assert_uint_eq(req.id, i);
		ck_assert_uint_eq(req.payload, mkreq(i).payload);
	}
	pair_close(&p);
}
END_TEST

/* ---- empty / full -------------------------------------------------------- */

START_TEST(test_empty_full)
{
	struct pair p;
	struct t_req req, extra = mkreq(999);
	struct t_rsp rsp;

	pair_open(&p, 1);
	ck_assert_uint_eq(p.n, 128);
	/* Empty: everything free, nothing to consume either way. */
	ck_assert_uint_eq(t_front_free_slots(&p.f), 128);
	ck_assert_int_eq(t_back_has_unconsumed_requests(&p.b), 0);
	ck_assert_int_eq(t_front_has_unconsumed_responses(&p.f), 0);
	ck_assert_int_eq(t_back_get_request(&p.b, &req), 0);
	ck_assert_int_eq(t_front_get_response(&p.f, &rsp), 0);
	/* Full after n requests; the n+1st is refused without side effects. */
	for (uint32_t i = 0; i < p.n; i++) {
		struct t_req r = mkreq(i);
		ck_assert_int_eq(t_front_put_request(&p.f, &r), 0);
		ck_assert_uint_eq(t_front_free_slots(&p.f), p.n - i - 1);
	}
	ck_assert_int_eq(t_front_put_request(&p.f, &extra), -XEN_ENOSPC);
	ck_assert_ptr_null(t_front_req_slot(&p.f));
	ck_assert_uint_eq(p.f.r.req_prod_pvt, p.n);
	t_front_push_requests_and_check_notify(&p.f);
	/* Consuming requests does not free slots; consuming responses does. */
	for (uint32_t i = 0; i < p.n; i++)
		ck_assert_int_eq(t_back_get_request(&p.b, &req), 1);
	ck_assert_uint_eq(t_front_free_slots(&p.f), 0);
	for (uint32_t i = 0; i < p.n; i++) {
		rsp = (struct t_rsp){ .id = i };
		ck_assert_int_eq(t_back_put_response(&p.b, &rsp), 0);
	}
	t_back_push_responses_and_check_notify(&p.b);
	ck_assert_uint_eq(t_front_free_slots(&p.f), 0);
	ck_assert_int_eq(t_front_has_unconsumed_responses(&p.f), (int)p.n);
	for (uint32_t i = 0; i < p.n; i++)
		ck_assert_int_eq(t_front_get_response(&p.f, &rsp), 1);
	ck_assert_uint_eq(t_front_free_slots(&p.f), p.n);
	ck_assert_int_eq(t_front_get_response(&p.f, &rsp), 0);
	pair_close(&p);
}
END_TEST

/* A back end may only answer requests it has consumed. */
START_TEST(test_response_not_owed)
{
	struct pair p;
	struct t_req req = mkreq(1);
	struct t_rsp rsp = { .id = 1 };

	pair_open(&p, 1);
	ck_assert_ptr_null(t_back_rsp_slot(&p.b));
	ck_assert_int_eq(t_back_put_response(&p.b, &rsp), -XEN_ENOSPC);
	ck_assert_int_eq(t_front_put_request(&p.f, &req), 0);
	t_front_push_requests_and_check_notify(&p.f);
	/* Published but not consumed: still nothing owed. */
	ck_assert_ptr_null(t_back_rsp_slot(&p.b));
	ck_assert_int_eq(t_back_get_request(&p.b, &req), 1);
	ck_assert_ptr_nonnull(t_back_rsp_slot(&p.b));
	ck_assert_ptr_null(t_back_rsp_slot(&p.b));
	pair_close(&p);
}
END_TEST

/* ---- wrap ---------------------------------------------------------------- */

static const RING_IDX wrap_starts[] = {
	0xFFFFFFF0u, 0xFFFFFFFFu, 0xFFFFFF80u, 0x7FFFFFF8u, 0,
};

START_TEST(test_wrap)
{
	struct pair p;
	RING_IDX start = wrap_starts[_i];
	uint64_t id = 0;

	pair_open_at(&p, 1, start);
	ck_assert_uint_eq(t_front_free_slots(&p.f), p.n);
	/* Several full and partial laps across the 2^32 boundary. */
	for (int lap = 0; lap < 6; lap++) {
		uint32_t k = lap % 2 ? p.n : 7;
		struct t_req *slot;

		/* The next slot is index & (n - 1), across the wrap too. */
		slot = &p.s->ring[(RING_IDX)(start + id) & (p.n - 1)].req;
		round_trip(&p, id, k);
		ck_assert_uint_eq(slot->id, id);
		id += k;
	}
	ck_assert_uint_eq(p.s->hdr.req_prod, (RING_IDX)(start + id));
	ck_assert_uint_eq(p.s->hdr.rsp_prod, (RING_IDX)(start + id));
	ck_assert_uint_eq(t_front_free_slots(&p.f), p.n);
	pair_close(&p);
}
END_TEST

/* ---- notification hold-off ----------------------------------------------- */

/*
 * A push from old to new must notify iff the peer's event index is in
 * (old, new], modulo 2^32.
 */
static const struct {
	RING_IDX old, new, event;
	int notify;
} holdoff[] = {
	{ 10, 15, 10, 0 },   /* event at old: already signalled before */
	{ 10, 15, 11, 1 },   /* first new entry */
	{ 10, 15, 15, 1 },   /* last new entry */
	{ 10, 15, 16, 0 },   /* not reached yet */
	{ 10, 15, 5, 0 },    /* long past */
	{ 10, 10, 11, 0 },   /* nothing published */
	{ 0xFFFFFFFEu, 3, 0xFFFFFFFFu, 1 },
	{ 0xFFFFFFFEu, 3, 0, 1 },
	{ 0xFFFFFFFEu, 3, 3, 1 },
	{ 0xFFFFFFFEu, 3, 4, 0 },
	{ 0xFFFFFFFEu, 3, 0xFFFFFFFEu, 0 },
};

START_TEST(test_notify_rule_requests)
{
	struct pair p;
	RING_IDX n_new = holdoff[_i].new - holdoff[_i].old;

	pair_open_at(&p, 1, holdoff[_i].old);
	p.s->hdr.req_event = holdoff[_i].event;
	for (RING_IDX k = 0; k < n_new; k++)
		ck_assert_ptr_nonnull(t_front_req_slot(&p.f));
	ck_assert_int_eq(t_front_push_requests_and_check_notify(&p.f), holdoff[_i].notify);
	ck_assert_uint_eq(p.s->hdr.req_prod, holdoff[_i].new);
	pair_close(&p);
}
END_TEST

START_TEST(test_notify_rule_responses)
{
	struct pair p;
	struct t_req req;
	RING_IDX n_new = holdoff[_i].new - holdoff[_i].old;

	pair_open_at(&p, 1, holdoff[_i].old);
	for (RING_IDX k = 0; k < n_new; k++)
		ck_assert_ptr_nonnull(t_front_req_slot(&p.f));
	t_front_push_requests_and_check_notify(&p.f);
	for (RING_IDX k = 0; k < n_new; k++) {
		ck_assert_int_eq(t_back_get_request(&p.b, &req), 1);
		ck_assert_ptr_nonnull(t_back_rsp_slot(&p.b));
	}
	p.s->hdr.rsp_event = holdoff[_i].event;
	ck_assert_int_eq(t_back_push_responses_and_check_notify(&p.b), holdoff[_i].notify);
	ck_assert_uint_eq(p.s->hdr.rsp_prod, holdoff[_i].new);
	pair_close(&p);
}
END_TEST

/* The protocol-level dance: a sleeping back end is woken exactly once. */
START_TEST(test_holdoff_back_end_sleeps)
{
	struct pair p;
	struct t_req req = mkreq(0);

	pair_open_at(&p, 1, wrap_starts[_i]);
	/* Back end finds nothing, arms req_event = cons + 1 and sleeps. */
	ck_assert_int_eq(t_back_final_check_for_requests(&p.b), 0);
	ck_assert_uint_eq(p.s->hdr.req_event, (RING_IDX)(p.b.r.req_cons + 1));
	/* The first push wakes it; further pushes while it is busy do not. */
	ck_assert_int_eq(t_front_put_request(&p.f, &req), 0);
	ck_assert(t_front_push_requests_and_check_notify(&p.f));
	ck_assert_int_eq(t_front_put_request(&p.f, &req), 0);
	ck_assert(!t_front_push_requests_and_check_notify(&p.f));
	/* Busy back end drains; final check sees no more and re-arms. */
	ck_assert_int_eq(t_back_final_check_for_requests(&p.b), 2);
	ck_assert_int_eq(t_back_get_request(&p.b, &req), 1);
	ck_assert_int_eq(t_back_get_request(&p.b, &req), 1);
	ck_assert_int_eq(t_back_final_check_for_requests(&p.b), 0);
	/* A batch of three crossing the armed index notifies once. */
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(t_front_put_request(&p.f, &req), 0);
	ck_assert(t_front_push_requests_and_check_notify(&p.f));
	ck_assert(!t_front_push_requests_and_check_notify(&p.f));
	pair_close(&p);
}
END_TEST

/* The mirror image: a sleeping front end is woken by the first response. */
START_TEST(test_holdoff_front_end_sleeps)
{
	struct pair p;
	struct t_req req = mkreq(0);
	struct t_rsp rsp = { 0 };

	pair_open_at(&p, 1, wrap_starts[_i]);
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(t_front_put_request(&p.f, &req), 0);
	t_front_push_requests_and_check_notify(&p.f);
	/* Front end waits for responses. */
	ck_assert_int_eq(t_front_final_check_for_responses(&p.f), 0);
	ck_assert_uint_eq(p.s->hdr.rsp_event, (RING_IDX)(p.f.r.rsp_cons + 1));
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(t_back_get_request(&p.b, &req), 1);
	ck_assert_int_eq(t_back_put_response(&p.b, &rsp), 0);
	ck_assert(t_back_push_responses_and_check_notify(&p.b));
	ck_assert_int_eq(t_back_put_response(&p.b, &rsp), 0);
	ck_assert(!t_back_push_responses_and_check_notify(&p.b));
	/* Front end takes one, rechecks: work remains, so it does not re-arm. */
	ck_assert_int_eq(t_front_get_response(&p.f, &rsp), 1);
	ck_assert_int_eq(t_front_final_check_for_responses(&p.f), 1);
	ck_assert_int_eq(t_front_get_response(&p.f, &rsp), 1);
	ck_assert_int_eq(t_front_final_check_for_responses(&p.f), 0);
	ck_assert_int_eq(t_back_put_response(&p.b, &rsp), 0);
	ck_assert(t_back_push_responses_and_check_notify(&p.b));
	pair_close(&p);
}
END_TEST

/* ---- ill-behaved producers ----------------------------------------------- */

/*
 * Bad req_prod values, as offsets from the back end's rsp_prod_pvt, with 5
 * requests outstanding of which 3 were consumed (n = 128).
 */
static const struct {
	RING_IDX delta;
	int expect;  /* has_unconsumed_requests() */
} bad_req[] = {
	{ 5, 2 },                 /* the honest value */
	{ 128, 125 },             /* exactly full: still legal */
	{ 129, -XEN_EIO },        /* one more than the ring holds */
	{ 1000, -XEN_EIO },
	{ 0x80000000u, -XEN_EIO },
	{ 0xFFFFFFFFu, -XEN_EIO },/* behind what was answered */
	{ 2, -XEN_EIO },          /* behind what was consumed */
};

START_TEST(test_bad_req_prod)
{
	struct pair p;
	struct t_req req, out, sentinel;
	struct t_back_ring before;
	struct xen_sring_hdr hdr_before;

	pair_open_at(&p, 1, wrap_starts[_i % ROWS(wrap_starts)]);
	for (int i = 0; i < 5; i++) {
		req = mkreq(i);
		ck_assert_int_eq(t_front_put_request(&p.f, &req), 0);
	}
	t_front_push_requests_and_check_notify(&p.f);
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(t_back_get_request(&p.b, &req), 1);

	for (size_t row = 0; row < ROWS(bad_req); row++) {
		p.s->hdr.req_prod = p.b.r.rsp_prod_pvt + bad_req[row].delta;
		before = p.b;
		hdr_before = p.s->hdr;
		memset(&sentinel, 0xA5, sizeof(sentinel));
		out = sentinel;
		ck_assert_int_eq(t_back_has_unconsumed_requests(&p.b), bad_req[row].expect);
		if (bad_req[row].expect >= 0)
			continue;
		ck_assert_int_eq(t_back_get_request(&p.b, &out), -XEN_EIO);
		ck_assert_int_eq(t_back_final_check_for_requests(&p.b), -XEN_EIO);
		/* Nothing moved: private state, shared header, caller's buffer. */
		ck_assert_mem_eq(&p.b, &before, sizeof(before));
		ck_assert_mem_eq(&p.s->hdr, &hdr_before, sizeof(hdr_before));
		ck_assert_mem_eq(&out, &sentinel, sizeof(out));
	}
	/* Once the producer index is sane again, the ring carries on. */
	p.s->hdr.req_prod = p.f.r.req_prod_pvt;
	ck_assert_int_eq(t_back_get_request(&p.b, &out), 1);
	ck_assert_uint_eq(out.id, 3);
	pair_close(&p);
}
END_TEST

/* Bad rsp_prod values, as offsets from rsp_cons, with 4 requests outstanding. */
static const struct {
	RING_IDX delta;
	int expect;
} bad_rsp[] = {
	{ 0, 0 }, { 4, 4 }, { 5, -XEN_EIO }, { 129, -XEN_EIO },
	{ 0x80000000u, -XEN_EIO }, { 0xFFFFFFFFu, -XEN_EIO },
};

START_TEST(test_bad_rsp_prod)
{
	struct pair p;
	struct t_req req = mkreq(0);
	struct t_rsp out, sentinel;
	struct t_front_ring before;
	struct xen_sring_hdr hdr_before;

	pair_open_at(&p, 1, wrap_starts[_i % ROWS(wrap_starts)]);
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(t_front_put_request(&p.f, &req), 0);
	t_front_push_requests_and_check_notify(&p.f);

	for (size_t row = 0; row < ROWS(bad_rsp); row++) {
		p.s->hdr.rsp_prod = p.f.r.rsp_cons + bad_rsp[row].delta;
		before = p.f;
		memset(&sentinel, 0x5A, sizeof(sentinel));
		out = sentinel;
		ck_assert_int_eq(t_front_has_unconsumed_responses(&p.f), bad_rsp[row].expect);
		if (bad_rsp[row].expect >= 0)
			continue;
		hdr_before = p.s->hdr;
		ck_assert_int_eq(t_front_get_response(&p.f, &out), -XEN_EIO);
		ck_assert_int_eq(t_front_final_check_for_responses(&p.f), -XEN_EIO);
		ck_assert_mem_eq(&p.f, &before, sizeof(before));
		ck_assert_mem_eq(&p.s->hdr, &hdr_before, sizeof(hdr_before));
		ck_assert_mem_eq(&out, &sentinel, sizeof(out));
	}
	pair_close(&p);
}
END_TEST

/* Attaching to a ring whose indices already overflow is refused. */
START_TEST(test_bad_attach)
{
	struct t_sring *s = t_ring_alloc(1);
	struct t_front_ring f;

	t_sring_init(s);
	s->hdr.rsp_prod = 0xFFFFFFF0u;
	s->hdr.req_prod = 0xFFFFFFF0u + 128;
	ck_assert_int_eq(t_front_attach(&f, s, T_PAGE), 0);
	s->hdr.req_prod = 0xFFFFFFF0u + 129;
	ck_assert_int_eq(t_front_attach(&f, s, T_PAGE), -XEN_EIO);
	s->hdr.req_prod = 0xFFFFFFEFu;
	ck_assert_int_eq(t_front_attach(&f, s, T_PAGE), -XEN_EIO);
	free(s);
}
END_TEST

/* ---- copy before validate ------------------------------------------------ */

/*
 * The consumer gets a private copy: a peer rewriting the slot after the
 * get (the double-fetch attack) cannot change what the consumer checked.
 */
START_TEST(test_copy_before_validate)
{
	struct pair p;
	struct t_req req = mkreq(7), got;
	struct t_rsp rsp = { .id = 7, .value = 3 }, rgot;
	RING_IDX slot;

	pair_open(&p, 1);
	req.nr = 3;
	ck_assert_int_eq(t_front_put_request(&p.f, &req), 0);
	t_front_push_requests_and_check_notify(&p.f);
	slot = p.b.r.req_cons & (p.n - 1);
	ck_assert_int_eq(t_back_get_request(&p.b, &got), 1);
	/* Hostile front end rewrites the request after it was fetched. */
	p.s->ring[slot].req.nr = 200;
	p.s->ring[slot].req.id = 666;
	ck_assert_uint_eq(got.nr, 3);
	ck_assert_uint_eq(got.id, 7);
	ck_assert_ptr_ne(&got, &p.s->ring[slot].req);

	ck_assert_int_eq(t_back_put_response(&p.b, &rsp), 0);
	t_back_push_responses_and_check_notify(&p.b);
	ck_assert_int_eq(t_front_get_response(&p.f, &rgot), 1);
	/* Hostile back end rewrites the response after it was fetched. */
	p.s->ring[slot].rsp.value = 0xdead;
	ck_assert_uint_eq(rgot.value, 3);
	ck_assert_uint_eq(rgot.id, 7);
	pair_close(&p);
}
END_TEST

Suite *make_ring_suite(void)
{
	Suite *s = suite_create("ring");
	TCase *tc = tcase_create("invariants");

	tcase_add_test(tc, test_wire_layout);
	tcase_add_test(tc, test_ring_too_small);
	tcase_add_loop_test(tc, test_multi_page, 0, ROWS(multi));
	tcase_add_test(tc, test_empty_full);
	tcase_add_test(tc, test_response_not_owed);
	tcase_add_loop_test(tc, test_wrap, 0, ROWS(wrap_starts));
	tcase_add_loop_test(tc, test_notify_rule_requests, 0, ROWS(holdoff));
	tcase_add_loop_test(tc, test_notify_rule_responses, 0, ROWS(holdoff));
	tcase_add_loop_test(tc, test_holdoff_back_end_sleeps, 0, ROWS(wrap_starts));
	tcase_add_loop_test(tc, test_holdoff_front_end_sleeps, 0, ROWS(wrap_starts));
	tcase_add_loop_test(tc, test_bad_req_prod, 0, ROWS(wrap_starts));
	tcase_add_loop_test(tc, test_bad_rsp_prod, 0, ROWS(wrap_starts));
	tcase_add_test(tc, test_bad_attach);
	tcase_add_test(tc, test_copy_before_validate);
	suite_add_tcase(s, tc);
	return s;
}
