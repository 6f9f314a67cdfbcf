/*
 * The disk and vif spec strings on good input: xl's equivalent disk
 * forms give the same disk; hints are accepted; vif keys pvx does not
 * use yet warn and are ignored.
 */
#include <stdio.h>
#include <stdlib.h>

#include "harness.h"

static void parse_ok(struct pvx_config *c, const char *text, struct warnings *w)
{
	char err[256];

	pvx_config_init(c);
	ck_assert_msg(parse_as(c, "t.cfg", text, err, sizeof(err), w) == 0,
		      "%s: %s", text, err);
}

START_TEST(disk_equivalent_forms)
{
	static const char *const forms[] = {
		"disk = [ '/dev/vg/guest,,xvda' ]",
		"disk = [ '/dev/vg/guest,raw,xvda,rw' ]",
		"disk = [ 'format=raw, vdev=xvda, access=rw, target=/dev/vg/guest' ]",
		"disk = [ ' /dev/vg/guest , raw , xvda , w ' ]",
		"disk = [ 'vdev=xvda, target=/dev/vg/guest' ]",
		"disk = [ 'discard, trusted, vdev=xvda, target=/dev/vg/guest' ]",
		"disk = 'vdev=xvda,target=/dev/vg/guest'",
	};

	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		struct pvx_config c;

		parse_ok(&c, forms[i], NULL);
		ck_assert_uint_eq(c.nr_disks, 1);
		ck_assert_str_eq(c.disks[0].target, "/dev/vg/guest");
		ck_assert_str_eq(c.disks[0].format, "raw");
		ck_assert_str_eq(c.disks[0].vdev, "xvda");
		ck_assert(!c.disks[0].readonly);
		ck_assert(!c.disks[0].direct);
		pvx_config_dispose(&c);
	}
}
END_TEST

START_TEST(disk_access_and_flags)
{
	struct pvx_config c;

	parse_ok(&c, "disk = [ '/a,raw,xvda,ro', '/b,,xvdb,r', '/c,,xvdc,w',"
		 " 'direct-io-safe,/d,raw,xvdzz', 'vdev=xvdd,target=/e,f=g' ]", NULL);
	ck_assert_uint_eq(c.nr_disks, 5);
	ck_assert(c.disks[0].readonly);
	ck_assert(c.disks[1].readonly);
	ck_assert(!c.disks[2].readonly);
	ck_assert(c.disks[3].direct);
	ck_assert_str_eq(c.disks[3].vdev, "xvdzz");
	ck_assert_str_eq(c.disks[4].target, "/e,f=g");  /* target= takes the rest */
	pvx_config_dispose(&c);
}
END_TEST

START_TEST(vif_forms)
{
	struct pvx_config c;
	struct warnings w = { .count = 0 };

	parse_ok(&c, "vif = [ 'mac=aa:bb:cc:dd:ee:f0,bridge=xenbr0',\n"
		 "  'ip=10.0.0.1 fd00::1/64 192.168.1.1/24, rate=10Mb/s, mtu=9000',\n"
		 "  ' model = virtio , script = /etc/xen/scripts/vif-bridge ' ]", &w);
	ck_assert_uint_eq(c.nr_vifs, 3);
	ck_assert_str_eq(c.vifs[0].mac, "aa:bb:cc:dd:ee:f0");
	ck_assert_str_eq(c.vifs[0].bridge, "xenbr0");
	ck_assert_str_eq(c.vifs[1].ip, "10.0.0.1 fd00::1/64 192.168.1.1/24");
	ck_assert_str_eq(c.vifs[2].model, "virtio");
	ck_assert_str_eq(c.vifs[2].script, "vif-bridge");
	ck_assert_int_eq(w.count, 2);
	ck_assert_str_eq(w.text,
			 "t.cfg:2: warning: vif parameter 'rate' is not supported yet, ignored\n"
			 "t.cfg:2: warning: vif parameter 'mtu' is not supported yet, ignored\n");
	pvx_config_dispose(&c);
}
END_TEST

Suite *make_devices_suite(void)
{
	Suite *s = suite_create("devices");
	TCase *tc = tcase_create("specs");

	tcase_add_test(tc, disk_equivalent_forms);
	tcase_add_test(tc, disk_access_and_flags);
	tcase_add_test(tc, vif_forms);
	suite_add_tcase(s, tc);
	return s;
}
