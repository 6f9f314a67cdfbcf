/*
 * The state blob of GET_STATE/SET_STATE (save_state.c): a well-formed
 * blob parses back to what was written; every malformed one (truncated,
 * bad lengths, counts, ports, frames, vCPUs) is refused whole with
 * -EINVAL, since a blob may come from a file or another host.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <xen/public/event_channel.h>

#include "evtchn.h"
#include "harness.h"
#include "save_state.h"

#define RAM_PAGES 1024u
#define VCPUS 2u

static struct mig_limits lim;
static struct mig_parsed parsed;
static char why[160];

static void limits(void)
{
	mig_limits_init(&lim, 0, VCPUS, RAM_PAGES, 0, 4);
	lim.rec_size[MIG_REC_KVM_REGS] = 144;
	lim.rec_size[MIG_REC_KVM_MSRS] = MIG_SIZE_MSRS;
}

/* A blob with every generic record; `skip` leaves one type out, `extra`
 * is appended as a record of type extra_type. */
static uint8_t *make(size_t *len, uint16_t skip, uint16_t extra_type, uint16_t extra_vcpu,
		     const void *extra, uint32_t extra_len)
{
	struct mig_writer w;
	struct mig_dom d = { .system_time_ns = 5, .shinfo_gpa = 0x2000,
		.ram_pages = RAM_PAGES, .nr_pages = RAM_PAGES - 2,
		.maxmem_bytes = RAM_PAGES * 4096ull, .max_grant_frames = 4 };
	uint8_t balloon[RAM_PAGES / 8 + 1] = { 0 };
	uint64_t hvm[MIG_HVM_PARAMS] = { 0 };
	struct { struct mig_gnttab h; uint64_t gfn[2]; } g = { { 1, 2 }, { 0x10, MIG_NO_GFN } };
	struct mig_evtchn e[2] = {
		{ .port = 1, .state = EVTCHNSTAT_virq, .vcpu = 0, .virq = 0 },
		{ .port = 2, .state = EVTCHNSTAT_interdomain, .remote_dom = 0, .remote_port = 7 },
	};
	uint8_t regs[144] = { 1 };

	balloon[10] = 0x3; /* pages 80, 81 released */
	mig_writer_init(&w, 0, VCPUS);
	if (skip != MIG_REC_DOM)
		mig_put(&w, MIG_REC_DOM, MIG_NO_VCPU, &d, sizeof(d));
	mig_put(&w, MIG_REC_HVM_PARAMS, MIG_NO_VCPU, hvm, sizeof(hvm));
	if (skip != MIG_REC_BALLOON)
		mig_put(&w, MIG_REC_BALLOON, MIG_NO_VCPU, balloon, sizeof(balloon));
	mig_put(&w, MIG_REC_GNTTAB, MIG_NO_VCPU, &g, sizeof(g));
	mig_put(&w, MIG_REC_EVTCHN, MIG_NO_VCPU, e, sizeof(e));
	for (uint16_t v = 0; v < VCPUS; v++) {
		struct mig_vcpu mv = { .timer_deadline = 100 + v, .vcpu_info_gpa = 0x3000 + 64 * v };

		if (!(skip == MIG_REC_VCPU && v == 1))
			mig_put(&w, MIG_REC_VCPU, v, &mv, sizeof(mv));
		mig_put(&w, MIG_REC_KVM_REGS, v, regs, sizeof(regs));
	}
	if (extra)
		mig_put(&w, extra_type, extra_vcpu, extra, extra_len);
	ck_assert_int_eq(mig_writer_finish(&w), 0);
	*len = w.len;
	return w.buf;
}

static int parse(const uint8_t *b, size_t len)
{
	return mig_parse(b, len, &lim, &parsed, why, sizeof(why));
}

START_TEST(roundtrip)
{
	size_t len;
	uint8_t *b;
	const struct mig_rec *r;

	limits();
	b = make(&len, 0, 0, 0, NULL, 0);
	ck_assert_int_eq(parse(b, len), 0);
	ck_assert_uint_eq(parsed.dom->system_time_ns, 5);
	ck_assert_uint_eq(parsed.dom->nr_pages, RAM_PAGES - 2);
	r = mig_find(&parsed, MIG_REC_VCPU, 1);
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(((const struct mig_vcpu *)r->data)->timer_deadline, 101);
	ck_assert_ptr_nonnull(mig_find(&parsed, MIG_REC_KVM_REGS, 1));
	ck_assert_ptr_null(mig_find(&parsed, MIG_REC_KVM_REGS, 2));
	ck_assert_uint_eq(mig_find(&parsed, MIG_REC_EVTCHN, MIG_NO_VCPU)->len,
			  2 * sizeof(struct mig_evtchn));
	free(b);
}
END_TEST

START_TEST(truncated_and_lengths)
{
	size_t len;
	uint8_t *b;
	struct mig_hdr h;
	struct mig_rec_hdr rh;

	limits();
	b = make(&len, 0, 0, 0, NULL, 0);
	for (size_t cut = 0; cut < len; cut += 8)       /* every truncation */
		ck_assert_int_eq(parse(b, cut), -EINVAL);
	memcpy(&h, b, sizeof(h));
	h.total = len + 8;                              /* says more than it has */
	memcpy(b, &h, sizeof(h));
	ck_assert_int_eq(parse(b, len), -EINVAL);
	h.total = len;
	h.nr_recs += 1;                                 /* a record past the end */
	memcpy(b, &h, sizeof(h));
	ck_assert_int_eq(parse(b, len), -EINVAL);
	h.nr_recs -= 2;                                 /* bytes after the last */
	memcpy(b, &h, sizeof(h));
	ck_assert_int_eq(parse(b, len), -EINVAL);
	h.nr_recs += 1;
	memcpy(b, &h, sizeof(h));
	memcpy(&rh, b + sizeof(h), sizeof(rh));
	rh.len = 0xFFFFFFF8u;                           /* huge record */
	memcpy(b + sizeof(h), &rh, sizeof(rh));
	ck_assert_int_eq(parse(b, len), -EINVAL);
	rh.len = sizeof(struct mig_dom) - 8;            /* wrong fixed size */
	memcpy(b + sizeof(h), &rh, sizeof(rh));
	ck_assert_int_eq(parse(b, len), -EINVAL);
	free(b);
}
END_TEST

START_TEST(header_fields)
{
	size_t len;
	uint8_t *b;
	struct mig_hdr h, good;

	limits();
	b = make(&len, 0, 0, 0, NULL, 0);
	memcpy(&good, b, sizeof(good));
	h = good; h.magic ^= 1;
	memcpy(b, &h, sizeof(h));
	ck_assert_int_eq(parse(b, len), -EINVAL);
	h = good; h.version = 2;
	memcpy(b, &h, sizeof(h));
	ck_assert_int_eq(parse(b, len), -EINVAL);
	h = good; h.nr_vcpus = 3;                       /* vCPU count */
	memcpy(b, &h, sizeof(h));
	ck_assert_int_eq(parse(b, len), -EINVAL);
	h = good; h.type = 1;                           /* another guest type */
	memcpy(b, &h, sizeof(h));
	ck_assert_int_eq(parse(b, len), -EINVAL);
	memcpy(b, &good, sizeof(good));
	lim.ram_pages = RAM_PAGES * 2;                  /* another RAM size */
	ck_assert_int_eq(parse(b, len), -EINVAL);
	free(b);
}
END_TEST

START_TEST(missing_and_duplicate)
{
	struct mig_vcpu mv = { 0 };
	uint8_t regs[144] = { 0 };
	size_t len;
	uint8_t *b;

	limits();
	b = make(&len, MIG_REC_DOM, 0, 0, NULL, 0);
	ck_assert_int_eq(parse(b, len), -EINVAL);
	free(b);
	b = make(&len, MIG_REC_VCPU, 0, 0, NULL, 0);    /* vCPU 1 has no record */
	ck_assert_int_eq(parse(b, len), -EINVAL);
	free(b);
	b = make(&len, MIG_REC_BALLOON, 0, 0, NULL, 0); /* ballooned, no bitmap */
	ck_assert_int_eq(parse(b, len), -EINVAL);
	free(b);
	b = make(&len, 0, MIG_REC_VCPU, 0, &mv, sizeof(mv)); /* twice */
	ck_assert_int_eq(parse(b, len), -EINVAL);
	free(b);
	b = make(&len, 0, MIG_REC_VCPU, 2, &mv, sizeof(mv)); /* vCPU 2 of 2 */
	ck_assert_int_eq(parse(b, len), -EINVAL);
	free(b);
	b = make(&len, 0, MIG_REC_KVM_SREGS, 0, regs, sizeof(regs)); /* not allowed here */
	ck_assert_int_eq(parse(b, len), -EINVAL);
	free(b);
	b = make(&len, 0, 60, MIG_NO_VCPU, regs, 8);    /* unknown type */
	ck_assert_int_eq(parse(b, len), -EINVAL);
	free(b);
}
END_TEST

/* Parses a blob whose one event-channel record is e[0..n). */
static int evtchn_only(const struct mig_evtchn *e, uint32_t bytes)
{
	struct mig_writer w;
	struct mig_dom d = { .ram_pages = RAM_PAGES, .nr_pages = RAM_PAGES,
		.maxmem_bytes = RAM_PAGES * 4096ull };
	struct mig_vcpu mv = { 0 };
	int r;

	mig_writer_init(&w, 0, VCPUS);
	mig_put(&w, MIG_REC_DOM, MIG_NO_VCPU, &d, sizeof(d));
	mig_put(&w, MIG_REC_EVTCHN, MIG_NO_VCPU, e, bytes);
	for (uint16_t v = 0; v < VCPUS; v++)
		mig_put(&w, MIG_REC_VCPU, v, &mv, sizeof(mv));
	ck_assert_int_eq(mig_writer_finish(&w), 0);
	r = parse(w.buf, w.len);
	mig_writer_dispose(&w);
	return r;
}

START_TEST(bad_ports)
{
	struct mig_evtchn e[2];

	limits();
	memset(e, 0, sizeof(e));
	e[0] = (struct mig_evtchn){ .port = 3, .state = EVTCHNSTAT_ipi, .vcpu = 1 };
	e[1] = (struct mig_evtchn){ .port = 4, .state = EVTCHNSTAT_virq, .virq = 0 };
	ck_assert_int_eq(evtchn_only(e, sizeof(e)), 0);
	ck_assert_int_eq(evtchn_only(e, sizeof(e) - 4), -EINVAL);   /* ragged */
	e[1].port = 0;
	ck_assert_int_eq(evtchn_only(e, sizeof(e)), -EINVAL);       /* port 0 */
	e[1].port = 1024;
	ck_assert_int_eq(evtchn_only(e, sizeof(e)), -EINVAL);       /* past the table */
	e[1].port = 3;
	ck_assert_int_eq(evtchn_only(e, sizeof(e)), -EINVAL);       /* twice */
	e[1].port = 4;
	e[1].virq = 24;
	ck_assert_int_eq(evtchn_only(e, sizeof(e)), -EINVAL);       /* no such VIRQ */
	e[1].virq = 0;
	e[1].vcpu = 2;
	ck_assert_int_eq(evtchn_only(e, sizeof(e)), -EINVAL);       /* no such vCPU */
	e[1].vcpu = 0;
	e[1].state = 9;
	ck_assert_int_eq(evtchn_only(e, sizeof(e)), -EINVAL);       /* no such state */
	e[1].state = EVTCHNSTAT_virq;
	e[0] = e[1];
	e[0].port = 5;
	ck_assert_int_eq(evtchn_only(e, sizeof(e)), -EINVAL);       /* VIRQ bound twice */
}
END_TEST

START_TEST(frames_and_addresses)
{
	struct mig_msr m[MIG_MAX_MSRS + 1];
	size_t len;
	uint8_t *b;

	limits();
	/* make() has a grant record already: a second is a duplicate, so
	 * test these through the limits instead. */
	b = make(&len, 0, 0, 0, NULL, 0);
	lim.max_grant_frames = 1;                       /* 2 frames > 1 */
	ck_assert_int_eq(parse(b, len), -EINVAL);
	limits();
	lim.ram_pages = RAM_PAGES;
	lim.ram_floor = 0x20000;                        /* frame 0x10 below the floor */
	ck_assert_int_eq(parse(b, len), -EINVAL);
	free(b);
	limits();
	b = make(&len, 0, MIG_REC_KVM_MSRS, 0, m, sizeof(m)); /* too many MSRs */
	ck_assert_int_eq(parse(b, len), -EINVAL);
	free(b);
	b = make(&len, 0, MIG_REC_KVM_MSRS, 0, m, 12);  /* ragged */
	ck_assert_int_eq(parse(b, len), -EINVAL);
	free(b);
	b = make(&len, 0, MIG_REC_KVM_MSRS, 0, m, 2 * sizeof(m[0]));
	ck_assert_int_eq(parse(b, len), 0);
	free(b);
}
END_TEST

static struct shared_info si1, si2;
static struct shared_info *t_si(void *o) { return o; }
static struct vcpu_info *t_vi(void *o, unsigned v)
{
	return v < 2 ? &((struct shared_info *)o)->vcpu_info[v] : NULL;
}
static void t_kick(void *o, unsigned v, bool up) { (void)o; (void)v; (void)up; }
static const struct evtchn_ops tops = { t_si, t_vi, t_kick };

/* A table saved from domain 1 comes back in empty domain 2 at the same
 * ports: VIRQ and IPI as they were, interdomain as unbound for the old
 * peer (so it can bind that port again); a table in use is refused. */
START_TEST(evtchn_table_roundtrip)
{
	struct mig_evtchn e[8];
	struct evtchn_status st;
	evtchn_port_t virq, ipi, unb, p0;
	int n;

	ck_assert_int_eq(evtchn_init(), 0);
	ck_assert_int_eq(evtchn_dom_add(1, 2, &tops, &si1), 0);
	ck_assert_int_eq(evtchn_dom_add(2, 2, &tops, &si2), 0);
	ck_assert_int_eq(evtchn_bind_virq(1, VIRQ_TIMER, 1, &virq), 0);
	ck_assert_int_eq(evtchn_bind_ipi(1, 0, &ipi), 0);
	ck_assert_int_eq(evtchn_alloc_unbound(1, 0, &unb), 0);
	n = evtchn_state_get(1, e, 8);
	ck_assert_int_eq(n, 3);
	ck_assert_int_eq(evtchn_state_get(1, e, 2), 0);      /* does not fit */
	n = evtchn_state_get(1, e, 8);
	ck_assert_int_eq(evtchn_state_set(2, e, (unsigned)n), 0);
	st.port = virq;
	ck_assert_int_eq(evtchn_status(2, virq, &st), 0);
	ck_assert_uint_eq(st.status, EVTCHNSTAT_virq);
	ck_assert_uint_eq(st.vcpu, 1);
	ck_assert_int_eq(evtchn_status(2, ipi, &st), 0);
	ck_assert_uint_eq(st.status, EVTCHNSTAT_ipi);
	ck_assert_int_eq(evtchn_status(2, unb, &st), 0);
	ck_assert_uint_eq(st.status, EVTCHNSTAT_unbound);
	ck_assert_int_eq(evtchn_bind_virq(2, VIRQ_TIMER, 1, &p0), -EEXIST);
	ck_assert_int_eq(evtchn_state_set(2, e, (unsigned)n), -EBUSY); /* not empty */
	evtchn_exit();
}
END_TEST

Suite *make_save_state_suite(void)
{
	Suite *s = suite_create("save_state");
	TCase *t = tcase_create("blob");

	tcase_add_test(t, roundtrip);
	tcase_add_test(t, truncated_and_lengths);
	tcase_add_test(t, header_fields);
	tcase_add_test(t, missing_and_duplicate);
	tcase_add_test(t, bad_ports);
	tcase_add_test(t, frames_and_addresses);
	tcase_add_test(t, evtchn_table_roundtrip);
	suite_add_tcase(s, t);
	return s;
}
