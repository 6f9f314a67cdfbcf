/*
 * Every key's handler on good input: the full example, the defaults,
 * memory units, and how cmdline/root/extra compose (as xl does).
 */
#include <errno.h>
#include <stdlib.h>

#include "harness.h"

static const char full[] =
	"name = \"web-1\"\n"
	"type = 'pvh'\n"
	"kernel = \"vmlinuz\"\n"
	"ramdisk = \"/boot/initrd\"\n"
	"root = \"/dev/xvda1\"\n"
	"extra = \"console=hvc0\"\n"
	"extra += \" quiet\"\n"
	"memory = 0x100\n"
	"maxmem = \"1G\"\n"
	"vcpus = 010 ; uuid = \"01234567-89AB-cdef-0123-456789abcdef\"\n"
	"on_poweroff = \"preserve\"\n"
	"on_reboot = \"rename-restart\"\n"
	"on_crash = \"restart\"\n"
	"max_grant_frames = 64\n"
	"disk = [ 'format=raw, vdev=xvda, access=rw, target=/img/a,b.img',\n"
	"         '/img/b.img,raw,xvdb,ro',\n"
	"         'img/c.img,,xvdc,r,direct-io-safe', ]\n"
	"vif = [ 'mac=00:16:3E:0A:00:01, bridge=br0, ip=10.0.0.2, script=vif-bridge,"
	" model=e1000', '' ]\n";

START_TEST(every_key)
{
	static const uint8_t uuid[16] = {
		0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
		0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
	};
	struct pvx_config c;
	char err[256];

	pvx_config_init(&c);
	ck_assert_int_eq(parse_as(&c, "/etc/pvx/web.cfg", full, err, sizeof(err),
				  NULL), 0);
	ck_assert_int_eq(pvx_config_validate(&c, err, sizeof(err)), 0);
	ck_assert_str_eq(c.name, "web-1");
	ck_assert_str_eq(c.type, "pvh");
	ck_assert_str_eq(c.kernel, "/etc/pvx/vmlinuz");
	ck_assert_str_eq(c.ramdisk, "/boot/initrd");
	ck_assert_str_eq(c.cmdline, "root=/dev/xvda1 console=hvc0 quiet");
	ck_assert_uint_eq(c.memory_mib, 256);
	ck_assert_uint_eq(c.maxmem_mib, 1024);
	ck_assert_uint_eq(c.vcpus, 8);
	ck_assert(c.have_uuid);
	ck_assert_mem_eq(c.uuid, uuid, 16);
	ck_assert_int_eq(c.on_poweroff, PVX_ACTION_PRESERVE);
	ck_assert_int_eq(c.on_reboot, PVX_ACTION_RENAME_RESTART);
	ck_assert_int_eq(c.on_crash, PVX_ACTION_RESTART);
	ck_assert_uint_eq(c.max_grant_frames, 64);
	ck_assert_uint_eq(c.nr_disks, 3);
	ck_assert_str_eq(c.disks[0].target, "/img/a,b.img");
	ck_assert_str_eq(c.disks[0].format, "raw");
	ck_assert(!c.disks[0].readonly && !c.disks[0].direct);
	ck_assert_str_eq(c.disks[1].target, "/img/b.img");
	ck_assert_str_eq(c.disks[1].vdev, "xvdb");
	ck_assert(c.disks[1].readonly);
	ck_assert_str_eq(c.disks[2].target, "/etc/pvx/img/c.img");
	ck_assert(c.disks[2].readonly && c.disks[2].direct);
	ck_assert_uint_eq(c.nr_vifs, 2);
	ck_assert_str_eq(c.vifs[0].mac, "00:16:3e:0a:00:01");
	ck_assert_str_eq(c.vifs[0].bridge, "br0");
	ck_assert_str_eq(c.vifs[0].ip, "10.0.0.2");
	ck_assert_str_eq(c.vifs[0].script, "vif-bridge");
	ck_assert_str_eq(c.vifs[0].model, "e1000");
	ck_assert_ptr_null(c.vifs[1].mac);
	ck_assert_ptr_null(c.vifs[1].bridge);
	pvx_config_dispose(&c);
}
END_TEST

/* Both types parse; the last assignment wins, as for every key. */
START_TEST(type_values)
{
	struct pvx_config c;
	char err[256];

	pvx_config_init(&c);
	ck_assert_int_eq(parse_as(&c, "t.cfg", "name='d'\nkernel='/k'\ntype='pv'\n", err,
				  sizeof(err), NULL), 0);
	ck_assert_str_eq(c.type, "pv");
	ck_assert_int_eq(pvx_config_override(&c, "type=pvh", err, sizeof(err)), 0);
	ck_assert_str_eq(c.type, "pvh");
	ck_assert_int_eq(pvx_config_override(&c, "type=\"pv\"", err, sizeof(err)), 0);
	ck_assert_str_eq(c.type, "pv");
	pvx_config_dispose(&c);
}
END_TEST

START_TEST(defaults)
{
	struct pvx_config c;
	char err[256];

	pvx_config_init(&c);
	ck_assert_int_eq(parse_as(&c, "t.cfg", "name='d'\nkernel='/k'\n", err,
				  sizeof(err), NULL), 0);
	ck_assert_int_eq(pvx_config_validate(&c, err, sizeof(err)), 0);
	ck_assert_ptr_null(c.type);   /* absent: chosen at create */
	ck_assert_ptr_null(c.ramdisk);
	ck_assert_ptr_null(c.cmdline);
	ck_assert_uint_eq(c.memory_mib, 128);
	ck_assert_uint_eq(c.maxmem_mib, 128);
	ck_assert_uint_eq(c.vcpus, 1);
	ck_assert(!c.have_uuid);
	ck_assert_int_eq(c.on_poweroff, PVX_ACTION_DESTROY);
	ck_assert_int_eq(c.on_reboot, PVX_ACTION_RESTART);
	ck_assert_int_eq(c.on_crash, PVX_ACTION_DESTROY);
	ck_assert_uint_eq(c.max_grant_frames, 32);
	ck_assert_uint_eq(c.nr_disks, 0);
	ck_assert_uint_eq(c.nr_vifs, 0);
	pvx_config_dispose(&c);
}
END_TEST

START_TEST(memory_units)
{
	static const struct { const char *text; unsigned long long mib; } cases[] = {
		{ "memory = \"512M\"", 512 }, { "memory = \"512m\"", 512 },
		{ "memory = \"2G\"", 2048 }, { "memory = \"1t\"", 1048576 },
		{ "memory = \"65536K\"", 64 }, { "memory = \"0x10M\"", 16 },
		{ "memory = 1048576", 1048576 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct pvx_config c;
		char err[256];

		pvx_config_init(&c);
		ck_assert_msg(parse_as(&c, "t.cfg", cases[i].text, err, sizeof(err),
				       NULL) == 0, "%s: %s", cases[i].text, err);
		ck_assert_uint_eq(c.memory_mib, cases[i].mib);
		ck_assert_uint_eq(c.maxmem_mib, cases[i].mib);
		pvx_config_dispose(&c);
	}
}
END_TEST

START_TEST(cmdline_composition)
{
	static const struct { const char *text, *cmdline; } cases[] = {
		{ "root='/dev/xvda'", "root=/dev/xvda" },
		{ "extra='quiet'", "quiet" },
		{ "extra='quiet'\nroot='/dev/xvda'", "root=/dev/xvda quiet" },
		{ "cmdline='a b'\nroot='/dev/xvda'\nextra='x'", "a b" },
		{ "cmdline=''", "" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct pvx_config c;
		char err[256];

		pvx_config_init(&c);
		ck_assert_int_eq(parse_as(&c, "t.cfg", cases[i].text, err,
					  sizeof(err), NULL), 0);
		ck_assert_str_eq(c.cmdline, cases[i].cmdline);
		pvx_config_dispose(&c);
	}
}
END_TEST

START_TEST(validate_whole_config)
{
	static const struct { const char *text, *err; } cases[] = {
		{ "kernel='/k'", "t.cfg: 'name' is not set (every domain needs a name)" },
		{ "name='n'", "t.cfg: 'kernel' is not set (the PVH kernel to boot)" },
		{ "name='n'\nkernel='/k'\nmemory=256\nmaxmem=128",
		  "t.cfg:4: 'maxmem' (128 MiB) is below 'memory' (256 MiB) near '128'" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct pvx_config c;
		char err[256];

		pvx_config_init(&c);
		ck_assert_int_eq(parse_as(&c, "t.cfg", cases[i].text, err,
					  sizeof(err), NULL), 0);
		ck_assert_int_eq(pvx_config_validate(&c, err, sizeof(err)), -EINVAL);
		ck_assert_str_eq(err, cases[i].err);
		pvx_config_dispose(&c);
	}
}
END_TEST

Suite *make_keys_suite(void)
{
	Suite *s = suite_create("keys");
	TCase *tc = tcase_create("handlers");

	tcase_add_test(tc, every_key);
	tcase_add_test(tc, defaults);
	tcase_add_test(tc, type_values);
	tcase_add_test(tc, memory_units);
	tcase_add_test(tc, cmdline_composition);
	tcase_add_test(tc, validate_whole_config);
	suite_add_tcase(s, tc);
	return s;
}
