/*
 * pvx/stats_server.h: the backends' statistics socket. Mode 0600 even
 * under umask 000, "stats" answered with what put() writes then EOF, any
 * other line answered "error unknown command", an over-long line closed
 * without an answer, the file gone after stop.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>

#include <pvx/stats_server.h>

#include "harness.h"

static char dir[64], path[128];

static void setup(void)
{
	strcpy(dir, "/tmp/pvx-unit-stats-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/stats.sock", dir);
}

static void teardown(void)
{
	unlink(path);
	rmdir(dir);
}

static void put(void *arg, struct evbuffer *out)
{
	evbuffer_add_printf(out, "n=%d\n\n", *(int *)arg);
}

/* Sends `req`, then runs the loop until the server closes; the reply. */
static char *ask(struct event_base *base, const char *req)
{
	static char got[256];
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	size_t n = 0;
	ssize_t r;

	strcpy(sa.sun_path, path);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ck_assert_int_eq(write(fd, req, strlen(req)), (ssize_t)strlen(req));
	for (int i = 0; i < 200; i++) {
		event_base_loop(base, EVLOOP_NONBLOCK);
		r = read(fd, got + n, sizeof(got) - 1 - n);
		if (r == 0)
			break;
		if (r > 0)
			n += (size_t)r;
		usleep(1000);
	}
	got[n] = '\0';
	close(fd);
	return got;
}

START_TEST(stats_answered_with_mode_0600)
{
	struct pvx_stats_server s = PVX_STATS_SERVER_INIT;
	struct event_base *base = event_base_new();
	char longline[200];
	struct stat sb;
	int n = 7;
	mode_t old = umask(0);

	ck_assert_int_eq(pvx_stats_server_start(&s, base, path, put, &n), 0);
	umask(old);
	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert(S_ISSOCK(sb.st_mode));
	ck_assert_int_eq(sb.st_mode & 0777, 0600);
	ck_assert_str_eq(ask(base, "stats\n"), "n=7\n\n");
	ck_assert_str_eq(ask(base, "hello\n"), "error unknown command\n\n");
	memset(longline, 'x', sizeof(longline) - 1);
	longline[sizeof(longline) - 1] = '\0';
	ck_assert_str_eq(ask(base, longline), "");
	ck_assert_uint_eq(s.nr_clients, 0);
	pvx_stats_server_stop(&s);
	pvx_stats_server_stop(&s);      /* idempotent */
	ck_assert_int_eq(access(path, F_OK), -1);
	event_base_free(base);
}
END_TEST

START_TEST(a_bad_path_fails_cleanly)
{
	struct pvx_stats_server s = PVX_STATS_SERVER_INIT;
	struct event_base *base = event_base_new();
	int n = 0;

	snprintf(path, sizeof(path), "%s/no/such/dir/s", dir);
	ck_assert_int_eq(pvx_stats_server_start(&s, base, path, put, &n), -ENOENT);
	ck_assert_int_eq(s.fd, -1);
	pvx_stats_server_stop(&s);
	event_base_free(base);
}
END_TEST

Suite *make_stats_server_suite(void)
{
	Suite *s = suite_create("stats_server");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, stats_answered_with_mode_0600);
	tcase_add_test(tc, a_bad_path_fails_cleanly);
	suite_add_tcase(s, tc);
	return s;
}
