/*
 * The console ring on a fake page in memory: plain reads, wrap of the
 * buffer and of the 32-bit indices, a full ring, a short buffer, corrupt
 * indices (resync, nothing read), and that the indices we own are never
 * read back from the page (a guest scribbling on them changes nothing).
 */
#include <stdint.h>
#include <string.h>

#include "../../../dom0-tools/consoled/consoled.h"
#include "harness.h"

static struct xencons_interface page;

static void guest_put(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		page.out[MASK_XENCONS_IDX(page.out_prod + i, page.out)] = s[i];
	page.out_prod += (XENCONS_RING_IDX)n;
}

static void setup(XENCONS_RING_IDX start, struct cons_ring *r)
{
	memset(&page, 0, sizeof(page));
	page.out_cons = page.out_prod = start;
	page.in_cons = page.in_prod = start;
	cons_ring_init(r, &page);
}

START_TEST(read_simple)
{
	struct cons_ring r;
	char buf[4096];
	bool corrupt;

	setup(0, &r);
	ck_assert_uint_eq(cons_ring_read(&r, buf, sizeof(buf), &corrupt), 0);
	guest_put("hello\n", 6);
	ck_assert_uint_eq(cons_ring_read(&r, buf, sizeof(buf), &corrupt), 6);
	ck_assert(!corrupt);
	ck_assert_mem_eq(buf, "hello\n", 6);
	ck_assert_uint_eq(page.out_cons, 6);
	ck_assert_uint_eq(cons_ring_read(&r, buf, sizeof(buf), &corrupt), 0);
}
END_TEST

/* Buffer wrap and index wrap at UINT32_MAX, from several start points. */
START_TEST(read_wraps)
{
	static const XENCONS_RING_IDX starts[] = {
		2040, UINT32_MAX - 3, UINT32_MAX - 2047, UINT32_MAX,
	};
	struct cons_ring r;
	char msg[2048], buf[4096];
	bool corrupt;

	for (size_t i = 0; i < sizeof(msg); i++)
		msg[i] = (char)('a' + i % 26);
	for (size_t s = 0; s < sizeof(starts) / sizeof(starts[0]); s++) {
		setup(starts[s], &r);
		guest_put(msg, 100);
		ck_assert_uint_eq(cons_ring_read(&r, buf, sizeof(buf), &corrupt), 100);
		ck_assert_mem_eq(buf, msg, 100);
		guest_put(msg, sizeof(msg));     /* exactly full */
		ck_assert_uint_eq(cons_ring_read(&r, buf, sizeof(buf), &corrupt), 2048);
		ck_assert(!corrupt);
		ck_assert_mem_eq(buf, msg, 2048);
		ck_assert_uint_eq(page.out_cons, (XENCONS_RING_IDX)(starts[s] + 2148));
	}
}
END_TEST

START_TEST(read_short_buffer)
{
	struct cons_ring r;
	char buf[10];
	bool corrupt;

	setup(0, &r);
	guest_put("0123456789abcdefghij", 20);
	ck_assert_uint_eq(cons_ring_read(&r, buf, 8, &corrupt), 8);
	ck_assert_mem_eq(buf, "01234567", 8);
	ck_assert_uint_eq(cons_ring_read(&r, buf, 8, &corrupt), 8);
	ck_assert_mem_eq(buf, "89abcdef", 8);
	ck_assert_uint_eq(cons_ring_read(&r, buf, 8, &corrupt), 4);
	ck_assert_mem_eq(buf, "ghij", 4);
}
END_TEST

START_TEST(read_corrupt_resyncs)
{
	struct cons_ring r;
	char buf[4096];
	bool corrupt;

	setup(100, &r);
	page.out_prod = 100 + 2049;      /* one more than the ring holds */
	ck_assert_uint_eq(cons_ring_read(&r, buf, sizeof(buf), &corrupt), 0);
	ck_assert(corrupt);
	ck_assert_uint_eq(page.out_cons, 100 + 2049);
	page.out_prod = 50;              /* behind us: also corrupt */
	ck_assert_uint_eq(cons_ring_read(&r, buf, sizeof(buf), &corrupt), 0);
	ck_assert(corrupt);
	ck_assert_uint_eq(r.out_cons, 50);
	guest_put("ok", 2);              /* and the ring works again */
	ck_assert_uint_eq(cons_ring_read(&r, buf, sizeof(buf), &corrupt), 2);
	ck_assert(!corrupt);
	ck_assert_mem_eq(buf, "ok", 2);
}
END_TEST

START_TEST(own_indices_not_trusted)
{
	struct cons_ring r;
	char buf[4096];
	bool corrupt;

	setup(0, &r);
	guest_put("abcd", 4);
	page.out_cons = 0xdeadbeef;      /* the guest scribbles on ours */
	page.in_prod = 0x12345678;
	ck_assert_uint_eq(cons_ring_read(&r, buf, sizeof(buf), &corrupt), 4);
	ck_assert(!corrupt);
	ck_assert_mem_eq(buf, "abcd", 4);
	ck_assert_uint_eq(page.out_cons, 4);
	ck_assert_uint_eq(cons_ring_write(&r, "x", 1, &corrupt), 1);
	ck_assert(!corrupt);
	ck_assert_uint_eq(page.in_prod, 1);
	ck_assert_int_eq(page.in[0], 'x');
}
END_TEST

START_TEST(write_full_and_wrap)
{
	struct cons_ring r;
	char big[1500];
	bool corrupt;

	memset(big, 'z', sizeof(big));
	setup(UINT32_MAX - 10, &r);
	ck_assert_uint_eq(cons_ring_write(&r, big, sizeof(big), &corrupt), 1024);
	ck_assert(!corrupt);
	ck_assert_uint_eq(cons_ring_write(&r, "y", 1, &corrupt), 0);  /* full */
	page.in_cons += 3;               /* guest consumed three bytes */
	ck_assert_uint_eq(cons_ring_write(&r, "abcd", 4, &corrupt), 3);
	ck_assert_int_eq(page.in[MASK_XENCONS_IDX(page.in_prod - 1, page.in)], 'c');
	ck_assert_uint_eq(page.in_prod, (XENCONS_RING_IDX)(UINT32_MAX - 10 + 1027));
}
END_TEST

START_TEST(write_corrupt_in_cons)
{
	struct cons_ring r;
	bool corrupt;

	setup(0, &r);
	page.in_cons = 5000;             /* ahead of what we produced */
	ck_assert_uint_eq(cons_ring_write(&r, "hi", 2, &corrupt), 2);
	ck_assert(corrupt);
	ck_assert_uint_eq(page.in_prod, 5002);
}
END_TEST

Suite *make_ring_suite(void)
{
	Suite *s = suite_create("ring");
	TCase *tc = tcase_create("ring");

	tcase_add_test(tc, read_simple);
	tcase_add_test(tc, read_wraps);
	tcase_add_test(tc, read_short_buffer);
	tcase_add_test(tc, read_corrupt_resyncs);
	tcase_add_test(tc, own_indices_not_trusted);
	tcase_add_test(tc, write_full_and_wrap);
	tcase_add_test(tc, write_corrupt_in_cons);
	suite_add_tcase(s, tc);
	return s;
}
