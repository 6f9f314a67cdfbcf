/*
 * The vif spec parser (dom0-tools/config/vif.c), table-driven: each good
 * spec with the fields it must give, each bad spec with the exact one
 * line the user sees. `pvx create` and `pvx network-attach` print these
 * lines as they are, so a change of wording shows up here.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "harness.h"

struct good {
	const char *spec;
	const char *mac, *bridge, *ip, *gateway, *script, *vifname;
};

static const struct good good[] = {
	{ "", NULL, NULL, NULL, NULL, NULL, NULL },
	{ "mac=00:16:3E:0A:0b:0C", "00:16:3e:0a:0b:0c", NULL, NULL, NULL, NULL, NULL },
	{ "mac=00:16:3e:00:00:02,bridge=pvxbr0,ip=10.0.0.2",
	  "00:16:3e:00:00:02", "pvxbr0", "10.0.0.2", NULL, NULL, NULL },
	{ " bridge = br-lan.10 , ip = 10.0.0.2/24 fd00::2/64 ",
	  NULL, "br-lan.10", "10.0.0.2/24 fd00::2/64", NULL, NULL, NULL },
	{ "script=vif-bridge", NULL, NULL, NULL, NULL, "vif-bridge", NULL },
	{ "script=/etc/xen/scripts/vif-bridge,bridge=xenbr0",
	  NULL, "xenbr0", NULL, NULL, "vif-bridge", NULL },
	{ "script=vif-route,ip=10.1.0.2,gateway=10.1.0.1",
	  NULL, NULL, "10.1.0.2", "10.1.0.1", "vif-route", NULL },
	{ "ip=10.1.0.2,gateway=10.1.0.1,script=/usr/lib/xen/vif-route",
	  NULL, NULL, "10.1.0.2", "10.1.0.1", "vif-route", NULL },
	{ "vifname=web0", NULL, NULL, NULL, NULL, NULL, "web0" },
	{ "vifname=a_b.c-123456789", NULL, NULL, NULL, NULL, NULL, "a_b.c-123456789" },
	{ "bridge=b23456789012345", NULL, "b23456789012345", NULL, NULL, NULL, NULL },
	{ "model=e1000,type=vif,", NULL, NULL, NULL, NULL, NULL, NULL },
};

static void eq(const char *got, const char *want, const char *what, int i)
{
	if (!want)
		ck_assert_msg(!got, "[%d] %s: '%s', expected none", i, what, got);
	else
		ck_assert_msg(got && !strcmp(got, want), "[%d] %s: '%s', expected '%s'",
			      i, what, got ? got : "(none)", want);
}

START_TEST(good_specs)
{
	const struct good *g = &good[_i];
	struct pvx_config c;
	char text[512], err[512];

	snprintf(text, sizeof(text), "vif = [ '%s' ]\n", g->spec);
	pvx_config_init(&c);
	ck_assert_msg(parse_as(&c, "t.cfg", text, err, sizeof(err), NULL) == 0,
		      "[%d] %s: %s", _i, g->spec, err);
	ck_assert_uint_eq(c.nr_vifs, 1);
	eq(c.vifs[0].mac, g->mac, "mac", _i);
	eq(c.vifs[0].bridge, g->bridge, "bridge", _i);
	eq(c.vifs[0].ip, g->ip, "ip", _i);
	eq(c.vifs[0].gateway, g->gateway, "gateway", _i);
	eq(c.vifs[0].script, g->script, "script", _i);
	eq(c.vifs[0].vifname, g->vifname, "vifname", _i);
	pvx_config_dispose(&c);
}
END_TEST

struct bad {
	const char *text;
	const char *line;   /* the whole error, exactly */
};

static const struct bad bad[] = {
	{ "vif = [ 'speed=10' ]",
	  "t.cfg:1: unknown vif parameter near 'speed'" },
	{ "vif = [ 'mac' ]",
	  "t.cfg:1: vif parameter needs a value (key=value) near 'mac'" },
	{ "vif = [ 'mac=00:16:3e:00:00' ]",
	  "t.cfg:1: bad vif MAC (six hex pairs like 00:16:3e:12:34:56) near '00:16:3e:00:00'" },
	{ "vif = [ 'mac=00-16-3e-00-00-01' ]",
	  "t.cfg:1: bad vif MAC (six hex pairs like 00:16:3e:12:34:56) near '00-16-3e-00-00-01'" },
	{ "vif = [ 'mac=03:16:3e:00:00:01' ]",
	  "t.cfg:1: vif MAC must be unicast (the low bit of the first byte clear)"
	  " near '03:16:3e:00:00:01'" },
	{ "vif = [ 'ip=10.0.0.2/33x' ]",
	  "t.cfg:1: bad vif ip address near '10.0.0.2/33x'" },
	{ "vif = [ 'bridge=br0 x' ]",
	  "t.cfg:1: bad vif bridge name (1-15 characters of A-Z a-z 0-9 _ . -,"
	  " not starting with '-') near 'br0 x'" },
	{ "vif = [ 'bridge=b234567890123456' ]",
	  "t.cfg:1: bad vif bridge name (1-15 characters of A-Z a-z 0-9 _ . -,"
	  " not starting with '-') near 'b234567890123456'" },
	{ "vif = [ 'vifname=../x' ]",
	  "t.cfg:1: bad vif vifname name (1-15 characters of A-Z a-z 0-9 _ . -,"
	  " not starting with '-') near '../x'" },
	{ "vif = [ 'vifname=-o' ]",
	  "t.cfg:1: bad vif vifname name (1-15 characters of A-Z a-z 0-9 _ . -,"
	  " not starting with '-') near '-o'" },
	{ "vif = [ 'vifname=..' ]",
	  "t.cfg:1: bad vif vifname name (1-15 characters of A-Z a-z 0-9 _ . -,"
	  " not starting with '-') near '..'" },
	{ "vif = [ 'vifname=v23456789012345x' ]",
	  "t.cfg:1: bad vif vifname name (1-15 characters of A-Z a-z 0-9 _ . -,"
	  " not starting with '-') near 'v23456789012345x'" },
	{ "vif = [ 'script=vif-nat' ]",
	  "t.cfg:1: unsupported vif script (pvx-netback does vif-bridge or vif-route)"
	  " near 'vif-nat'" },
	{ "vif = [ 'script=/etc/xen/scripts/vif-openvswitch' ]",
	  "t.cfg:1: unsupported vif script (pvx-netback does vif-bridge or vif-route)"
	  " near '/etc/xen/scripts/vif-openvswitch'" },
	{ "vif = [ 'script=vif-route,ip=10.1.0.2,gateway=10.1.0.1/24' ]",
	  "t.cfg:1: bad vif gateway (one IPv4 address like 10.0.0.1, no prefix)"
	  " near '10.1.0.1/24'" },
	{ "vif = [ 'script=vif-route,ip=10.1.0.2,gateway=fd00::1' ]",
	  "t.cfg:1: bad vif gateway (one IPv4 address like 10.0.0.1, no prefix)"
	  " near 'fd00::1'" },
	{ "vif = [ 'gateway=10.1.0.1' ]",
	  "t.cfg:1: vif gateway needs script=vif-route near 'gateway'" },
	{ "vif = [ 'script=vif-route,ip=10.1.0.2' ]",
	  "t.cfg:1: script=vif-route needs gateway= (Dom0's address on the TAP)"
	  " near 'vif-route'" },
	{ "vif = [ 'script=vif-route,gateway=10.1.0.1' ]",
	  "t.cfg:1: script=vif-route needs ip= (the guest's address to route)"
	  " near 'vif-route'" },
	{ "vif = [ 'script=vif-route,ip=10.1.0.2,gateway=10.1.0.1,bridge=br0' ]",
	  "t.cfg:1: vif bridge does not apply to script=vif-route near 'bridge'" },
	{ "vif = [ 'vifname=a, vifname=b' ]",
	  "t.cfg:1: vif parameter 'vifname' given twice near 'vifname'" },
	{ "vif = [ 'vifname=web0',\n  'vifname=web0' ]",
	  "t.cfg:2: two vifs use the same vifname near 'web0'" },
	{ "vif = [ '', '', '', '', '', '', '', '',\n 'bridge=br9' ]",
	  "t.cfg:2: too many vifs (at most 8 per domain) near 'bridge=br9'" },
	{ "name = 'x'\n\nvif = [ 'mac=00:16:3e:00:00:01',\n"
	  "        'mac=00:16:3e:00:00:01' ]",
	  "t.cfg:4: two vifs use the same MAC near '00:16:3e:00:00:01'" },
};

START_TEST(bad_specs)
{
	const struct bad *b = &bad[_i];
	struct pvx_config c;
	char err[512];
	int rc;

	pvx_config_init(&c);
	rc = parse_as(&c, "t.cfg", b->text, err, sizeof(err), NULL);
	ck_assert_msg(rc == -EINVAL, "[%d] %s: rc %d", _i, b->text, rc);
	ck_assert_msg(!strcmp(err, b->line), "[%d]\n got: %s\nwant: %s", _i, err, b->line);
	pvx_config_dispose(&c);
}
END_TEST

/* xl's keys pvx does not implement load with one warning each. */
START_TEST(ignored_keys_warn)
{
	struct pvx_config c;
	struct warnings w = { .count = 0 };
	char err[256];

	pvx_config_init(&c);
	ck_assert_int_eq(parse_as(&c, "t.cfg", "vif = [ 'rate=10Mb/s,mtu=9000,bridge=b' ]",
				  err, sizeof(err), &w), 0);
	ck_assert_int_eq(w.count, 2);
	ck_assert_str_eq(w.text,
			 "t.cfg:1: warning: vif parameter 'rate' is not supported yet, ignored\n"
			 "t.cfg:1: warning: vif parameter 'mtu' is not supported yet, ignored\n");
	ck_assert_str_eq(c.vifs[0].bridge, "b");
	pvx_config_dispose(&c);
}
END_TEST

Suite *make_vif_suite(void)
{
	Suite *s = suite_create("vif");
	TCase *tc = tcase_create("specs");

	tcase_add_loop_test(tc, good_specs, 0, (int)(sizeof(good) / sizeof(good[0])));
	tcase_add_loop_test(tc, bad_specs, 0, (int)(sizeof(bad) / sizeof(bad[0])));
	tcase_add_test(tc, ignored_keys_warn);
	suite_add_tcase(s, tc);
	return s;
}
