/*
 * Garbage never crashes the parser: random texts built from the
 * grammar's own characters (so they get deep into it) and random bytes.
 * Every failure must be exactly one line naming the source.
 */
#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "harness.h"

static void check_one(const char *buf, size_t len)
{
	struct pvx_config c;
	char err[512];
	int rc;

	pvx_config_init(&c);
	rc = pvx_config_parse_string(&c, "g.cfg", buf, len, err, sizeof(err),
				     collect_warning, &(struct warnings){ .count = 0 });
	if (rc) {
		ck_assert_int_lt(rc, 0);
		ck_assert_msg(!strncmp(err, "g.cfg:", 6), "no source: %s", err);
		ck_assert_msg(!strchr(err, '\n'), "two lines: %s", err);
	} else {
		pvx_config_override(&c, "memory=64", err, sizeof(err));
		pvx_config_validate(&c, err, sizeof(err));
	}
	pvx_config_dispose(&c);
}

START_TEST(random_garbage)
{
	static const char *const atoms[] = {
		"name", "memory", "disk", "vif", "kernel", "uuid", "x.y", " ", "\n",
		"=", "+=", "[", "]", ",", ";", "#", "'", "\"", "\\", "\\x4", "0x",
		"07", "9", "'vdev=xvda,target=/a'", "'mac=00:16:3e:00:00:01'",
		"'1G'", "\t", "\r", "'pvh'", "\\377",
	};
	char buf[600];
	unsigned seed = 12345;

	for (int iter = 0; iter < 20000; iter++) {
		size_t len = 0, want = (size_t)rand_r(&seed) % 512;
		bool bytes = iter % 4 == 3;

		while (len < want) {
			if (bytes) {
				buf[len++] = (char)rand_r(&seed);
				continue;
			}
			const char *a = atoms[rand_r(&seed) % (sizeof(atoms) / sizeof(atoms[0]))];
			size_t n = strlen(a);

			if (len + n > sizeof(buf))
				break;
			memcpy(buf + len, a, n);
			len += n;
		}
		check_one(buf, len);
	}
}
END_TEST

START_TEST(huge_and_deep)
{
	size_t n = (1u << 20) + 10;
	char *big = malloc(n);
	struct pvx_config c;
	char err[256];

	ck_assert_ptr_nonnull(big);
	memset(big, '[', n);
	pvx_config_init(&c);
	ck_assert_int_eq(pvx_config_parse_string(&c, "g.cfg", big, n, err,
						 sizeof(err), NULL, NULL), -E2BIG);
	/* deep but within the size limit: stopped by the depth bound */
	memcpy(big, "x = ", 4);
	ck_assert_int_eq(pvx_config_parse_string(&c, "g.cfg", big, 100000, err,
						 sizeof(err), NULL, NULL), -EINVAL);
	ck_assert_str_eq(err, "g.cfg:1: lists nested too deeply near '['");
	pvx_config_dispose(&c);
	free(big);
}
END_TEST

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Lexing is linear in a line's length: ~1 MiB of `'',` on one line, as a
 * list and bare, parses or fails in well under a second (it took 68 s
 * and 1.4 GB when every string was sized by the rest of its line). */
START_TEST(long_line_is_linear)
{
	size_t cap = (1u << 20) - 16, n;
	char *big = malloc(cap);
	struct pvx_config c;
	char err[256];
	double t0;

	ck_assert_ptr_nonnull(big);
	n = (size_t)snprintf(big, cap, "x = [");
	while (n + 3 + 2 < cap) {
		memcpy(big + n, "'',", 3);
		n += 3;
	}
	memcpy(big + n, "]\n", 2);
	n += 2;
	pvx_config_init(&c);
	t0 = now_s();
	ck_assert_int_eq(pvx_config_parse_string(&c, "g.cfg", big, n, err,
						 sizeof(err), NULL, NULL), 0);
	ck_assert(now_s() - t0 < 1.0);
	t0 = now_s();   /* bare: an error at the first string */
	ck_assert_int_eq(pvx_config_parse_string(&c, "g.cfg", big + 5, n - 5, err,
						 sizeof(err), NULL, NULL), -EINVAL);
	ck_assert(now_s() - t0 < 1.0);
	pvx_config_dispose(&c);
	free(big);
}
END_TEST

Suite *make_garbage_suite(void)
{
	Suite *s = suite_create("garbage");
	TCase *tc = tcase_create("garbage");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, random_garbage);
	tcase_add_test(tc, huge_and_deep);
	tcase_add_test(tc, long_line_is_linear);
	suite_add_tcase(s, tc);
	return s;
}
