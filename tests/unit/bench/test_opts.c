/*
 * Option parsing: defaults, every option's accepted forms, and a table of
 * bad command lines, each of which must fail with a line naming the
 * option and the reason.
 */
#include <stdio.h>
#include <string.h>

#include "bench_test.h"

#define ROWS(t) (sizeof(t) / sizeof((t)[0]))

int t_parse(struct bench_opts *o, char *err, size_t len, const char *const *args)
{
	char *argv[32];
	int argc = 0, r;
	FILE *f = fmemopen(err, len, "w");

	ck_assert_ptr_nonnull(f);
	argv[argc++] = "ring";
	while (args[argc - 1] && argc < 31) {
		argv[argc] = (char *)args[argc - 1];
		argc++;
	}
	argv[argc] = NULL;
	r = bench_opts_parse(o, argc, argv, f);
	fclose(f);
	return r;
}

START_TEST(test_defaults)
{
	struct bench_opts o;
	char err[256] = "";
	const char *args[] = { NULL };

	ck_assert_int_eq(t_parse(&o, err, sizeof(err), args), 0);
	ck_assert_int_eq(o.mode, BENCH_MODE_HOST);
	ck_assert_int_eq(o.notify, BENCH_NOTIFY_POLL);
	ck_assert_uint_eq(o.ring_pages, 2);
	ck_assert_uint_eq(o.nbatches, 1);
	ck_assert_uint_eq(o.batches[0], 32);
	ck_assert(o.baselines);
	ck_assert_uint_eq(o.repeat, 1);
	/* 2 pages of 16-byte entries: (8192 - 64) / 16 = 508 -> 256. */
	ck_assert_uint_eq(bench_ring_entries(o.ring_pages), 256);
	ck_assert_uint_eq(bench_outstanding(&o), 256);
	ck_assert_str_eq(err, "");
}
END_TEST

START_TEST(test_all_options)
{
	struct bench_opts o;
	char err[256] = "";
	const char *args[] = { "--mode", "host", "--notify=holdoff", "--ring-pages", "8",
			       "--sweep-batch", "1,2,4,64", "--outstanding", "128",
			       "--payload", "4K", "--duration", "0.5", "--cpus", "0,0", "--spin", "50",
			       "--csv", "a.csv", "--json=a.json", "--plot", "a.png",
			       "--no-baselines", "--ringtest-cycles", "5000", "--repeat", "3",
			       "--kernel", "k.elf", NULL };

	ck_assert_int_eq(t_parse(&o, err, sizeof(err), args), 0);
	ck_assert_int_eq(o.mode, BENCH_MODE_HOST);
	ck_assert_int_eq(o.notify, BENCH_NOTIFY_HOLDOFF);
	ck_assert_str_eq(o.kernel, "k.elf");
	ck_assert_ptr_null(o.type);  /* none: pvx create chooses */
	ck_assert_uint_eq(o.ring_pages, 8);
	ck_assert_uint_eq(o.nbatches, 4);
	ck_assert_uint_eq(o.batches[3], 64);
	ck_assert_uint_eq(o.outstanding, 128);
	ck_assert_uint_eq(o.payload, 4096);
	ck_assert(o.duration == 0.5);
	ck_assert_uint_eq(o.spin_us, 50);
	ck_assert_int_eq(o.cpu_front, 0);
	ck_assert_int_eq(o.cpu_back, 0);
	ck_assert_str_eq(o.csv, "a.csv");
	ck_assert_str_eq(o.json, "a.json");
	ck_assert_str_eq(o.plot, "a.png");
	ck_assert(!o.baselines);
	ck_assert_int_eq(o.ringtest_cycles, 5000);
	ck_assert_uint_eq(o.repeat, 3);
}
END_TEST

START_TEST(test_type)
{
	struct bench_opts o;
	char err[256] = "";
	const char *args[] = { "--mode", "guest", "--type", "pv", NULL };

	ck_assert_int_eq(t_parse(&o, err, sizeof(err), args), 0);
	ck_assert_str_eq(o.type, "pv");
}
END_TEST

static const struct bad_row {
	const char *args[4];
	const char *says;
} bad_rows[] = {
	{ { "--batch", "0" }, "--batch: '0' is not an integer in 1..4096" },
	{ { "--batch", "-3" }, "--batch: '-3'" },
	{ { "--batch", "12x" }, "--batch: '12x'" },
	{ { "--batch", "4097" }, "--batch: '4097'" },
	{ { "--batch" }, "--batch needs a value" },
	{ { "--ring-pages", "3" }, "--ring-pages: '3' is not a power of two in 1..256" },
	{ { "--ring-pages", "512" }, "--ring-pages: '512'" },
	{ { "--notify", "sometimes" }, "--notify: 'sometimes' is not always, holdoff or poll" },
	{ { "--mode", "vm" }, "--mode: 'vm' is not host or guest" },
	{ { "--duration", "0" }, "--duration: '0' is not a number of seconds" },
	{ { "--duration", "nan" }, "--duration: 'nan'" },
	{ { "--duration", "1s" }, "--duration: '1s'" },
	{ { "--payload", "2M" }, "--payload: '2M' is not a size" },
	{ { "--payload", "1G" }, "--payload: '1G'" },
	{ { "--cpus", "0" }, "--cpus: '0' is not two CPU numbers A,B" },
	{ { "--cpus", "0,x" }, "--cpus: '0,x'" },
	{ { "--cpus", "0,1000" }, "--cpus: CPU 1000 is not available" },
	{ { "--sweep-batch", "1,,2" }, "--sweep-batch: '1,,2' has an empty entry" },
	{ { "--sweep-batch", "1,2," }, "has an empty entry" },
	{ { "--sweep-batch", "1,0" }, "--sweep-batch: '0' is not an integer" },
	{ { "--outstanding", "0" }, "--outstanding: '0' is not a positive integer" },
	{ { "--outstanding", "300" }, "--outstanding: 300 exceeds the 256 entries of a 2-page ring" },
	{ { "--outstanding", "16", "--batch", "32" }, "batch 32 exceeds the 16 outstanding" },
	{ { "--ring-pages", "1", "--sweep-batch", "1,256" }, "batch 256 exceeds the 128 outstanding" },
	{ { "--frobnicate" }, "unknown option '--frobnicate'" },
	{ { "stray" }, "unexpected argument 'stray'" },
	{ { "--no-baselines=1" }, "--no-baselines takes no value" },
	{ { "--ringtest-cycles", "10" }, "--ringtest-cycles: '10'" },
	{ { "--spin", "2000000" }, "--spin: '2000000' is not a number of microseconds" },
	{ { "--repeat", "0" }, "--repeat: '0' is not an integer in 1..16" },
	{ { "--repeat", "17" }, "--repeat: '17'" },
	/* guest mode: minios's ring pool and its 256 KiB of payload pages */
	{ { "--mode", "guest", "--ring-pages", "16" }, "--ring-pages: guest mode allows at most 8" },
	{ { "--mode", "guest", "--payload", "8K" }, "--payload: guest mode allows at most 4096" },
	{ { "--mode", "guest", "--payload", "2K" }, "exceed the guest's 256 KiB of payload pages" },
	{ { "--kernel", "" }, "--kernel: empty path" },
	{ { "--type", "hvm" }, "--type: 'hvm' is not pvh or pv" },
	{ { "--grant-copy" }, "--grant-copy: only in guest mode" },
};

START_TEST(test_bad_values)
{
	const struct bad_row *row = &bad_rows[_i];
	struct bench_opts o;
	char err[512] = "";

	ck_assert_int_eq(t_parse(&o, err, sizeof(err), row->args), -EINVAL);
	ck_assert_msg(strstr(err, row->says), "row %d: got '%s', want '%s'", _i, err, row->says);
	ck_assert_msg(!strncmp(err, "pvx bench ring: ", 16), "row %d: '%s'", _i, err);
	ck_assert_msg(strchr(err, '\n') == err + strlen(err) - 1, "one line: '%s'", err);
}
END_TEST

START_TEST(test_ring_entries)
{
	/* 16-byte entries after a 64-byte header, rounded down to 2^k. */
	static const unsigned pages[] = { 1, 2, 4, 16, 256 };
	static const uint32_t ents[] = { 128, 256, 512, 2048, 32768 };

	ck_assert_uint_eq(sizeof(union bench_sring_entry), 16);
	for (size_t i = 0; i < ROWS(pages); i++)
		ck_assert_uint_eq(bench_ring_entries(pages[i]), ents[i]);
}
END_TEST

Suite *make_opts_suite(void)
{
	Suite *s = suite_create("opts");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_type);
	tcase_add_test(tc, test_all_options);
	tcase_add_loop_test(tc, test_bad_values, 0, (int)ROWS(bad_rows));
	tcase_add_test(tc, test_ring_entries);
	suite_add_tcase(s, tc);
	return s;
}
