/*
 * unit-netbackd: pvx-netback's reading of the toolstack's keys in B
 * (pv-drivers/net/back/vif_cfg.c) against a fake xenstore: every accepted
 * form, every refusal, and that each refusal names the domain, the vif
 * and the key.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "netbackd.h"

/* The fake B: key=value pairs, NULL-terminated. */
static const char *const *fake_keys;

int nb_xs_read_str(struct netbackd *d, const char *dir, const char *key, char *buf,
		   size_t cap)
{
	(void)d;
	(void)dir;
	for (const char *const *kv = fake_keys; kv && *kv; kv += 2) {
		if (strcmp(kv[0], key) != 0)
			continue;
		if (strlen(kv[1]) >= cap)
			return -E2BIG;
		strcpy(buf, kv[1]);
		return 0;
	}
	return -ENOENT;
}

static int read_cfg(struct nb_vif *v, char *err, const char *const *keys)
{
	memset(v, 0, sizeof(*v));
	v->dev.domid = 3;
	v->dev.devid = 1;
	fake_keys = keys;
	err[0] = '\0';
	return nb_cfg_read(v, err, 160);
}

START_TEST(test_mac)
{
	uint8_t m[6];

	ck_assert_int_eq(nb_parse_mac("00:16:3e:0a:FF:01", m), 0);
	ck_assert_int_eq(m[0], 0x00);
	ck_assert_int_eq(m[4], 0xff);
	ck_assert_int_eq(m[5], 0x01);
	static const char *bad[] = { "", "00:16:3e:0a:ff", "00:16:3e:0a:ff:01:02",
		"00-16-3e-0a-ff-01", "0:16:3e:0a:ff:01", "00:16:3e:0a:ff:0g",
		"01:16:3e:0a:ff:01", "ff:ff:ff:ff:ff:ff", "00:16:3e:0a:ff:01 " };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(nb_parse_mac(bad[i], m) == -EINVAL, "accepted '%s'", bad[i]);
}
END_TEST

START_TEST(test_ifname)
{
	ck_assert_int_eq(nb_check_ifname("vif3.1"), 0);
	ck_assert_int_eq(nb_check_ifname("br_0-x"), 0);
	ck_assert_int_eq(nb_check_ifname("abcdefghijklmno"), 0); /* 15 */
	static const char *bad[] = { "", ".", "..", "abcdefghijklmnop", "a/b", "a b",
		"a:b", "a;b", "a\nb", "\xc3\xa9" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(nb_check_ifname(bad[i]) == -EINVAL, "accepted '%s'", bad[i]);
}
END_TEST

START_TEST(test_ipv4)
{
	struct in_addr a;
	int p;

	ck_assert_int_eq(nb_parse_ipv4("10.0.0.2", &a, &p), 0);
	ck_assert_int_eq(p, -1);
	ck_assert_int_eq(nb_parse_ipv4("10.0.0.2/24", &a, &p), 0);
	ck_assert_int_eq(p, 24);
	ck_assert_int_eq(ntohl(a.s_addr), 0x0a000002);
	static const char *bad[] = { "", "/24", "10.0.0", "10.0.0.256", "10.0.0.2/",
		"10.0.0.2/33", "10.0.0.2/-1", "10.0.0.2/2x", "1.2.3.4.5", "fe80::1" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(nb_parse_ipv4(bad[i], &a, &p) == -EINVAL, "accepted '%s'", bad[i]);
}
END_TEST

START_TEST(test_cfg_bridge)
{
	static const char *const keys[] = { "mac", "00:16:3e:00:00:01", "bridge", "pvxbr0",
					     "ip", "10.0.0.2 10.0.0.3/24", NULL };
	struct nb_vif v;
	char err[160];

	ck_assert_int_eq(read_cfg(&v, err, keys), 0);
	ck_assert_str_eq(v.cfg.vifname, "vif3.1");
	ck_assert_str_eq(v.cfg.bridge, "pvxbr0");
	ck_assert_int_eq(v.cfg.script, NB_SCRIPT_BRIDGE);
	ck_assert_uint_eq(v.cfg.nr_ips, 2);
}
END_TEST

START_TEST(test_cfg_route)
{
	static const char *const keys[] = { "mac", "00:16:3e:00:00:01", "vifname", "guest1",
		"script", "/etc/xen/scripts/vif-route", "gateway", "10.0.0.1",
		"ip", "10.0.0.2", NULL };
	struct nb_vif v;
	char err[160];

	ck_assert_int_eq(read_cfg(&v, err, keys), 0);
	ck_assert_str_eq(v.cfg.vifname, "guest1");
	ck_assert_int_eq(v.cfg.script, NB_SCRIPT_ROUTE);
	ck_assert(v.cfg.has_gateway);
	ck_assert_str_eq(v.cfg.bridge, "");
}
END_TEST

/* Each bad B gives -EINVAL and a message naming domain, vif and key. */
START_TEST(test_cfg_refusals)
{
	static const struct {
		const char *keys[12];
		const char *msg;
	} t[] = {
		{ { "bridge", "b", NULL }, "domain 3 vif 1: key mac: missing" },
		{ { "mac", "zz", "bridge", "b", NULL }, "domain 3 vif 1: key mac: 'zz'" },
		{ { "mac", "00:16:3e:00:00:01", NULL }, "domain 3 vif 1: key bridge: missing" },
		{ { "mac", "00:16:3e:00:00:01", "bridge", "", NULL }, "key bridge: missing" },
		{ { "mac", "00:16:3e:00:00:01", "bridge", "a b", NULL }, "key bridge: 'a b'" },
		{ { "mac", "00:16:3e:00:00:01", "bridge", "vif3.1", NULL }, "key bridge" },
		{ { "mac", "00:16:3e:00:00:01", "bridge", "b", "vifname",
		    "averyveryverylongname", NULL }, "key vifname: 'averyveryverylongname'" },
		{ { "mac", "00:16:3e:00:00:01", "bridge", "b", "vifname",
		    "x234567890123456789012345678901234567890123456789012345678901234567890",
		    NULL }, "key vifname: '(too long)'" },
		{ { "mac", "00:16:3e:00:00:01", "bridge", "b", "script", "vif-nat", NULL },
		  "key script: 'vif-nat'" },
		{ { "mac", "00:16:3e:00:00:01", "bridge", "b", "ip", "10.0.0.300", NULL },
		  "key ip: '10.0.0.300'" },
		{ { "mac", "00:16:3e:00:00:01", "bridge", "b", "ip",
		    "1.1.1.1 1.1.1.2 1.1.1.3 1.1.1.4 1.1.1.5 1.1.1.6 1.1.1.7 1.1.1.8 1.1.1.9",
		    NULL }, "key ip: more than 8" },
		{ { "mac", "00:16:3e:00:00:01", "script", "vif-route", "gateway", "10.0.0.1/24",
		    NULL }, "key gateway" },
	};
	struct nb_vif v;
	char err[160];

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		ck_assert_msg(read_cfg(&v, err, t[i].keys) == -EINVAL, "case %zu accepted", i);
		ck_assert_msg(strstr(err, t[i].msg) && strstr(err, "domain 3 vif 1: "),
			      "case %zu: '%s' lacks '%s'", i, err, t[i].msg);
	}
}
END_TEST

START_TEST(test_cfg_devid_range)
{
	static const char *const keys[] = { "mac", "00:16:3e:00:00:01", "bridge", "b", NULL };
	struct nb_vif v;
	char err[160];

	memset(&v, 0, sizeof(v));
	v.dev.devid = PVX_NET_MAX_VIFS;
	fake_keys = keys;
	ck_assert_int_eq(nb_cfg_read(&v, err, sizeof(err)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "out of range"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("netbackd-cfg");
	TCase *tc = tcase_create("cfg");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_mac);
	tcase_add_test(tc, test_ifname);
	tcase_add_test(tc, test_ipv4);
	tcase_add_test(tc, test_cfg_bridge);
	tcase_add_test(tc, test_cfg_route);
	tcase_add_test(tc, test_cfg_refusals);
	tcase_add_test(tc, test_cfg_devid_range);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
