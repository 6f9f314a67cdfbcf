/*
 * xl's CPU list syntax (cpulist.c) and the scheduling keys cpu_weight,
 * cap and cpus: what each accepts, the bounds, and that errors name the
 * bad item.
 */
#include <errno.h>

#include "harness.h"

static uint64_t parse_ok(const char *s, unsigned word)
{
	uint64_t map[PVX_CPULIST_WORDS];
	char err[160] = "";

	ck_assert_msg(pvx_cpulist_parse(s, map, err, sizeof(err)) == 0, "%s: %s", s, err);
	return map[word];
}

static void parse_bad(const char *s, const char *want)
{
	uint64_t map[PVX_CPULIST_WORDS];
	char err[160] = "";

	ck_assert_int_eq(pvx_cpulist_parse(s, map, err, sizeof(err)), -EINVAL);
	ck_assert_msg(strstr(err, want), "'%s': '%s' lacks '%s'", s, err, want);
}

START_TEST(syntax)
{
	ck_assert_uint_eq(parse_ok("0", 0), 1);
	ck_assert_uint_eq(parse_ok("0-3,5", 0), 0x2f);
	ck_assert_uint_eq(parse_ok("0-7,^3", 0), 0xf7);
	ck_assert_uint_eq(parse_ok("all", 3), ~0ull);
	ck_assert_uint_eq(parse_ok("all,^0-1", 0), ~3ull);
	ck_assert_uint_eq(parse_ok("255", 3), 1ull << 63);
	ck_assert_uint_eq(parse_ok("64-65", 1), 3);
}
END_TEST

START_TEST(errors_name_the_item)
{
	parse_bad("", "empty");
	parse_bad("0-3,x", "'x'");
	parse_bad("3-1", "'3-1'");
	parse_bad("1,,2", "''");
	parse_bad("0-", "'0-'");
	parse_bad("256", "up to 255");
	parse_bad("-1", "'-1'");
	parse_bad("1 ", "'1 '");
	parse_bad("0,^0", "leaves no CPU");
	parse_bad("^all", "leaves no CPU");
}
END_TEST

START_TEST(format)
{
	uint64_t m[PVX_CPULIST_WORDS] = { 0x2f, 0, 0, 0 };
	char out[64];

	pvx_cpulist_format(m, 8, out, sizeof(out));
	ck_assert_str_eq(out, "0-3,5");
	m[0] = 0xff;
	pvx_cpulist_format(m, 8, out, sizeof(out));
	ck_assert_str_eq(out, "all");
	m[0] = 0x5;
	pvx_cpulist_format(m, 8, out, sizeof(out));
	ck_assert_str_eq(out, "0,2");
}
END_TEST

static int parse_cfg(const char *text, struct pvx_config *c, char *err, size_t len)
{
	pvx_config_init(c);
	return parse_as(c, "t.cfg", text, err, len, NULL);
}

START_TEST(keys_defaults_and_values)
{
	struct pvx_config c;
	char err[256];

	ck_assert_int_eq(parse_cfg("name=\"a\"\n", &c, err, sizeof(err)), 0);
	ck_assert_uint_eq(c.cpu_weight, 256);
	ck_assert_uint_eq(c.cap, 0);
	ck_assert(!c.have_sched && !c.cpus);
	pvx_config_dispose(&c);
	ck_assert_int_eq(parse_cfg("name=\"a\"\ncpu_weight=512\ncap=\"150\"\ncpus=\"0-1\"\n",
				   &c, err, sizeof(err)), 0);
	ck_assert_uint_eq(c.cpu_weight, 512);
	ck_assert_uint_eq(c.cap, 150);
	ck_assert(c.have_sched);
	ck_assert_str_eq(c.cpus, "0-1");
	pvx_config_dispose(&c);
}
END_TEST

static void key_bad(const char *text, const char *want)
{
	struct pvx_config c;
	char err[256] = "";

	ck_assert_int_ne(parse_cfg(text, &c, err, sizeof(err)), 0);
	ck_assert_msg(strstr(err, want), "'%s': '%s' lacks '%s'", text, err, want);
	pvx_config_dispose(&c);
}

START_TEST(keys_bounds)
{
	key_bad("cpu_weight=0\n", "between 1 and 65535");
	key_bad("cpu_weight=65536\n", "between 1 and 65535");
	key_bad("cap=3201\n", "between 0 and 3200");
	key_bad("cap=\"-1\"\n", "cap");
	key_bad("cpus=\"0-2,z\"\n", "'z'");
	key_bad("cpus=[\"0\",\"1\"]\n", "per-vCPU");
}
END_TEST

Suite *make_cpulist_suite(void)
{
	Suite *s = suite_create("cpulist");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, syntax);
	tcase_add_test(tc, errors_name_the_item);
	tcase_add_test(tc, format);
	tcase_add_test(tc, keys_defaults_and_values);
	tcase_add_test(tc, keys_bounds);
	suite_add_tcase(s, tc);
	return s;
}
