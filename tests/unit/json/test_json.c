/*
 * unit-json: pvx/json.h. Hostile strings (quotes, backslashes, every
 * control character, invalid UTF-8 of each kind) come out as JSON that
 * jansson's own strict parser reads back, valid UTF-8 intact and each
 * bad byte as U+FFFD; counters above INT64_MAX, rounding and NaN.
 */
#include <check.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <pvx/json.h>

/* Dumps {"s": pvx_json_string(in)} and parses it back: the string read. */
static char *round_trip(const char *in)
{
	json_t *doc = json_object(), *back;
	char *buf = NULL, *out;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	json_error_t err;

	ck_assert_int_eq(pvx_json_set(doc, "s", pvx_json_string(in)), 0);
	ck_assert_int_eq(pvx_json_dump(f, doc, PVX_JSON_PRETTY, 1), 0);
	fclose(f);
	back = json_loads(buf, JSON_REJECT_DUPLICATES, &err);
	ck_assert_msg(back != NULL, "%s does not parse: %s", buf, err.text);
	out = strdup(json_string_value(json_object_get(back, "s")));
	json_decref(back);
	free(buf);
	return out;
}

START_TEST(escapes_parse_back)
{
	char ctl[33], *s;

	for (int i = 1; i < 32; i++)
		ctl[i - 1] = (char)i;
	ctl[31] = 0x7f;
	ctl[32] = '\0';
	const char *cases[] = { "plain", "q\"uote", "back\\slash", "\"\\\"\\", "a\nb\tc\r",
				"</script>", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", ctl };
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		s = round_trip(cases[i]);
		ck_assert_str_eq(s, cases[i]);
		free(s);
	}
}
END_TEST

START_TEST(invalid_utf8_replaced)
{
	const struct { const char *in, *out; } cases[] = {
		{ "a\xff" "b", "a\xef\xbf\xbd" "b" },            /* never in UTF-8 */
		{ "\x80", "\xef\xbf\xbd" },                       /* lone continuation */
		{ "\xc3", "\xef\xbf\xbd" },                       /* truncated at the end */
		{ "\xc3(", "\xef\xbf\xbd(" },                     /* bad continuation */
		{ "\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd" },       /* overlong '/' */
		{ "\xe0\x80\xaf", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
		{ "\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" }, /* surrogate */
		{ "\xf4\x90\x80\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
		{ "ok\xc3\xa9\xfe\"", "ok\xc3\xa9\xef\xbf\xbd\"" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *s = round_trip(cases[i].in);

		ck_assert_msg(!strcmp(s, cases[i].out), "case %zu", i);
		free(s);
	}
}
END_TEST

START_TEST(null_and_numbers)
{
	json_t *j = pvx_json_string(NULL);

	ck_assert(json_is_null(j));
	j = pvx_json_u64(UINT64_MAX);
	ck_assert(json_is_real(j));
	ck_assert(json_real_value(j) > 1.8e19);
	json_decref(j);
	j = pvx_json_u64(INT64_MAX);
	ck_assert(json_is_integer(j) && json_integer_value(j) == INT64_MAX);
	json_decref(j);
	j = pvx_json_fixed(2.0 / 3, 3);
	ck_assert(json_real_value(j) == 0.667);
	json_decref(j);
	ck_assert(json_is_null(pvx_json_fixed(NAN, 3)));
	ck_assert(json_is_null(pvx_json_fixed(INFINITY, 1)));
	j = json_object();
	ck_assert_int_eq(pvx_json_set(j, "x", NULL), -1);
	json_decref(j);
	ck_assert_int_eq(pvx_json_dump(stdout, NULL, 0, 0), -ENOMEM);
}
END_TEST

/* Reals print short (0.1, not 0.10000000000000001) and keep a ".0". */
START_TEST(real_text)
{
	json_t *a = json_array();
	char *s;

	json_array_append_new(a, pvx_json_fixed(0.1, 3));
	json_array_append_new(a, pvx_json_fixed(2000, 1));
	json_array_append_new(a, pvx_json_fixed(1765000000.1234, 3));
	s = json_dumps(a, PVX_JSON_LINE);
	ck_assert_str_eq(s, "[0.1, 2000.0, 1765000000.123]");
	free(s);
	json_decref(a);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("json");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, escapes_parse_back);
	tcase_add_test(tc, invalid_utf8_replaced);
	tcase_add_test(tc, null_and_numbers);
	tcase_add_test(tc, real_text);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
