/* netback_csum_locate / _add / _fold against frames built by frames.c. */
#include <errno.h>
#include <string.h>

#include "frames.h"
#include "harness.h"

struct lcase {
	int kind;
	size_t len;
	int rc;
	uint16_t start, field;
};

static const struct lcase lcases[] = {
	{ FR_UDP4, 60, 0, 34, 6 },
	{ FR_TCP4, 1514, 0, 34, 16 },
	{ FR_UDP6, 100, 0, 54, 6 },
	{ FR_TCP6, 1514, 0, 54, 16 },
	{ FR_UDP4_VLAN, 100, 0, 38, 6 },
	{ FR_ARP, 60, -EPROTONOSUPPORT, 0, 0 },
	{ FR_ICMP4, 60, -EPROTONOSUPPORT, 0, 0 },
	{ FR_FRAG4, 100, -EPROTONOSUPPORT, 0, 0 },
};

START_TEST(locate)
{
	const struct lcase *c = &lcases[_i];
	uint8_t f[1514];
	uint16_t start = 0, field = 0;

	frame_build(f, c->len, c->kind, 1);
	ck_assert_int_eq(netback_csum_locate(f, 128, c->len, &start, &field), c->rc);
	if (c->rc == 0) {
		ck_assert_uint_eq(start, c->start);
		ck_assert_uint_eq(field, c->field);
	}
}
END_TEST

/* Headers that lie about lengths, or are cut short. */
START_TEST(locate_hostile)
{
	uint8_t f[200];
	uint16_t s, o;

	frame_build(f, 100, FR_UDP4, 2);
	ck_assert_int_eq(netback_csum_locate(f, 13, 100, &s, &o), -EINVAL);
	ck_assert_int_eq(netback_csum_locate(f, 30, 100, &s, &o), -EINVAL); /* caplen */
	ck_assert_int_eq(netback_csum_locate(f, 100, 80, &s, &o), -EINVAL); /* tot_len */
	f[14] = 0x4f; /* ihl 60 > tot_len? no: 60 <= 86, but the UDP header then ends past */
	ck_assert_int_eq(netback_csum_locate(f, 128, 100, &s, &o), 0);
	ck_assert_uint_eq(s, 74);
	f[14] = 0x44; /* ihl 16 */
	ck_assert_int_eq(netback_csum_locate(f, 128, 100, &s, &o), -EINVAL);
	f[14] = 0x55; /* version 5 */
	ck_assert_int_eq(netback_csum_locate(f, 128, 100, &s, &o), -EINVAL);
	frame_build(f, 40, FR_UDP4, 2); /* 34 + 8 > 40: header cut */
	ck_assert_int_eq(netback_csum_locate(f, 128, 40, &s, &o), -EINVAL);
	frame_build(f, 100, FR_UDP6, 2);
	ck_assert_int_eq(netback_csum_locate(f, 128, 60, &s, &o), -EINVAL);
}
END_TEST

/* Completing a CHECKSUM_PARTIAL frame gives a checksum that verifies,
 * whatever the iovec split (odd boundaries included). */
START_TEST(complete)
{
	static const int kinds[] = { FR_UDP4, FR_TCP4, FR_UDP6, FR_TCP6 };
	uint8_t f[1514];

	for (unsigned k = 0; k < 4; k++)
		for (size_t len = 75; len <= 1514; len += 97) {
			size_t l4 = frame_build(f, len, kinds[k], (unsigned)len), cut = len / 3 | 1;
			struct iovec iov[3] = { { f, cut }, { f + cut, 1 },
						{ f + cut + 1, len - cut - 1 } };
			uint16_t field = kinds[k] == FR_TCP4 || kinds[k] == FR_TCP6 ? 16 : 6;
			uint16_t c = netback_csum_fold(netback_csum_add(0, iov, 3, l4), field == 6);

			f[l4 + field] = (uint8_t)(c >> 8);
			f[l4 + field + 1] = (uint8_t)c;
			ck_assert_msg(frame_l4_ok(f, len, kinds[k]), "kind %d len %zu", kinds[k], len);
		}
}
END_TEST

START_TEST(fold)
{
	ck_assert_uint_eq(netback_csum_fold(0xffff, false), 0);
	ck_assert_uint_eq(netback_csum_fold(0xffff, true), 0xffff);
	ck_assert_uint_eq(netback_csum_fold(0x1fffe, false), 0);
	ck_assert_uint_eq(netback_csum_fold(0x1234, false), 0xedcb);
}
END_TEST

Suite *make_csum_suite(void)
{
	Suite *s = suite_create("csum");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, locate, 0, (int)(sizeof(lcases) / sizeof(lcases[0])));
	tcase_add_test(tc, locate_hostile);
	tcase_add_test(tc, complete);
	tcase_add_test(tc, fold);
	suite_add_tcase(s, tc);
	return s;
}
