/*
 * pvx_uuid_format: the one text form of a domain UUID. It must be what
 * the `uuid` key parses (a dumped or kept config reads back the same
 * domain), lower-case, and stay inside its PVX_UUID_CHARS + 1 buffer.
 */
#include "harness.h"

START_TEST(known_value)
{
	static const uint8_t u[16] = { 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
				       0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10 };
	char out[PVX_UUID_CHARS + 1];

	pvx_uuid_format(u, out);
	ck_assert_str_eq(out, "01234567-89ab-cdef-fedc-ba9876543210");
	ck_assert_uint_eq(strlen(out), PVX_UUID_CHARS);
}
END_TEST

START_TEST(stays_in_its_buffer)
{
	uint8_t u[16];
	char buf[PVX_UUID_CHARS + 1 + 8];

	memset(u, 0xff, sizeof(u));
	memset(buf, 'Z', sizeof(buf));
	pvx_uuid_format(u, buf);
	ck_assert_str_eq(buf, "ffffffff-ffff-ffff-ffff-ffffffffffff");
	for (size_t i = PVX_UUID_CHARS + 1; i < sizeof(buf); i++)
		ck_assert_int_eq(buf[i], 'Z');
}
END_TEST

/* Parse "uuid=TEXT", format the result: the same text comes back, and
 * upper-case input comes back lower-case. */
START_TEST(parser_round_trip)
{
	static const char *const in[] = {
		"c0ffee00-0000-4000-8000-0123456789ab",
		"00000000-0000-0000-0000-000000000000",
		"DEADBEEF-CAFE-BABE-F00D-ABCDEF012345",
	};

	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		struct pvx_config cfg;
		char text[128], err[160] = "", out[PVX_UUID_CHARS + 1], want[PVX_UUID_CHARS + 1];

		snprintf(text, sizeof(text), "uuid = \"%s\"\n", in[i]);
		pvx_config_init(&cfg);
		ck_assert_msg(parse_as(&cfg, "t.cfg", text, err, sizeof(err), NULL) == 0,
			      "%s", err);
		ck_assert(cfg.have_uuid);
		pvx_uuid_format(cfg.uuid, out);
		for (size_t k = 0; k <= PVX_UUID_CHARS; k++)
			want[k] = (char)(in[i][k] >= 'A' && in[i][k] <= 'F' ? in[i][k] | 0x20 : in[i][k]);
		ck_assert_str_eq(out, want);
		pvx_config_dispose(&cfg);
	}
}
END_TEST

Suite *make_uuid_suite(void)
{
	Suite *s = suite_create("uuid");
	TCase *tc = tcase_create("format");

	tcase_add_test(tc, known_value);
	tcase_add_test(tc, stays_in_its_buffer);
	tcase_add_test(tc, parser_round_trip);
	suite_add_tcase(s, tc);
	return s;
}
