/*
 * Command-line overrides: applied after the file, in order, last one
 * wins; bare words are strings; `+=` appends; errors name the override.
 */
#include <errno.h>
#include <stdlib.h>

#include "harness.h"

static const char base[] =
	"name = 'base'\nkernel = '/k'\nmemory = 64\nroot = '/dev/xvda'\n"
	"disk = [ 'vdev=xvda, target=/a' ]\n";

START_TEST(overrides_in_order)
{
	struct pvx_config c;
	char err[256];

	pvx_config_init(&c);
	ck_assert_int_eq(parse_as(&c, "t.cfg", base, err, sizeof(err), NULL), 0);
	ck_assert_int_eq(pvx_config_override(&c, "memory=256", err, sizeof(err)), 0);
	ck_assert_int_eq(pvx_config_override(&c, "name=web2", err, sizeof(err)), 0);
	ck_assert_int_eq(pvx_config_override(&c, "memory = 0x200", err, sizeof(err)), 0);
	ck_assert_int_eq(pvx_config_override(&c, "extra=console=hvc0 quiet", err,
					     sizeof(err)), 0);
	ck_assert_int_eq(pvx_config_override(&c, "disk+=['vdev=xvdb,target=/b']",
					     err, sizeof(err)), 0);
	ck_assert_int_eq(pvx_config_override(&c, "vcpus=2; on_crash='preserve'",
					     err, sizeof(err)), 0);
	ck_assert_int_eq(pvx_config_override(&c, "uuid=01234567-89ab-cdef-0123-456789abcdef",
					     err, sizeof(err)), 0);
	ck_assert_int_eq(pvx_config_override(&c, "kernel=rel/vmlinux", err, sizeof(err)), 0);
	ck_assert_uint_eq(c.memory_mib, 512);
	ck_assert_uint_eq(c.maxmem_mib, 512);
	ck_assert_str_eq(c.name, "web2");
	ck_assert_str_eq(c.cmdline, "root=/dev/xvda console=hvc0 quiet");
	ck_assert_uint_eq(c.nr_disks, 2);
	ck_assert_str_eq(c.disks[1].target, "/b");
	ck_assert_uint_eq(c.vcpus, 2);
	ck_assert_int_eq(c.on_crash, PVX_ACTION_PRESERVE);
	ck_assert(c.have_uuid);
	ck_assert_str_eq(c.kernel, "rel/vmlinux");   /* relative to the cwd */
	ck_assert_int_eq(pvx_config_validate(&c, err, sizeof(err)), 0);
	pvx_config_dispose(&c);
}
END_TEST

START_TEST(override_errors)
{
	static const struct { const char *ov, *err; } cases[] = {
		{ "memory=0", "command line:1: 'memory' must be between 1 and 1048576 near '0'" },
		{ "memory", "command line:1: an override is key=value near 'memory'" },
		{ "Memory=5", "command line:1: a key is lower-case letters, digits, '_' and '.' near 'Memory'" },
		{ "name='unterminated", "command line:1: unterminated string near ''unterminated'" },
		{ "vcpus=many", "command line:1: 'vcpus' must be a number near 'many'" },
		{ "type=hvm", "command line:1: type \"hvm\" is not supported: pvx runs \"pvh\" and \"pv\" domains (or leave 'type' out to choose automatically) near 'hvm'" },
		{ "type=kvm", "command line:1: unknown type \"kvm\": pvx runs \"pvh\" and \"pv\" domains (or leave 'type' out to choose automatically) near 'kvm'" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct pvx_config c;
		char err[256];

		pvx_config_init(&c);
		ck_assert_int_eq(parse_as(&c, "t.cfg", base, err, sizeof(err), NULL), 0);
		ck_assert_int_eq(pvx_config_override(&c, cases[i].ov, err, sizeof(err)),
				 -EINVAL);
		ck_assert_str_eq(err, cases[i].err);
		pvx_config_dispose(&c);
	}
}
END_TEST

START_TEST(override_counts_and_maxmem)
{
	struct pvx_config c;
	char err[256];

	pvx_config_init(&c);
	ck_assert_int_eq(parse_as(&c, "t.cfg", base, err, sizeof(err), NULL), 0);
	ck_assert_int_eq(pvx_config_override(&c, "maxmem=128", err, sizeof(err)), 0);
	ck_assert_int_eq(pvx_config_override(&c, "memory=256", err, sizeof(err)), 0);
	ck_assert_int_eq(pvx_config_validate(&c, err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "command line:1: 'maxmem' (128 MiB) is below 'memory'"
			 " (256 MiB) near '128'");
	ck_assert_int_eq(pvx_config_override(&c, "vcpus=99", err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "command line:3: 'vcpus' must be between 1 and 32 near '99'");
	pvx_config_dispose(&c);
}
END_TEST

Suite *make_override_suite(void)
{
	Suite *s = suite_create("override");
	TCase *tc = tcase_create("override");

	tcase_add_test(tc, overrides_in_order);
	tcase_add_test(tc, override_errors);
	tcase_add_test(tc, override_counts_and_maxmem);
	suite_add_tcase(s, tc);
	return s;
}
