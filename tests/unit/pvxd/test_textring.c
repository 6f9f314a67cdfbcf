/*
 * The bounded log behind PVX_CTL_DMESG: absolute offsets survive drops.
 */
#include <string.h>

#include "harness.h"

START_TEST(wrap_and_offsets)
{
	struct textring r;
	char out[32];
	uint64_t first, next;

	ck_assert_int_eq(textring_init(&r, 8), 0);
	textring_append(&r, "abcdef", 6);
	ck_assert_uint_eq(textring_read(&r, 2, out, sizeof(out), &first, &next), 4);
	ck_assert_int_eq(memcmp(out, "cdef", 4), 0);
	ck_assert_uint_eq(first, 2);
	ck_assert_uint_eq(next, 6);
	textring_append(&r, "ghijk", 5);               /* 11 bytes, 8 kept */
	ck_assert_uint_eq(textring_read(&r, 0, out, sizeof(out), &first, &next), 8);
	ck_assert_uint_eq(first, 3);
	ck_assert_int_eq(memcmp(out, "defghijk", 8), 0);
	ck_assert_uint_eq(textring_read(&r, 9, out, 1, &first, &next), 1);
	ck_assert_uint_eq(out[0], 'j');
	ck_assert_uint_eq(next, 10);
	ck_assert_uint_eq(textring_read(&r, 100, out, 8, &first, &next), 0);
	ck_assert_uint_eq(next, 11);
	textring_append(&r, "0123456789ABCDEF", 16);   /* bigger than the ring */
	ck_assert_uint_eq(textring_read(&r, 0, out, sizeof(out), &first, &next), 8);
	ck_assert_uint_eq(first, 19);
	ck_assert_int_eq(memcmp(out, "89ABCDEF", 8), 0);
	textring_dispose(&r);
	textring_dispose(&r);                          /* idempotent */
}
END_TEST

Suite *make_textring_suite(void)
{
	Suite *s = suite_create("textring");
	TCase *t = tcase_create("textring");

	tcase_add_test(t, wrap_and_offsets);
	suite_add_tcase(s, t);
	return s;
}
