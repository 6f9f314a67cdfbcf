/*
 * The journal's framing (journal.c): frames round-trip; a tail cut
 * anywhere reads as torn, never as a frame; any flipped bit, a length
 * past the maximum or past the end is caught; CRC32C matches its
 * published check value.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "../../../xenbus/store/journal.h"

/* Two frames ("hello", 300 bytes of a pattern) into buf; returns length. */
static size_t two_frames(uint8_t *buf, size_t *first_end)
{
	uint8_t big[300];
	size_t n = 0, i;

	for (i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 7);
	journal_frame_hdr(buf, "hello", 5);
	memcpy(buf + JOURNAL_HDR, "hello", 5);
	n = JOURNAL_HDR + 5;
	*first_end = n;
	journal_frame_hdr(buf + n, big, sizeof(big));
	memcpy(buf + n + JOURNAL_HDR, big, sizeof(big));
	return n + JOURNAL_HDR + sizeof(big);
}

START_TEST(crc32c_check_value)
{
	uint8_t buf[1000];
	size_t i, n;

	ck_assert_uint_eq(xs_crc32c(0, "123456789", 9), 0xE3069283u);
	ck_assert_uint_eq(xs_crc32c_sw(0, "123456789", 9), 0xE3069283u);
	/* The CPU's instruction and the table agree, at every length and
	 * when chained. */
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 31 + 7);
	for (n = 0; n < sizeof(buf); n += 13) {
		ck_assert_uint_eq(xs_crc32c(0, buf, n), xs_crc32c_sw(0, buf, n));
		ck_assert_uint_eq(xs_crc32c(xs_crc32c(0, buf, n / 2), buf + n / 2, n - n / 2),
				  xs_crc32c_sw(0, buf, n));
	}
}
END_TEST

START_TEST(round_trip)
{
	uint8_t buf[512];
	size_t first, len = two_frames(buf, &first), off = 0;
	const uint8_t *p;
	uint32_t n;

	ck_assert_int_eq(journal_next(buf, len, &off, &p, &n), JOURNAL_FRAME);
	ck_assert_uint_eq(n, 5);
	ck_assert_int_eq(memcmp(p, "hello", 5), 0);
	ck_assert_uint_eq(off, first);
	ck_assert_int_eq(journal_next(buf, len, &off, &p, &n), JOURNAL_FRAME);
	ck_assert_uint_eq(n, 300);
	ck_assert_uint_eq(p[299], (uint8_t)(299 * 7));
	ck_assert_int_eq(journal_next(buf, len, &off, &p, &n), JOURNAL_END);
}
END_TEST

START_TEST(torn_tail)
{
	uint8_t buf[512];
	size_t first, len = two_frames(buf, &first), cut, off;
	const uint8_t *p;
	uint32_t n;

	for (cut = first + 1; cut < len; cut++) {
		off = 0;
		ck_assert_int_eq(journal_next(buf, cut, &off, &p, &n), JOURNAL_FRAME);
		ck_assert_int_eq(journal_next(buf, cut, &off, &p, &n), JOURNAL_TORN);
		ck_assert_uint_eq(off, first);
	}
}
END_TEST

START_TEST(bit_flip)
{
	uint8_t buf[512];
	size_t first, len = two_frames(buf, &first), bit, off;
	enum journal_next_rc k;
	const uint8_t *p;
	uint32_t n;

	for (bit = first * 8; bit < len * 8; bit++) {
		buf[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		off = first;
		k = journal_next(buf, len, &off, &p, &n);
		ck_assert_msg(k == JOURNAL_BAD || k == JOURNAL_TORN,
			      "bit %zu flipped read as %d", bit, k);
		ck_assert_uint_eq(off, first);
		buf[bit / 8] ^= (uint8_t)(1u << (bit % 8));
	}
}
END_TEST

START_TEST(bad_and_huge_lengths)
{
	uint8_t buf[64] = { 0 };
	const uint8_t *p;
	size_t off = 0;
	uint32_t n, v;

	/* Larger than any frame may be: corrupt, whatever follows. */
	v = JOURNAL_FRAME_MAX + 1;
	memcpy(buf, &v, 4);
	ck_assert_int_eq(journal_next(buf, sizeof(buf), &off, &p, &n), JOURNAL_BAD);
	v = 0xFFFFFFFFu;
	memcpy(buf, &v, 4);
	ck_assert_int_eq(journal_next(buf, sizeof(buf), &off, &p, &n), JOURNAL_BAD);
	/* Within the maximum but past the end: torn. */
	v = 1000;
	memcpy(buf, &v, 4);
	ck_assert_int_eq(journal_next(buf, sizeof(buf), &off, &p, &n), JOURNAL_TORN);
	/* Length fits, CRC of zeros does not match. */
	v = 8;
	memcpy(buf, &v, 4);
	ck_assert_int_eq(journal_next(buf, sizeof(buf), &off, &p, &n), JOURNAL_BAD);
	/* A header cut short. */
	ck_assert_int_eq(journal_next(buf, 5, &off, &p, &n), JOURNAL_TORN);
	ck_assert_uint_eq(off, 0);
}
END_TEST

START_TEST(jbuf_grows_and_resets)
{
	struct jbuf b = { 0 };
	char big[5000];
	int i;

	memset(big, 'x', sizeof(big));
	for (i = 0; i < 300; i++)
		jb_put(&b, big, sizeof(big));
	ck_assert(!b.err);
	ck_assert_uint_eq(b.len, 300 * sizeof(big));
	jb_reset(&b);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_ptr_null(b.p);  /* a big buffer is given back */
	jb_str(&b, "ab", 2);
	ck_assert_uint_eq(b.len, 6);
	jb_free(&b);
}
END_TEST

Suite *make_journal_suite(void)
{
	Suite *s = suite_create("journal");
	TCase *tc = tcase_create("journal");

	tcase_add_test(tc, crc32c_check_value);
	tcase_add_test(tc, round_trip);
	tcase_add_test(tc, torn_tail);
	tcase_add_test(tc, bit_flip);
	tcase_add_test(tc, bad_and_huge_lengths);
	tcase_add_test(tc, jbuf_grows_and_resets);
	suite_add_tcase(s, tc);
	return s;
}
