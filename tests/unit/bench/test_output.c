/*
 * The CSV and JSON writers, fed a report with known numbers: every line of
 * the CSV has the header's column count and the runs' values; the JSON
 * parses (python3's json module, as a user's script would read it) and
 * carries the documented keys and values, with and without baselines.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_test.h"

static struct bench_opts opts;
static struct bench_result runs[2];
static struct bench_report rep;

static void fixture(bool baselines)
{
	char err[256];
	const char *args[] = { "--sweep-batch", "1,32", "--notify", "holdoff", NULL };

	ck_assert_int_eq(t_parse(&opts, err, sizeof(err), args), 0);
	memset(&rep, 0, sizeof(rep));
	runs[0] = (struct bench_result){ .batch = 1, .requests = 1000, .seconds = 0.5,
		.req_per_s = 2000, .front_notify_per_req = 0.5, .back_notify_per_req = 0.25,
		.p50_ns = 100, .p99_ns = 200, .p999_ns = 300, .mean_ns = 120, .max_ns = 900,
		.cpu_ns_per_req = 42.5 };
	runs[1] = runs[0];
	runs[1].batch = 32;
	runs[1].req_per_s = 8000;
	runs[1].nrep = 2;
	runs[1].req_per_s_each[0] = 7000;
	runs[1].req_per_s_each[1] = 9000;
	rep.opts = &opts;
	rep.ring_entries = 256;
	rep.outstanding = 256;
	rep.runs = runs;
	rep.nruns = 2;
	rep.have_baselines = baselines;
	if (!baselines)
		return;
	rep.evt = (struct bench_pingpong){ .name = "eventfd", .rounds = 10, .seconds = 0.001,
		.p50_ns = 40000, .p99_ns = 50000, .mean_ns = 41000, .rtt_per_s = 10000,
		.msgs_per_s = 20000 };
	rep.pipe = rep.evt;
	rep.pipe.name = "pipe";
	rep.cacheline_ns = 64.5;
	rep.rt.available = true;
	rep.rt.cycles = 1000;
	snprintf(rep.rt.args, sizeof(rep.rt.args), "--ring-size 256 \"quoted\"");
	rep.rt.run[0] = (struct bench_ringtest_run){ "ring", 0, NULL, 0.25, 4000 };
	rep.rt.run[1] = (struct bench_ringtest_run){ "virtio_ring_0_9", 0, NULL, 0.5, 2000 };
	rep.rt.run[2] = (struct bench_ringtest_run){ "ptr_ring", -ENOTSUP, "no notification support (--sleep)",
							     0, 0 };
}

static int count(const char *s, char c)
{
	int n = 0;

	for (; *s; s++)
		n += *s == c;
	return n;
}

START_TEST(test_csv)
{
	char *buf = NULL, *line, *save = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int lines = 0, commas = -1;

	fixture(true);
	ck_assert_int_eq(bench_csv_write(f, &rep), 0);
	fclose(f);
	ck_assert(!strncmp(buf, "kind,name,notify,batch,", 23));
	ck_assert_ptr_nonnull(strstr(buf, "\nring,host,holdoff,32,256,256,0,0.500000,1000,8000.0,"));
	ck_assert_ptr_nonnull(strstr(buf, ",2.0000\n"));   /* 8000 / best ringtest 4000 */
	ck_assert_ptr_nonnull(strstr(buf, "\nbaseline,eventfd,"));
	ck_assert_ptr_nonnull(strstr(buf, "\nbaseline,cacheline,"));
	ck_assert_ptr_nonnull(strstr(buf, "\nbaseline,ringtest-ring,"));
	ck_assert_ptr_null(strstr(buf, "ringtest-ptr_ring"));   /* it failed */
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (commas < 0)
			commas = count(line, ',');
		ck_assert_msg(count(line, ',') == commas, "columns differ: %s", line);
		lines++;
	}
	ck_assert_int_eq(commas, 17);
	ck_assert_int_eq(lines, 1 + 2 + 3 + 2);   /* header, runs, pp+pp+cl, 2 ringtests */
	free(buf);
}
END_TEST

/* Writes the JSON and runs a python3 check of it; returns python's status. */
static int json_check(const char *py)
{
	char path[] = "/tmp/unit-bench-json.XXXXXX", cmd[4096];
	int fd = mkstemp(path), st;
	FILE *f = fdopen(fd, "w");

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(bench_json_write(f, &rep), 0);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "python3 -c 'import json,sys\nd=json.load(open(sys.argv[1]))\n%s' %s",
		 py, path);
	st = system(cmd);
	unlink(path);
	return st;
}

START_TEST(test_json_with_baselines)
{
	fixture(true);
	ck_assert_int_eq(json_check(
		"assert d[\"schema\"] == \"pvx-bench-ring/1\"\n"
		"p = d[\"params\"]\n"
		"assert p[\"notify\"] == \"holdoff\" and p[\"batches\"] == [1, 32] and p[\"ring_entries\"] == 256\n"
		"assert p[\"spin_us\"] == 0 and p[\"repeats\"] == 1\n"
		"r = d[\"runs\"]\n"
		"assert \"req_per_s_each\" not in r[0]\n"
		"assert r[1][\"req_per_s_each\"] == [7000.0, 9000.0]\n"
		"assert len(r) == 2 and r[1][\"batch\"] == 32 and r[1][\"req_per_s\"] == 8000\n"
		"assert r[0][\"lat_ns\"] == {\"p50\": 100, \"p99\": 200, \"p999\": 300, \"mean\": 120, \"max\": 900}\n"
		"assert r[1][\"ratio_vs_best_ringtest\"] == 2.0\n"
		"b = d[\"baselines\"]\n"
		"assert b[\"eventfd\"][\"rtt_ns\"][\"p50\"] == 40000 and b[\"pipe\"][\"msgs_per_s\"] == 20000\n"
		"assert b[\"cacheline_rtt_ns\"] == 64.5\n"
		"t = b[\"ringtest\"]\n"
		"assert t[\"available\"] and t[\"best\"] == {\"name\": \"ring\", \"ops_per_s\": 4000}\n"
		"assert t[\"args\"].endswith(chr(34) + \"quoted\" + chr(34))\n"
		"assert [v[\"ok\"] for v in t[\"variants\"]] == [True, True, False]\n"
		"assert \"note\" not in t[\"variants\"][0]\n"
		"assert t[\"variants\"][2][\"note\"] == \"no notification support (--sleep)\"\n"), 0);
}
END_TEST

START_TEST(test_json_without_baselines)
{
	fixture(false);
	ck_assert_int_eq(json_check(
		"assert d[\"baselines\"] is None\n"
		"assert all(r[\"ratio_vs_best_ringtest\"] is None for r in d[\"runs\"])\n"), 0);
}
END_TEST

START_TEST(test_json_ringtest_missing)
{
	fixture(true);
	memset(&rep.rt, 0, sizeof(rep.rt));
	snprintf(rep.rt.why, sizeof(rep.rt.why), "ringtest: linux-source-6.1 not installed");
	ck_assert_int_eq(json_check(
		"t = d[\"baselines\"][\"ringtest\"]\n"
		"assert t == {\"available\": False, \"why\": \"ringtest: linux-source-6.1 not installed\"}\n"),
		0);
}
END_TEST

/* Strings the bench did not write itself (ringtest's reason, the args,
 * a variant's note) with quotes, backslashes, control characters and
 * bytes that are not UTF-8: the report still parses, each bad byte as
 * U+FFFD and the rest as it was. */
START_TEST(test_json_hostile_strings)
{
	fixture(true);
	snprintf(rep.rt.args, sizeof(rep.rt.args), "a\"b\\c\x01\x1f\t\xff\xc3(");
	rep.rt.run[2].note = "n\xe2\x82\"\n";
	ck_assert_int_eq(json_check(
		"t = d[\"baselines\"][\"ringtest\"]\n"
		"assert t[\"args\"] == \"a\\\"b\\\\c\\x01\\x1f\\t\\ufffd\\ufffd(\", ascii(t[\"args\"])\n"
		"assert t[\"variants\"][2][\"note\"] == \"n\\ufffd\\ufffd\\\"\\n\", ascii(t)\n"), 0);
	memset(&rep.rt, 0, sizeof(rep.rt));
	snprintf(rep.rt.why, sizeof(rep.rt.why), "\xfe\"");
	ck_assert_int_eq(json_check(
		"assert d[\"baselines\"][\"ringtest\"][\"why\"] == \"\\ufffd\\\"\"\n"), 0);
}
END_TEST

Suite *make_output_suite(void)
{
	Suite *s = suite_create("output");
	TCase *tc = tcase_create("writers");

	tcase_add_test(tc, test_csv);
	tcase_add_test(tc, test_json_with_baselines);
	tcase_add_test(tc, test_json_without_baselines);
	tcase_add_test(tc, test_json_ringtest_missing);
	tcase_add_test(tc, test_json_hostile_strings);
	suite_add_tcase(s, tc);
	return s;
}
