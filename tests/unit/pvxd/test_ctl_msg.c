/*
 * Control datagram validation (ctl_msg.c): truncated, oversized, bad
 * magic, unknown op, wrong payload size, bad create requests.
 */
#include <errno.h>
#include <string.h>

#include "harness.h"
#include "ctl.h"

static uint8_t buf[sizeof(struct pvx_ctl_hdr) + 256];

static size_t msg(uint16_t op, uint32_t len, uint32_t real_payload)
{
	struct pvx_ctl_hdr h = { .magic = PVX_CTL_MAGIC, .op = op, .seq = 1,
				 .len = len, .domid = -1 };

	memset(buf, 0, sizeof(buf));
	memcpy(buf, &h, sizeof(h));
	return sizeof(h) + real_payload;
}

static int check(size_t len, bool trunc)
{
	const struct ctl_op *op;

	return ctl_check(buf, len, trunc, ctl_ops, PVX_CTL_OP_COUNT, &op);
}

START_TEST(header_checks)
{
	size_t n = msg(PVX_CTL_HELLO, 0, 0);

	ck_assert_int_eq(check(n, false), 0);
	ck_assert_int_eq(check(0, false), -EPROTO);
	ck_assert_int_eq(check(sizeof(struct pvx_ctl_hdr) - 1, false), -EPROTO);
	ck_assert_int_eq(check(n, true), -EMSGSIZE);
	buf[0] ^= 1;
	ck_assert_int_eq(check(n, false), -EPROTO);
	n = msg(PVX_CTL_HELLO, PVX_CTL_MAX_PAYLOAD + 1, 0);
	ck_assert_int_eq(check(n, false), -EMSGSIZE);
	n = msg(PVX_CTL_HELLO, 16, 8);   /* says 16, carries 8 */
	ck_assert_int_eq(check(n, false), -EINVAL);
	n = msg(PVX_CTL_HELLO, 8, 16);   /* says 8, carries 16 */
	ck_assert_int_eq(check(n, false), -EINVAL);
	/* The same where the op's own size rule would accept what the header
	 * says: only the header-against-datagram check refuses these. */
	n = msg(PVX_CTL_DMESG, sizeof(struct pvx_ctl_dmesg_req),
		sizeof(struct pvx_ctl_dmesg_req) + 8);
	ck_assert_int_eq(check(n, false), -EINVAL);
	n = msg(PVX_CTL_LIST, 0, 8);
	ck_assert_int_eq(check(n, false), -EINVAL);
	n = msg(PVX_CTL_LIST, 8, 0);
	ck_assert_int_eq(check(n, false), -EINVAL);
}
END_TEST

START_TEST(unknown_ops)
{
	static const uint16_t ops[] = { 0, PVX_CTL_OP_COUNT, PVX_CTL_EVENT, 0xFFFF };

	for (unsigned i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		ck_assert_int_eq(check(msg(ops[i], 0, 0), false), -EOPNOTSUPP);
	/* The grant ops exist now (issue 5): an empty payload is too short. */
	ck_assert_int_eq(check(msg(PVX_CTL_GNTTAB_MAP, 0, 0), false), -EINVAL);
	ck_assert_int_eq(check(msg(PVX_CTL_GNTTAB_COPY, 0, 0), false), -EINVAL);
}
END_TEST

START_TEST(payload_sizes)
{
	/* Every op with a handler accepts its request size: exactly, or at
	 * least for the variable-length grant ops (they check the rest). */
	for (uint16_t op = 0; op < PVX_CTL_OP_COUNT; op++) {
		uint32_t want = ctl_ops[op].req_size;
		bool exact = ctl_ops[op].flags & CTL_EXACT;

		if (!ctl_ops[op].fn)
			continue;
		ck_assert_int_eq(check(msg(op, want, want), false), 0);
		ck_assert_int_eq(check(msg(op, want + 4, want + 4), false), exact ? -EINVAL : 0);
		if (want)
			ck_assert_int_eq(check(msg(op, want - 1, want - 1), false), -EINVAL);
	}
	ck_assert(ctl_ops[PVX_CTL_DESTROY].flags & CTL_DOMAIN);
	ck_assert(ctl_ops[PVX_CTL_GET_MEMFD].flags & CTL_DOMAIN);
	ck_assert(!(ctl_ops[PVX_CTL_LIST].flags & CTL_DOMAIN));
}
END_TEST

START_TEST(create_requests)
{
	struct pvx_ctl_create_req r = { .mem_kib = 4096, .vcpus = 1 };

	strcpy(r.name, "ok-name");
	ck_assert_int_eq(ctl_check_create(&r, 1 << 20), 0);
	r.mem_kib = 4097;
	ck_assert_int_eq(ctl_check_create(&r, 1 << 20), -EINVAL);
	r.mem_kib = 0;
	ck_assert_int_eq(ctl_check_create(&r, 1 << 20), -EINVAL);
	r.mem_kib = 8ull << 20;                     /* 8 GiB on a 1 GiB host */
	ck_assert_int_eq(ctl_check_create(&r, 1 << 20), -ENOMEM);
	r.mem_kib = 4096;
	r.maxmem_kib = 2048;
	ck_assert_int_eq(ctl_check_create(&r, 1 << 20), -EINVAL);
	r.maxmem_kib = 0;
	r.vcpus = 0;
	ck_assert_int_eq(ctl_check_create(&r, 1 << 20), -EINVAL);
	r.vcpus = PVX_MAX_VCPUS + 1;
	ck_assert_int_eq(ctl_check_create(&r, 1 << 20), -EINVAL);
	r.vcpus = 1;
	r.flags = 4;                                /* unknown flag */
	ck_assert_int_eq(ctl_check_create(&r, 1 << 20), -EINVAL);
	r.flags = PVX_CREATE_F_RESTORE;
	ck_assert_int_eq(ctl_check_create(&r, 1 << 20), 0);
	r.flags = PVX_CREATE_F_TIED;                /* only with RESTORE */
	ck_assert_int_eq(ctl_check_create(&r, 1 << 20), -EINVAL);
	r.flags = PVX_CREATE_F_RESTORE | PVX_CREATE_F_TIED;
	ck_assert_int_eq(ctl_check_create(&r, 1 << 20), 0);
	r.flags = 0;
	memset(r.name, 'a', sizeof(r.name));        /* no NUL */
	ck_assert_int_eq(ctl_check_create(&r, 1 << 20), -EINVAL);
	strcpy(r.name, "");
	ck_assert_int_eq(ctl_check_create(&r, 1 << 20), -EINVAL);
	strcpy(r.name, "a/b");
	ck_assert_int_eq(ctl_check_create(&r, 1 << 20), -EINVAL);
	strcpy(r.name, "sp ace");
	ck_assert_int_eq(ctl_check_create(&r, 1 << 20), -EINVAL);
}
END_TEST

/* Walks domids 1..1023 through ctl_list_one, as dom_foreach does, with
 * one fake domain renumbered for each: what a host full of domains would
 * put in the page. Returns the entries in the page. */
static uint32_t walk(struct ctl_list_page *pg, struct domain *d)
{
	for (int32_t id = 1; id < 1024; id++) {
		d->domid = id;
		if (ctl_list_one(d, pg))
			break;
	}
	return pg->rep->len / (uint32_t)sizeof(struct pvx_ctl_dominfo);
}

START_TEST(list_pages)
{
	static uint8_t out[PVX_CTL_MAX_PAYLOAD];
	struct ctl_reply rep = { .buf = out };
	struct pvx_ctl_list_req req = { .start_domid = 900 };
	const struct pvx_ctl_dominfo *v = (const void *)out;
	struct domain *d = fake_dom_new(1);
	struct ctl_list_page pg;

	/* No payload: the first page, as many as fit in 64 KiB. */
	ck_assert_int_eq(ctl_list_page_init(&pg, &rep, NULL, 0), 0);
	ck_assert_uint_eq(walk(&pg, d), PVX_CTL_LIST_PAGE);
	ck_assert_uint_le(rep.len, PVX_CTL_MAX_PAYLOAD);
	ck_assert_int_eq(v[0].domid, 1);
	ck_assert_int_eq(v[PVX_CTL_LIST_PAGE - 1].domid, (int32_t)PVX_CTL_LIST_PAGE);
	/* From 900: the rest (900..1023), a short page = the last one. */
	rep.len = 0;
	ck_assert_int_eq(ctl_list_page_init(&pg, &rep, &req, sizeof(req)), 0);
	ck_assert_uint_eq(walk(&pg, d), 124);
	ck_assert_int_eq(v[0].domid, 900);
	ck_assert_int_eq(v[123].domid, 1023);
	/* A smaller page on request; a short payload is refused. */
	rep.len = 0;
	req = (struct pvx_ctl_list_req){ .start_domid = 10, .max_domains = 5 };
	ck_assert_int_eq(ctl_list_page_init(&pg, &rep, &req, sizeof(req)), 0);
	ck_assert_uint_eq(walk(&pg, d), 5);
	ck_assert_int_eq(v[4].domid, 14);
	ck_assert_int_eq(ctl_list_page_init(&pg, &rep, &req, 4), -EINVAL);
	/* The table accepts LIST with and without the payload. */
	ck_assert_int_eq(check(msg(PVX_CTL_LIST, 0, 0), false), 0);
	ck_assert_int_eq(check(msg(PVX_CTL_LIST, sizeof(req), sizeof(req)), false), 0);
	d->domid = FAKE_DOMID;
	fake_dom_free(d);
}
END_TEST

Suite *make_ctl_msg_suite(void)
{
	Suite *s = suite_create("ctl_msg");
	TCase *t = tcase_create("ctl_msg");

	tcase_add_test(t, header_checks);
	tcase_add_test(t, unknown_ops);
	tcase_add_test(t, payload_sizes);
	tcase_add_test(t, create_requests);
	tcase_add_test(t, list_pages);
	suite_add_tcase(s, t);
	return s;
}
