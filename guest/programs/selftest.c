/*
 * selftest: minios's library checked inside the real guest build, table
 * driven: vsnprintf conversions and truncation, parse_u64 edge cases
 * (overflow, hex, junk), the command-line parser, memmove overlap and the
 * latency statistics. One FAIL line per mismatch, then one verdict.
 */
#include <minios/cmdline.h>
#include <minios/console.h>
#include <minios/lib.h>
#include <minios/program.h>

#include "programs.h"
#include "stats.h"

static unsigned failures;

static void check(int ok, const char *what)
{
	if (!ok) {
		failures++;
		fail("selftest: %s", what);
	}
}

static void check_fmt(const char *got, const char *want, const char *what)
{
	if (strcmp(got, want)) {
		failures++;
		fail("selftest: %s: got '%s', want '%s'", what, got, want);
	}
}

static void test_printf(void)
{
	char b[64];
	int n;

	snprintf(b, sizeof(b), "%d %i %u", -42, 7, 4000000000u);
	check_fmt(b, "-42 7 4000000000", "signed/unsigned");
	snprintf(b, sizeof(b), "%x %X %lx", 0xbeefu, 0xbeefu, 0x123456789abcdefUL);
	check_fmt(b, "beef BEEF 123456789abcdef", "hex");
	snprintf(b, sizeof(b), "[%5d][%-5d][%05d][%03x]", 42, 42, -42, 0xa);
	check_fmt(b, "[   42][42   ][-0042][00a]", "widths and flags");
	snprintf(b, sizeof(b), "[%s][%6s][%-6s][%c]", "ab", "ab", "ab", 'z');
	check_fmt(b, "[ab][    ab][ab    ][z]", "strings");
	snprintf(b, sizeof(b), "%lld %zu %%", -9223372036854775807LL - 1, (size_t)17);
	check_fmt(b, "-9223372036854775808 17 %", "long long, size_t, %%");
	snprintf(b, sizeof(b), "%p", (void *)0x1000);
	check_fmt(b, "0x1000", "pointer");
	n = snprintf(b, 6, "%s", "truncated");
	check_fmt(b, "trunc", "truncation keeps the NUL");
	check(n == 9, "snprintf returns the untruncated length");
}

static void test_parse(void)
{
	static const struct { const char *s; int rc; uint64_t v; } t[] = {
		{ "0", 0, 0 }, { "42", 0, 42 }, { "0x1F", 0, 31 },
		{ "18446744073709551615", 0, UINT64_MAX },
		{ "18446744073709551616", -1, 0 }, { "", -1, 0 }, { "0x", -1, 0 },
		{ "12a", -1, 0 }, { "-1", -1, 0 }, { "0x10000000000000000", -1, 0 },
	};
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		uint64_t v = 12345;
		int rc = parse_u64(t[i].s, &v);

		if ((rc < 0) != (t[i].rc < 0) || (rc == 0 && v != t[i].v)) {
			failures++;
			fail("selftest: parse_u64(\"%s\") = %d, %lu", t[i].s, rc, (unsigned long)v);
		}
	}
}

static void test_cmdline(void)
{
	char line[] = "  console=ring spin=7 bogus=1 evtchn-ping 1 5 100 spin=9 ";
	char empty[] = "";
	char named[] = "test=timer 250";
	struct cmdline cl;

	cmdline_parse(line, &cl);
	check(cl.console == CONSOLE_RING && cl.spin_us == 7, "options before the program");
	check(cl.unknown && !strcmp(cl.unknown, "bogus=1"), "unknown option recorded");
	check(cl.argc == 5 && !strcmp(cl.argv[0], "evtchn-ping") &&
	      !strcmp(cl.argv[4], "spin=9") && !cl.argv[5], "program words passed through");
	cmdline_parse(empty, &cl);
	check(cl.argc == 1 && !strcmp(cl.argv[0], "hello") && cl.spin_us == -1,
	      "empty line runs hello");
	cmdline_parse(named, &cl);
	check(cl.argc == 2 && !strcmp(cl.argv[0], "timer") && !strcmp(cl.argv[1], "250"),
	      "test=NAME");
}

static void test_mem_and_stats(void)
{
	char m[] = "abcdefgh";
	uint64_t v[] = { 9, 1, 8, 2, 7, 3, 6, 4, 5, 10 };
	struct lat_stats s;

	memmove(m + 2, m, 5);
	check_fmt(m, "ababcdeh", "memmove overlapping forward");
	memmove(m, m + 3, 4);
	check_fmt(m, "bcdecdeh", "memmove overlapping backward");
	check(strncmp("abc", "abd", 2) == 0 && strncmp("abc", "abd", 3) < 0, "strncmp");
	stats_compute(v, ARRAY_SIZE(v), &s);
	check(s.min == 1 && s.max == 10 && s.median == 6 && s.mean == 5 && s.p99 == 10,
	      "stats min/max/median/mean/p99");
	check(v[0] == 1 && v[9] == 10, "stats sorts in place");
}

int prog_selftest(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	failures = 0;
	test_printf();
	test_parse();
	test_cmdline();
	test_mem_and_stats();
	if (failures)
		return fail("selftest: %u checks failed", failures);
	return pass("selftest: library checks");
}
