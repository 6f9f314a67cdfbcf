/*
 * pvx/log.h: the line format the daemons' logs and tests rely on, level
 * filtering, the prefix and stderr policies pvxd and pvxstored use, the
 * sink, the file (mode, raw text) and cutting of over-long lines. Each
 * test runs in its own process (fork mode), so the global state is fresh.
 */
#include <fcntl.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <pvx/log.h>

#include "harness.h"

static char got[4096];
static int nlines;

static void sink(const char *line, void *arg)
{
	(void)arg;
	snprintf(got, sizeof(got), "%s", line);
	nlines++;
}

static bool matches(const char *re, const char *s)
{
	regex_t r;
	bool ok;

	ck_assert_int_eq(regcomp(&r, re, REG_EXTENDED | REG_NOSUB), 0);
	ok = regexec(&r, s, 0, NULL, 0) == 0;
	regfree(&r);
	return ok;
}

/* Points stderr at a fresh temporary file, whose path goes to `path`. */
static void capture_stderr(char *path)
{
	int fd;

	strcpy(path, "/tmp/pvx-unit-log-XXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(dup2(fd, STDERR_FILENO), STDERR_FILENO);
	close(fd);
}

static void slurp(const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(path, "r");
	size_t n;

	ck_assert_ptr_nonnull(f);
	n = fread(buf, 1, cap - 1, f);
	buf[n] = '\0';
	fclose(f);
}

START_TEST(default_line_format)
{
	pvx_log_set_ident("pvx-test");
	pvx_log_set_sink(sink, NULL);
	pvx_log_warn("disk %d is %s", 3, "slow");
	ck_assert_msg(matches("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"
			      "\\.[0-9]{3}Z pvx-test warning: disk 3 is slow\n$", got),
		      "line: '%s'", got);
}
END_TEST

START_TEST(levels_filter)
{
	pvx_log_set_sink(sink, NULL);
	pvx_log_debug("hidden by default");
	ck_assert_int_eq(nlines, 0);
	pvx_log_set_level(PVX_LOG_WARN);
	pvx_log_info("hidden");
	ck_assert_int_eq(nlines, 0);
	ck_assert(!pvx_log_enabled(PVX_LOG_INFO));
	ck_assert(pvx_log_enabled(PVX_LOG_ERR));
	pvx_log_err("shown");
	ck_assert_int_eq(nlines, 1);
	pvx_log_set_level(PVX_LOG_DEBUG);
	pvx_log_debug("now shown");
	ck_assert_int_eq(nlines, 2);
	ck_assert_ptr_nonnull(strstr(got, "debug: now shown"));
	pvx_log((enum pvx_log_level)-1, "no such level");
	ck_assert_int_eq(nlines, 2);
}
END_TEST

static size_t short_prefix(char *buf, size_t cap, enum pvx_log_level lvl, void *arg)
{
	size_t n = pvx_log_stamp(buf, cap, false);

	return n + (size_t)snprintf(buf + n, cap - n, "%s<%d> ", (char *)arg, lvl);
}

START_TEST(own_prefix_and_back)
{
	pvx_log_set_sink(sink, NULL);
	pvx_log_set_prefix(short_prefix, "me");
	pvx_log_info("x");
	ck_assert_msg(matches("^[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3} me<2> x\n$", got),
		      "line: '%s'", got);
	pvx_log_set_prefix(NULL, NULL);
	pvx_log_info("y");
	ck_assert_msg(matches("Z pvx info: y\n$", got), "line: '%s'", got);
}
END_TEST

START_TEST(file_and_stderr)
{
	char err_path[64], file_path[64], buf[4096];
	struct stat st;

	capture_stderr(err_path);
	snprintf(file_path, sizeof(file_path), "%s.log", err_path);
	ck_assert_int_eq(pvx_log_open(file_path, 0600), 0);
	ck_assert_int_eq(stat(file_path, &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0600);
	pvx_log_info("to both");
	pvx_log_raw("raw text\n", 9);
	pvx_log_set_stderr(PVX_LOG_STDERR_WITHOUT_FILE);
	pvx_log_info("file only");
	pvx_log_close();
	pvx_log_info("stderr again");
	slurp(file_path, buf, sizeof(buf));
	ck_assert_ptr_nonnull(strstr(buf, "info: to both\nraw text\n"));
	ck_assert_ptr_nonnull(strstr(buf, "info: file only\n"));
	ck_assert_ptr_null(strstr(buf, "stderr again"));
	slurp(err_path, buf, sizeof(buf));
	ck_assert_ptr_nonnull(strstr(buf, "info: to both\n"));
	ck_assert_ptr_null(strstr(buf, "raw text"));
	ck_assert_ptr_null(strstr(buf, "file only"));
	ck_assert_ptr_nonnull(strstr(buf, "info: stderr again\n"));
	unlink(file_path);
	unlink(err_path);
}
END_TEST

START_TEST(open_failure_is_an_errno)
{
	ck_assert_int_lt(pvx_log_open("/nonexistent/dir/x.log", 0644), 0);
}
END_TEST

START_TEST(long_lines_are_cut_but_whole)
{
	static char big[5000];

	memset(big, 'a', sizeof(big) - 1);
	pvx_log_set_sink(sink, NULL);
	pvx_log_info("%s", big);
	ck_assert_uint_lt(strlen(got), 1024);
	ck_assert_uint_gt(strlen(got), 900);
	ck_assert_int_eq(got[strlen(got) - 1], '\n');
}
END_TEST

Suite *make_log_suite(void)
{
	Suite *s = suite_create("log");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, default_line_format);
	tcase_add_test(tc, levels_filter);
	tcase_add_test(tc, own_prefix_and_back);
	tcase_add_test(tc, file_and_stderr);
	tcase_add_test(tc, open_failure_is_an_errno);
	tcase_add_test(tc, long_lines_are_cut_but_whole);
	suite_add_tcase(s, tc);
	return s;
}
