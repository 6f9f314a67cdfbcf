/*
 * pvx top's pure parts: the rate between two samples (deltas over time,
 * a counter that went back or is unknown gives 0, a domain seen for the
 * first time or a re-used domid has no rates), the sort orders, the
 * option errors (one line, exit 2), and the blkback stats line parser.
 */
#include <check.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../../dom0-tools/pvx/cmd.h"
#include "../../../dom0-tools/pvx/cmd_top.h"
#include "suites.h"

START_TEST(rate_basic)
{
	ck_assert(pvx_top_rate(100, 400, 3.0) == 100.0);
	ck_assert(pvx_top_rate(5, 5, 1.0) == 0.0);
	ck_assert(pvx_top_rate(500, 100, 1.0) == 0.0);     /* went back: reconnect */
	ck_assert(pvx_top_rate(0, 100, 0.0) == 0.0);       /* no time passed */
	ck_assert(pvx_top_rate(PVX_TOP_UNKNOWN, 100, 1.0) == 0.0);
	ck_assert(pvx_top_rate(0, PVX_TOP_UNKNOWN, 1.0) == 0.0);
}
END_TEST

static struct pvx_top_dom dom(int32_t id, const char *name, uint64_t create)
{
	struct pvx_top_dom d;

	memset(&d, 0, sizeof(d));
	d.domid = id;
	d.create_ns = create;
	snprintf(d.name, sizeof(d.name), "%s", name);
	return d;
}

START_TEST(rows_rates)
{
	struct pvx_top_dom a[2] = { dom(1, "a", 10), dom(2, "b", 20) };
	struct pvx_top_dom b[3] = { dom(1, "a", 10), dom(2, "b", 21), dom(3, "c", 30) };
	struct pvx_top_sample p = { .mono_ns = 1000000000ull, .v = a, .n = 2 };
	struct pvx_top_sample c = { .mono_ns = 3000000000ull, .v = b, .n = 3 };
	struct pvx_top_row r[3];

	a[0].cpu_ns = 1000000000ull;
	b[0].cpu_ns = 3000000000ull;           /* 2 s of CPU in 2 s: 100% */
	a[0].wr_bytes = 0;
	b[0].wr_bytes = 4u << 20;
	a[0].rx_pkts = 10;
	b[0].rx_pkts = 30;
	a[0].events = 7;
	b[0].events = 107;
	a[0].hypercalls = b[0].hypercalls = PVX_TOP_UNKNOWN;
	pvx_top_rows(&p, &c, r);
	ck_assert(r[0].has_rates);
	ck_assert(r[0].cpu_pct > 99.999 && r[0].cpu_pct < 100.001);
	ck_assert(r[0].wr_bps == (double)(2u << 20));
	ck_assert(r[0].rx_pps == 10.0);
	ck_assert(r[0].ev_ps == 50.0);
	ck_assert(r[0].hc_ps < 0);              /* unknown stays unknown */
	ck_assert(!r[1].has_rates);             /* domid 2 re-used: a new domain */
	ck_assert(!r[2].has_rates);             /* new */
	pvx_top_rows(NULL, &c, r);
	ck_assert(!r[0].has_rates);
}
END_TEST

START_TEST(sorting)
{
	struct pvx_top_row r[4];
	const char *names[] = { "web", "db", "cache", "batch" };
	double cpu[] = { 10, 90, 10, 50 };

	memset(r, 0, sizeof(r));
	for (int i = 0; i < 4; i++) {
		r[i].d = dom(i + 1, names[i], 0);
		r[i].cpu_pct = cpu[i];
		r[i].d.mem_kib = (uint64_t)(4 - i) * 1024;
		r[i].rd_bps = i * 100.0;
	}
	pvx_top_sort(r, 4, PVX_TOP_CPU, false);
	ck_assert_str_eq(r[0].d.name, "db");
	ck_assert_str_eq(r[1].d.name, "batch");
	ck_assert_int_eq(r[2].d.domid, 1);      /* a tie goes by domid */
	ck_assert_int_eq(r[3].d.domid, 3);
	pvx_top_sort(r, 4, PVX_TOP_NAME, false);
	ck_assert_str_eq(r[0].d.name, "batch");
	ck_assert_str_eq(r[3].d.name, "web");
	pvx_top_sort(r, 4, PVX_TOP_MEM, false);
	ck_assert_str_eq(r[0].d.name, "web");
	pvx_top_sort(r, 4, PVX_TOP_BLK, false);
	ck_assert_str_eq(r[0].d.name, "batch");
	pvx_top_sort(r, 4, PVX_TOP_ID, true);
	ck_assert_int_eq(r[0].d.domid, 4);
	ck_assert_int_eq(r[3].d.domid, 1);
}
END_TEST

START_TEST(columns)
{
	ck_assert_int_eq(pvx_top_col_by_name("cpu"), PVX_TOP_CPU);
	ck_assert_int_eq(pvx_top_col_by_name("hcalls"), PVX_TOP_HCALLS);
	ck_assert_int_eq(pvx_top_col_by_name("CPU"), -1);
	ck_assert_int_eq(pvx_top_col_by_key('m'), PVX_TOP_MEM);
	ck_assert_int_eq(pvx_top_col_by_key('q'), -1);  /* quit, not a column */
	ck_assert_int_eq(pvx_top_col_by_key('r'), -1);  /* reverse */
	for (int i = 0; i < PVX_TOP_NCOLS; i++)
		ck_assert_int_eq(pvx_top_col_by_name(pvx_top_col_name(i)), i);
}
END_TEST

static int parse(const char *a1, const char *a2, const char *a3, struct pvx_top_opts *o)
{
	char *argv[5] = { "top", (char *)a1, (char *)a2, (char *)a3, NULL };
	int argc = 1 + !!a1 + !!a2 + !!a3;

	return pvx_top_parse_args(argc, argv, o);
}

START_TEST(options_ok)
{
	struct pvx_top_opts o;

	ck_assert_int_eq(parse(NULL, NULL, NULL, &o), 0);
	ck_assert(!o.batch && o.delay_s == 3 && o.iterations == 0 && o.sort == PVX_TOP_CPU);
	ck_assert_int_eq(parse("-b", "-d0.5", "-n3", &o), 0);
	ck_assert(o.batch && o.delay_s == 0.5 && o.iterations == 3);
	ck_assert_int_eq(parse("--json", "-s", "mem", &o), 0);
	ck_assert(o.json && o.batch && o.sort == PVX_TOP_MEM);
}
END_TEST

START_TEST(options_bad)
{
	static const char *bad[][3] = {
		{ "-d", "0", NULL }, { "-d", "abc", NULL }, { "-d", "1e9", NULL },
		{ "-n", "0", NULL }, { "-n", "-2", NULL }, { "-n", "3x", NULL },
		{ "-s", "nosuch", NULL }, { "-x", NULL, NULL }, { "-d", NULL, NULL },
		{ "-b", "extra", NULL }, { "--bogus", NULL, NULL },
	};
	struct pvx_top_opts o;
	int saved = dup(2), devnull = open("/dev/null", O_WRONLY);

	dup2(devnull, 2); /* the one-line messages are checked by top-figures */
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(parse(bad[i][0], bad[i][1], bad[i][2], &o) == 2,
			      "'%s %s' accepted", bad[i][0], bad[i][1] ? bad[i][1] : "");
	dup2(saved, 2);
	close(saved);
	close(devnull);
}
END_TEST

START_TEST(blk_line)
{
	struct pvx_blk_stats s;

	ck_assert(pvx_blk_stats_parse("domid=4 devid=51712 state=4 queues=1 rd_reqs=10 "
				      "wr_reqs=20 rd_bytes=40960 wr_bytes=81920 requests=31 "
				      "errors=0 future=9 junk", &s));
	ck_assert_int_eq(s.domid, 4);
	ck_assert_uint_eq(s.devid, 51712);
	ck_assert_uint_eq(s.rd_reqs, 10);
	ck_assert_uint_eq(s.wr_reqs, 20);
	ck_assert_uint_eq(s.rd_bytes, 40960);
	ck_assert_uint_eq(s.wr_bytes, 81920);
	ck_assert(pvx_blk_stats_parse("devid=1 domid=2 rd_reqs=x wr_reqs=-1", &s));
	ck_assert_uint_eq(s.rd_reqs, PVX_TOP_UNKNOWN);  /* not a number: ignored */
	ck_assert_uint_eq(s.wr_reqs, PVX_TOP_UNKNOWN);
	ck_assert_uint_eq(s.rd_bytes, PVX_TOP_UNKNOWN); /* absent */
	ck_assert(!pvx_blk_stats_parse("devid=1 rd_reqs=3", &s));       /* no domid */
	ck_assert(!pvx_blk_stats_parse("domid=1 rd_reqs=3", &s));       /* no devid */
	ck_assert(!pvx_blk_stats_parse("domid=99999999999 devid=1", &s));
	ck_assert(!pvx_blk_stats_parse("", &s));
	ck_assert(!pvx_blk_stats_parse("error unknown command", &s));
}
END_TEST

START_TEST(blk_long_line)
{
	struct pvx_blk_stats s;
	char *line = malloc(5000);

	memset(line, 'a', 4999);
	line[4999] = '\0';
	memcpy(line, "domid=1 devid=2 ", 16);
	ck_assert(!pvx_blk_stats_parse(line, &s));       /* over the bound: refused */
	free(line);
}
END_TEST

/* --json: one line per refresh that jansson's strict parser reads back,
 * a hostile name (quotes, backslash, control characters, bytes that are
 * not UTF-8) escaped or replaced, rates null before two samples and
 * counters null without their daemon. */
START_TEST(json_refresh)
{
	struct pvx_top_row rows[2];
	struct pvx_top_sample smp = { .wall = 1765000000.12345, .blk_ok = true };
	char path[] = "/tmp/unit-top-json.XXXXXX", buf[8192];
	int fd = mkstemp(path), saved = dup(1);
	json_t *doc, *d0, *d1;
	ssize_t n;

	memset(rows, 0, sizeof(rows));
	rows[0].d = dom(3, "q\"b\\s\x01\n\xff\xc3(", 1);
	rows[0].d.rd_reqs = 42;
	rows[0].d.target_kib = PVX_TOP_UNKNOWN;
	rows[0].has_rates = true;
	rows[0].cpu_pct = 12.34567;
	rows[0].ev_ps = -1;
	rows[1].d = dom(4, "plain", 2);
	rows[1].d.type = 99; /* no such type */
	ck_assert(fd >= 0 && saved >= 0);
	fflush(stdout);
	dup2(fd, 1);
	ck_assert_int_eq(pvx_top_print_json(rows, 2, &smp, 1.0), 0);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	close(fd);
	unlink(path);
	ck_assert(n > 0);
	buf[n] = '\0';
	ck_assert_ptr_null(strchr(buf, '\n'));             /* one line */
	doc = json_loads(buf, JSON_REJECT_DUPLICATES, NULL);
	ck_assert_msg(doc != NULL, "%s", buf);
	ck_assert(json_real_value(json_object_get(doc, "time")) == 1765000000.123);
	ck_assert(json_is_false(json_object_get(doc, "netback")));
	d0 = json_array_get(json_object_get(doc, "domains"), 0);
	d1 = json_array_get(json_object_get(doc, "domains"), 1);
	ck_assert_str_eq(json_string_value(json_object_get(d0, "name")),
			 "q\"b\\s\x01\n\xef\xbf\xbd\xef\xbf\xbd(");
	ck_assert(json_real_value(json_object_get(d0, "cpu_pct")) == 12.346);
	ck_assert_int_eq(json_integer_value(json_object_get(d0, "vbd_rd_reqs")), 42);
	ck_assert(json_is_null(json_object_get(d0, "target_kib")));
	ck_assert(json_is_null(json_object_get(d0, "events_per_s")));
	ck_assert(json_is_null(json_object_get(d0, "net_tx_packets")));
	ck_assert(json_is_null(json_object_get(d1, "cpu_pct")));
	ck_assert_str_eq(json_string_value(json_object_get(d1, "type")), "unknown");
	json_decref(doc);
}
END_TEST

Suite *make_top_suite(void)
{
	Suite *s = suite_create("top");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, rate_basic);
	tcase_add_test(tc, rows_rates);
	tcase_add_test(tc, sorting);
	tcase_add_test(tc, columns);
	tcase_add_test(tc, options_ok);
	tcase_add_test(tc, options_bad);
	tcase_add_test(tc, blk_line);
	tcase_add_test(tc, blk_long_line);
	tcase_add_test(tc, json_refresh);
	suite_add_tcase(s, tc);
	return s;
}
