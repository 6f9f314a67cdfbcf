/*
 * The toolstack's network pieces that need no running instance: the
 * netback stats line parser (unknown keys skipped, bad numbers ignored,
 * a line without domid/devid dropped), the stats client against a fake
 * daemon socket, generated MACs, and the network-* usage errors (one
 * line, exit 2) which are found before pvxd is asked anything.
 */
#include <check.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "../../../dom0-tools/pvx/cmd.h"
#include "../../../dom0-tools/pvx/cmd_network.h"
#include "cli_run.h"
#include "suites.h"

START_TEST(stats_line)
{
	struct pvx_net_stats s;

	ck_assert(pvx_net_stats_parse("domid=3 devid=1 tap=vif3.1 bridge=pvxbr0 state=4 "
				      "queues=2 tx_packets=10 tx_bytes=1000 tx_errors=1 "
				      "rx_packets=20 rx_bytes=2000 rx_dropped=3 notify_in=4 "
				      "notify_out=5 new_key=7 odd", &s));
	ck_assert_int_eq(s.domid, 3);
	ck_assert_uint_eq(s.devid, 1);
	ck_assert_uint_eq(s.tx_packets, 10);
	ck_assert_uint_eq(s.tx_bytes, 1000);
	ck_assert_uint_eq(s.tx_errors, 1);
	ck_assert_uint_eq(s.rx_packets, 20);
	ck_assert_uint_eq(s.rx_bytes, 2000);
	ck_assert_uint_eq(s.rx_dropped, 3);
	ck_assert_uint_eq(s.tx_dropped, UINT64_MAX);  /* not sent: absent */
	ck_assert_uint_eq(s.rx_errors, UINT64_MAX);
}
END_TEST

START_TEST(stats_bad_lines)
{
	static const char *const bad[] = {
		"", "tx_packets=1", "domid=1", "devid=0", "domid=x devid=0",
		"domid=1 devid=8", "domid=-1 devid=0", "domid=1 devid=0x1",
		"domid=99999999999 devid=0",
	};
	struct pvx_net_stats s;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(!pvx_net_stats_parse(bad[i], &s), "'%s' parsed", bad[i]);
	ck_assert(pvx_net_stats_parse("domid=1 devid=0 tx_bytes=12x", &s));
	ck_assert_uint_eq(s.tx_bytes, UINT64_MAX);
}
END_TEST

static void *serve_once(void *arg)
{
	int lfd = *(int *)arg, fd = accept(lfd, NULL, NULL);
	char req[16] = "";
	static const char answer[] =
		"domid=1 devid=0 tap=vif1.0 tx_packets=1 rx_packets=2\n"
		"not a vif\n"
		"domid=2 devid=3 rx_bytes=9\n"
		"\n"
		"domid=9 devid=0 after_the_end=1\n";

	if (fd >= 0) {
		ck_assert_int_eq(read(fd, req, sizeof(req) - 1), 6);
		ck_assert_str_eq(req, "stats\n");
		ck_assert_int_eq(write(fd, answer, sizeof(answer) - 1), (ssize_t)sizeof(answer) - 1);
		close(fd);
	}
	return NULL;
}

START_TEST(stats_client)
{
	char dir[] = "/tmp/pvx-unit-net.XXXXXX";
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct pvx_net_stats *v = NULL;
	pthread_t t;
	size_t n = 0;
	int lfd;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	setenv("PVX_RUNDIR", dir, 1);
	ck_assert_int_eq(pvx_net_stats_read(&v, &n), -ENOENT); /* no daemon */
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/netback.sock", dir);
	lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	ck_assert_int_eq(bind(lfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ck_assert_int_eq(listen(lfd, 1), 0);
	pthread_create(&t, NULL, serve_once, &lfd);
	ck_assert_int_eq(pvx_net_stats_read(&v, &n), 0);
	pthread_join(t, NULL);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(v[0].domid, 1);
	ck_assert_uint_eq(v[0].rx_packets, 2);
	ck_assert_int_eq(v[1].domid, 2);
	ck_assert_uint_eq(v[1].devid, 3);
	ck_assert_uint_eq(v[1].rx_bytes, 9);
	free(v);
	close(lfd);
	unlink(sa.sun_path);
	rmdir(dir);
}
END_TEST

START_TEST(random_mac)
{
	char a[18], b[18];
	unsigned x[6];

	ck_assert_int_eq(pvx_net_random_mac(a), 0);
	ck_assert_int_eq(pvx_net_random_mac(b), 0);
	ck_assert_int_eq(sscanf(a, "%2x:%2x:%2x:%2x:%2x:%2x", &x[0], &x[1], &x[2], &x[3],
				&x[4], &x[5]), 6);
	ck_assert_uint_eq(strlen(a), 17);
	ck_assert(!strncmp(a, "00:16:3e:", 9));
	ck_assert_uint_lt(x[3], 0x80);
	ck_assert_str_ne(a, b); /* 2^-23: a failure here is worth a look */
}
END_TEST

static const struct {
	char *argv[6];
	const char *err;
} usage[] = {
	{ { "pvx", "network-attach", NULL },
	  "pvx network-attach: missing DOMAIN (see 'pvx help network-attach')\n" },
	{ { "pvx", "network-attach", "g1", "mac=00:16:3e:00:00:02", "speed=10", NULL },
	  "pvx network-attach: unknown vif parameter near 'speed' (see 'pvx help network-attach')\n" },
	{ { "pvx", "network-attach", "g1", "mac=01:16:3e:00:00:02", NULL },
	  "pvx network-attach: vif MAC must be unicast (the low bit of the first byte clear)"
	  " near '01:16:3e:00:00:02' (see 'pvx help network-attach')\n" },
	{ { "pvx", "network-attach", "g1", "script=vif-nat", NULL },
	  "pvx network-attach: unsupported vif script (pvx-netback does vif-bridge or vif-route)"
	  " near 'vif-nat' (see 'pvx help network-attach')\n" },
	{ { "pvx", "network-attach", "g1", "ip='x'", NULL },
	  "pvx network-attach: a vif spec cannot contain quotes, backslashes or newlines"
	  " (see 'pvx help network-attach')\n" },
	{ { "pvx", "network-detach", "g1", NULL },
	  "pvx network-detach: expected DOMAIN DEVID|MAC (see 'pvx help network-detach')\n" },
	{ { "pvx", "network-detach", "g1", "8", NULL },
	  "pvx network-detach: bad DEVID '8' (0-7, or a MAC) (see 'pvx help network-detach')\n" },
	{ { "pvx", "network-list", NULL },
	  "pvx network-list: missing DOMAIN (see 'pvx help network-list')\n" },
};

START_TEST(usage_errors)
{
	struct cli_capture c;
	char *argv[6] = { NULL };   /* pvx_main writes argv[1] */

	for (int i = 0; usage[_i].argv[i]; i++)
		argv[i] = usage[_i].argv[i];
	cli_run(&c, argv);
	ck_assert_int_eq(c.rc, 2);
	ck_assert_str_eq(c.err, usage[_i].err);
}
END_TEST

Suite *make_network_suite(void)
{
	Suite *s = suite_create("network");
	TCase *t = tcase_create("toolstack");

	tcase_add_test(t, stats_line);
	tcase_add_test(t, stats_bad_lines);
	tcase_add_test(t, stats_client);
	tcase_add_test(t, random_mac);
	tcase_add_loop_test(t, usage_errors, 0, sizeof(usage) / sizeof(usage[0]));
	suite_add_tcase(s, t);
	return s;
}
