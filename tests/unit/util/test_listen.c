/*
 * pvx_listen_unix's length limit: it is the final path's, the one a
 * client puts in its sockaddr_un. The longest path a client can name
 * (sizeof(sun_path) - 1 bytes) works, even though the private directory
 * it is first bound in makes the temporary name longer; one byte more is
 * -ENAMETOOLONG, creates nothing, and pvx_listen_unix_error says why.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <pvx/daemon.h>

#include "harness.h"

#define SUN_LEN_MAX (sizeof(((struct sockaddr_un *)0)->sun_path) - 1)

static char top[64];

static void setup(void)
{
	strcpy(top, "/tmp/pvx-unit-listen-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(top));
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", top);
	ck_assert_int_eq(system(cmd), 0);
}

/* A directory under top whose path is dirlen bytes (made). */
static void make_dir_of_len(char *dir, size_t dirlen)
{
	size_t n = strlen(top);

	ck_assert_uint_gt(dirlen, n + 1);
	memcpy(dir, top, n);
	dir[n] = '/';
	memset(dir + n + 1, 'd', dirlen - n - 1);
	dir[dirlen] = '\0';
	ck_assert_int_eq(mkdir(dir, 0700), 0);
}

static int connect_to(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int c = socket(AF_UNIX, SOCK_STREAM, 0), rc;

	ck_assert_uint_le(strlen(path), SUN_LEN_MAX);
	strcpy(sa.sun_path, path);
	rc = connect(c, (struct sockaddr *)&sa, sizeof(sa));
	close(c);
	return rc;
}

/* Only the socket (or nothing) is left in dir: no private directory. */
static int entries(const char *dir)
{
	char cmd[256], buf[16] = "";
	FILE *p;

	snprintf(cmd, sizeof(cmd), "ls -A %s | wc -l", dir);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(fgets(buf, sizeof(buf), p));
	pclose(p);
	return atoi(buf);
}

/* "<dir>/s" of SUN_LEN_MAX bytes: "<dir>/.sXXXXXX/s" does not fit. */
START_TEST(the_longest_path_a_client_can_name_works)
{
	char dir[256], path[512];
	struct stat sb;
	int fd;

	make_dir_of_len(dir, SUN_LEN_MAX - 2);
	snprintf(path, sizeof(path), "%s/s", dir);
	ck_assert_uint_eq(strlen(path), SUN_LEN_MAX);
	fd = pvx_listen_unix(path, SOCK_STREAM, 0600, 4);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert(S_ISSOCK(sb.st_mode));
	ck_assert_int_eq(sb.st_mode & 0777, 0600);
	ck_assert_int_eq(connect_to(path), 0);
	ck_assert_int_eq(entries(dir), 1);
	close(fd);
}
END_TEST

/* A long name in a short directory: the temporary fits, the path not. */
START_TEST(one_byte_more_is_refused)
{
	char dir[256], path[512], msg[1024];

	make_dir_of_len(dir, strlen(top) + 2);
	snprintf(path, sizeof(path), "%s/", dir);
	memset(path + strlen(path), 'n', SUN_LEN_MAX + 1 - strlen(path));
	path[SUN_LEN_MAX + 1] = '\0';
	ck_assert_int_eq(pvx_listen_unix(path, SOCK_STREAM, 0600, 4), -ENAMETOOLONG);
	ck_assert_int_eq(access(path, F_OK), -1);
	ck_assert_int_eq(entries(dir), 0);
	pvx_listen_unix_error(path, -ENAMETOOLONG, msg, sizeof(msg));
	ck_assert_ptr_nonnull(strstr(msg, path));
	snprintf(path, sizeof(path), "is %zu bytes, a Unix socket's is at most %zu",
		 SUN_LEN_MAX + 1, SUN_LEN_MAX);
	ck_assert_msg(strstr(msg, path), "%s", msg);
}
END_TEST

START_TEST(other_errors_are_named_plainly)
{
	char msg[256];

	ck_assert_int_eq(pvx_listen_unix("/nonexistent-dir/sock", SOCK_STREAM, 0600, 4),
			 -ENOENT);
	pvx_listen_unix_error("/nonexistent-dir/sock", -ENOENT, msg, sizeof(msg));
	ck_assert_str_eq(msg, "cannot listen on /nonexistent-dir/sock: No such file or directory");
}
END_TEST

Suite *make_listen_suite(void)
{
	Suite *s = suite_create("listen");
	TCase *tc = tcase_create("length");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, the_longest_path_a_client_can_name_works);
	tcase_add_test(tc, one_byte_more_is_refused);
	tcase_add_test(tc, other_errors_are_named_plainly);
	suite_add_tcase(s, tc);
	return s;
}
