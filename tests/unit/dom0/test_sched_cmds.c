/*
 * sched-credit, vcpu-pin and vcpu-list: the weight and cap bounds, and
 * each usage error (exit 2, the bad value named on stderr) before any
 * pvxd is reached; with no pvxd, one line and exit 1. Errors that need
 * a domain run in tests/integration/sched-cli.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../../dom0-tools/pvx/cmd.h"
#include "../../../dom0-tools/pvx/cmd_sched.h"
#include "cli_run.h"
#include "suites.h"

START_TEST(weight_cap_bounds)
{
	uint32_t v;
	char why[160];

	ck_assert_int_eq(pvx_sched_parse_weight("1", &v, why, sizeof(why)), 0);
	ck_assert_uint_eq(v, 1);
	ck_assert_int_eq(pvx_sched_parse_weight("65535", &v, why, sizeof(why)), 0);
	ck_assert_int_eq(pvx_sched_parse_weight("0", &v, why, sizeof(why)), -EINVAL);
	ck_assert_str_eq(why, "weight must be 1 to 65535, not '0'");
	ck_assert_int_eq(pvx_sched_parse_weight("65536", &v, why, sizeof(why)), -EINVAL);
	ck_assert_int_eq(pvx_sched_parse_weight("", &v, why, sizeof(why)), -EINVAL);
	ck_assert_int_eq(pvx_sched_parse_weight("+5", &v, why, sizeof(why)), -EINVAL);
	ck_assert_int_eq(pvx_sched_parse_weight("5x", &v, why, sizeof(why)), -EINVAL);
	ck_assert_int_eq(pvx_sched_parse_cap("0", &v, why, sizeof(why)), 0);
	ck_assert_int_eq(pvx_sched_parse_cap("3200", &v, why, sizeof(why)), 0);
	ck_assert_int_eq(pvx_sched_parse_cap("3201", &v, why, sizeof(why)), -EINVAL);
	ck_assert_int_eq(pvx_sched_parse_cap("-1", &v, why, sizeof(why)), -EINVAL);
	ck_assert_str_eq(why, "cap must be 0 (none) to 100 per vCPU, not '-1'");
	ck_assert_int_eq(pvx_sched_parse_cap("99999999999999999999", &v, why,
					     sizeof(why)), -EINVAL);
}
END_TEST

static const struct {
	const char *argv[7];
	int rc;
	const char *want;
} cases[] = {
	{ { "pvx", "sched-credit", "-w", "0", "-d", "x" }, 2, "weight must be 1 to 65535, not '0'" },
	{ { "pvx", "sched-credit", "-d", "x", "-c", "abc" }, 2, "cap must be 0 (none) to 100 per vCPU, not 'abc'" },
	{ { "pvx", "sched-credit", "-c", "10" }, 2, "-w and -c need -d DOMAIN" },
	{ { "pvx", "sched-credit", "-q" }, 2, "-q" },
	{ { "pvx", "sched-credit", "extra" }, 2, "unexpected argument 'extra'" },
	{ { "pvx", "sched-credit", "-d", "x" }, 1, "pvxd" },
	{ { "pvx", "vcpu-pin", "x", "0" }, 2, "expected DOMAIN VCPU|all CPUS" },
	{ { "pvx", "vcpu-pin", "x", "one", "0" }, 2, "'one' is not a vCPU number or 'all'" },
	{ { "pvx", "vcpu-pin", "x", "32", "0" }, 2, "'32' is not a vCPU number" },
	{ { "pvx", "vcpu-pin", "x", "0", "1,2-x" }, 2, "'2-x' is not a CPU, range or 'all'" },
	{ { "pvx", "vcpu-pin", "x", "0", "^all" }, 2, "leaves no CPU" },
	{ { "pvx", "vcpu-pin", "x", "all", "0" }, 1, "pvxd" },
	{ { "pvx", "vcpu-list" }, 1, "pvxd" },
};

START_TEST(usage_errors)
{
	struct cli_capture c;
	char *argv[8] = { NULL };

	/* getopt permutes argv: a writable copy of the case's. */
	for (int i = 0; i < 7 && cases[_i].argv[i]; i++)
		argv[i] = (char *)cases[_i].argv[i];
	cli_run(&c, argv);
	ck_assert_msg(c.rc == cases[_i].rc, "%s %s: exit %d, want %d (%s)",
		      cases[_i].argv[1], cases[_i].argv[2], c.rc, cases[_i].rc, c.err);
	ck_assert_msg(strstr(c.err, cases[_i].want), "'%s' lacks '%s'", c.err,
		      cases[_i].want);
	ck_assert_msg(!strchr(c.err, '\n') || strchr(c.err, '\n')[1] == '\0',
		      "more than one line: '%s'", c.err);
}
END_TEST

Suite *make_sched_cmds_suite(void)
{
	Suite *s = suite_create("sched_cmds");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, weight_cap_bounds);
	tcase_add_loop_test(tc, usage_errors, 0, sizeof(cases) / sizeof(cases[0]));
	suite_add_tcase(s, tc);
	return s;
}
