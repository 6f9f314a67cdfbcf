/*
 * The grammar: separators, comments, strings and escapes, numbers in
 * three bases, nested lists with trailing commas, `+=`, last assignment
 * wins, unknown keys warned about once and ignored.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "harness.h"

START_TEST(separators_and_comments)
{
	struct pvx_config c;
	char err[256];
	const char *text =
		"# a comment line\n"
		"\n"
		";;name = \"a\" ; vcpus = 2   # trailing comment\n"
		"  kernel='/k'\t;\r\n"
		"memory=64";           /* no final newline */

	pvx_config_init(&c);
	ck_assert_int_eq(parse_as(&c, "t.cfg", text, err, sizeof(err), NULL), 0);
	ck_assert_str_eq(c.name, "a");
	ck_assert_str_eq(c.kernel, "/k");
	ck_assert_uint_eq(c.vcpus, 2);
	ck_assert_uint_eq(c.memory_mib, 64);
	pvx_config_dispose(&c);
}
END_TEST

START_TEST(string_escapes)
{
	struct pvx_config c;
	char err[256];
	const char *text = "cmdline = \"a\\tb\\n\\\\\\\"\\'\\x41\\101\\a\\b\\f\\r\\v\"\n";

	pvx_config_init(&c);
	ck_assert_int_eq(parse_as(&c, "t.cfg", text, err, sizeof(err), NULL), 0);
	ck_assert_str_eq(c.cmdline, "a\tb\n\\\"'AA\a\b\f\r\v");
	pvx_config_dispose(&c);
	/* name rejects the quote, but only after the string decoded fine */
	pvx_config_init(&c);
	ck_assert_int_eq(parse_as(&c, "t.cfg", "name = 'it\\'s'", err, sizeof(err),
				  NULL), -EINVAL);
	ck_assert_str_eq(err, "t.cfg:1: 'name' may hold letters, digits and"
			 " _ . - + : @ only near 'it's'");
	pvx_config_dispose(&c);
}
END_TEST

START_TEST(number_bases)
{
	static const struct { const char *text; unsigned long long mib; } cases[] = {
		{ "memory = 256", 256 }, { "memory = 0400", 256 },
		{ "memory = 0x100", 256 }, { "memory = 0X1F", 31 },
		{ "memory = \"300\"", 300 }, { "memory = 1", 1 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct pvx_config c;
		char err[256];

		pvx_config_init(&c);
		ck_assert_msg(parse_as(&c, "t.cfg", cases[i].text, err, sizeof(err),
				       NULL) == 0, "%s: %s", cases[i].text, err);
		ck_assert_uint_eq(c.memory_mib, cases[i].mib);
		pvx_config_dispose(&c);
	}
}
END_TEST

START_TEST(nested_lists_and_warnings)
{
	struct pvx_config c;
	struct warnings w = { .count = 0 };
	char err[256];
	const char *text =
		"name = \"n\"\n"
		"foo.bar_2 = [ 1, [ 'two', [ 3, ], ], [], ]\n"
		"disk = [\n"
		"   'vdev=xvda, target=/a'\n"
		"   ,\n"
		"   'vdev=xvdb, target=/b',\n"
		"]\n"
		"zzz = 'x'\n";

	pvx_config_init(&c);
	ck_assert_int_eq(parse_as(&c, "t.cfg", text, err, sizeof(err), &w), 0);
	ck_assert_int_eq(w.count, 2);
	ck_assert_str_eq(w.text, "t.cfg:2: unknown key 'foo.bar_2' ignored\n"
			 "t.cfg:8: unknown key 'zzz' ignored\n");
	ck_assert_uint_eq(c.nr_disks, 2);
	ck_assert_str_eq(c.disks[1].target, "/b");
	pvx_config_dispose(&c);
}
END_TEST

START_TEST(last_assignment_wins_and_append)
{
	struct pvx_config c;
	char err[256];
	const char *text =
		"memory = 64\n"
		"memory = 96\n"
		"extra = 'console=hvc0'\n"
		"extra += ' quiet'\n"
		"disk = [ 'vdev=xvda, target=/a' ]\n"
		"disk += [ 'vdev=xvdb, target=/b' ]\n"
		"disk += 'vdev=xvdc, target=/c'\n"
		"vif += [ 'bridge=br0' ]\n";  /* += on an unset key is = */

	pvx_config_init(&c);
	ck_assert_int_eq(parse_as(&c, "t.cfg", text, err, sizeof(err), NULL), 0);
	ck_assert_uint_eq(c.memory_mib, 96);
	ck_assert_str_eq(c.cmdline, "console=hvc0 quiet");
	ck_assert_uint_eq(c.nr_disks, 3);
	ck_assert_str_eq(c.disks[2].vdev, "xvdc");
	ck_assert_uint_eq(c.nr_vifs, 1);
	ck_assert_str_eq(c.vifs[0].bridge, "br0");
	pvx_config_dispose(&c);
}
END_TEST

START_TEST(parse_file_and_relative_paths)
{
	char dir[] = "/tmp/pvx-cfg-XXXXXX", path[128], err[256];
	struct pvx_config c;
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/g.cfg", dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("name='g'\nkernel='k/vmlinux'\nramdisk='/abs/initrd'\n"
	      "disk=['vdev=xvda, target=img.raw']\n", f);
	fclose(f);
	pvx_config_init(&c);
	ck_assert_int_eq(pvx_config_parse_file(&c, path, err, sizeof(err), NULL, NULL), 0);
	snprintf(path, sizeof(path), "%s/k/vmlinux", dir);
	ck_assert_str_eq(c.kernel, path);
	ck_assert_str_eq(c.ramdisk, "/abs/initrd");
	snprintf(path, sizeof(path), "%s/img.raw", dir);
	ck_assert_str_eq(c.disks[0].target, path);
	snprintf(path, sizeof(path), "%s/g.cfg", dir);
	ck_assert_str_eq(c.source, path);
	pvx_config_dispose(&c);
	/* a relative file name: paths still come out absolute */
	ck_assert_int_eq(chdir(dir), 0);
	pvx_config_init(&c);
	ck_assert_int_eq(pvx_config_parse_file(&c, "g.cfg", err, sizeof(err), NULL, NULL), 0);
	snprintf(path, sizeof(path), "%s/k/vmlinux", dir);
	ck_assert_str_eq(c.kernel, path);
	pvx_config_dispose(&c);
	snprintf(path, sizeof(path), "%s/g.cfg", dir);
	unlink(path);
	rmdir(dir);

	pvx_config_init(&c);
	ck_assert_int_eq(pvx_config_parse_file(&c, "/nonexistent/x.cfg", err,
					       sizeof(err), NULL, NULL), -ENOENT);
	ck_assert_str_eq(err, "/nonexistent/x.cfg: cannot open: No such file or directory");
	pvx_config_dispose(&c);
}
END_TEST

START_TEST(no_directory_keeps_relative)
{
	struct pvx_config c;
	char err[256];

	pvx_config_init(&c);
	ck_assert_int_eq(parse_as(&c, "g.cfg", "kernel = 'k/vmlinux'", err,
				  sizeof(err), NULL), 0);
	ck_assert_str_eq(c.kernel, "k/vmlinux");
	pvx_config_dispose(&c);
	pvx_config_dispose(&c);   /* idempotent */
}
END_TEST

Suite *make_parser_suite(void)
{
	Suite *s = suite_create("parser");
	TCase *tc = tcase_create("grammar");

	tcase_add_test(tc, separators_and_comments);
	tcase_add_test(tc, string_escapes);
	tcase_add_test(tc, number_bases);
	tcase_add_test(tc, nested_lists_and_warnings);
	tcase_add_test(tc, last_assignment_wins_and_append);
	tcase_add_test(tc, parse_file_and_relative_paths);
	tcase_add_test(tc, no_directory_keeps_relative);
	suite_add_tcase(s, tc);
	return s;
}
