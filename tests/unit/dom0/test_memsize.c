/*
 * xl's size syntax for mem-set/mem-max (memsize.c), and the errors of
 * the two commands that need no running pvxd to show: usage, bad sizes,
 * Domain-0, and no pvxd.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../../dom0-tools/pvx/cmd.h"
#include "../../../dom0-tools/pvx/memsize.h"
#include "cli_run.h"
#include "suites.h"

static const struct {
	const char *in;
	int rc;
	uint64_t kib;
} sizes[] = {
	{ "512", 0, 512 * 1024 },          /* plain: MiB, as xl */
	{ "512m", 0, 512 * 1024 },
	{ "512M", 0, 512 * 1024 },
	{ "1g", 0, 1024 * 1024 },
	{ "1G", 0, 1024 * 1024 },
	{ "2t", 0, 2ull << 30 },
	{ "65536k", 0, 65536 },
	{ "65536K", 0, 65536 },
	{ "4194304b", 0, 4096 },
	{ "4k", 0, 4 },
	{ "0", -EINVAL, 0 },
	{ "0g", -EINVAL, 0 },
	{ "2k", -EINVAL, 0 },              /* half a page */
	{ "100b", -EINVAL, 0 },
	{ "", -EINVAL, 0 },
	{ "m", -EINVAL, 0 },
	{ "12x", -EINVAL, 0 },
	{ "12mb", -EINVAL, 0 },
	{ "1.5g", -EINVAL, 0 },
	{ "-1", -EINVAL, 0 },
	{ " 64", -EINVAL, 0 },
	{ "64 ", -EINVAL, 0 },
	{ "0x40", -EINVAL, 0 },
	{ "16777216t", -ERANGE, 0 },       /* 2^64 bytes */
	{ "17592186044416", -ERANGE, 0 },  /* 2^44 MiB */
	{ "99999999999999999999999", -ERANGE, 0 },
	{ "18446744073709551615b", -EINVAL, 0 }, /* fits, but not whole pages */
};

START_TEST(parse_sizes)
{
	uint64_t kib = 12345;
	int rc = pvx_parse_mem_kib(sizes[_i].in, &kib);

	ck_assert_msg(rc == sizes[_i].rc, "'%s': rc %d, want %d", sizes[_i].in, rc,
		      sizes[_i].rc);
	if (rc == 0)
		ck_assert_uint_eq(kib, sizes[_i].kib);
	else
		ck_assert_uint_eq(kib, 12345); /* untouched on error */
}
END_TEST

static const struct {
	const char *argv[6];
	int rc;
	const char *msg;
} errs[] = {
	{ { "pvx", "mem-set", NULL }, 2, "expected DOMAIN SIZE" },
	{ { "pvx", "mem-set", "d", NULL }, 2, "expected DOMAIN SIZE" },
	{ { "pvx", "mem-set", "d", "1g", "x" }, 2, "expected DOMAIN SIZE" },
	{ { "pvx", "mem-set", "d", "lots", NULL }, 2, "'lots' is not a size" },
	{ { "pvx", "mem-set", "d", "99999999999999999999g", NULL }, 2, "is too large" },
	{ { "pvx", "mem-set", "0", "1g", NULL }, 1, "Domain-0 is the host" },
	{ { "pvx", "mem-max", NULL }, 2, "expected DOMAIN SIZE" },
	{ { "pvx", "mem-max", "d", "2k", NULL }, 2, "whole 4 KiB pages" },
	{ { "pvx", "mem-max", "Domain-0", "1g", NULL }, 1, "Domain-0 is the host" },
	{ { "pvx", "mem-set", "d", "64m", NULL }, 1, "pvx: pvxd is not running" },
	{ { "pvx", "mem-max", "d", "64m", NULL }, 1, "pvx: pvxd is not running" },
};

START_TEST(command_errors)
{
	char dir[] = "/tmp/pvx-ut.XXXXXX";
	char *argv[6] = { NULL };
	struct cli_capture c;

	for (int k = 0; k < 5 && errs[_i].argv[k]; k++)
		argv[k] = (char *)errs[_i].argv[k]; /* the CLI may permute argv */
	ck_assert_ptr_nonnull(mkdtemp(dir));
	setenv("PVX_RUNDIR", dir, 1);
	cli_run(&c, argv);
	rmdir(dir);
	ck_assert_msg(c.rc == errs[_i].rc, "%s %s: rc %d", errs[_i].argv[1],
		      errs[_i].argv[2] ? errs[_i].argv[2] : "", c.rc);
	ck_assert_msg(strstr(c.err, errs[_i].msg), "want '%s', got: %s", errs[_i].msg, c.err);
	ck_assert_ptr_eq(strchr(c.err, '\n'), c.err + strlen(c.err) - 1); /* one line */
}
END_TEST

Suite *make_memsize_suite(void)
{
	Suite *s = suite_create("memsize");
	TCase *t = tcase_create("core");

	tcase_add_loop_test(t, parse_sizes, 0, sizeof(sizes) / sizeof(sizes[0]));
	tcase_add_loop_test(t, command_errors, 0, sizeof(errs) / sizeof(errs[0]));
	suite_add_tcase(s, t);
	return s;
}
