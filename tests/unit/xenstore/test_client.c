/*
 * libpvxxs against the real socket transport: a forked child runs the
 * daemon's store and conn_socket.c on a private socket ($XENSTORED_PATH),
 * the test drives it through the public API (pvx/xs.h). Also the pure
 * helpers: error-name mapping, permission strings, value quoting.
 */
#include <event2/event.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "../../../xenbus/cli/cli.h"
#include "../../../xenbus/store/sock.h"

static char dir[64], sock[128];
static pid_t srv = -1;
static struct xs_handle *h, *h2;

static void quiet(const char *line, void *arg)
{
	(void)line;
	(void)arg;
}

static void serve(int ready)
{
	struct xs_store st;
	struct event_base *b = event_base_new();

	pvx_log_set_sink(quiet, NULL);
	xs_store_init(&st);
	st.base = b;
	if (!sock_listen(&st, sock))
		_exit(1);
	if (write(ready, "r", 1) != 1)
		_exit(1);
	event_base_dispatch(b);
	_exit(0);
}

static void start_server(void)
{
	int p[2];
	char c;

	ck_assert_int_eq(pipe(p), 0);
	srv = fork();
	ck_assert_int_ge(srv, 0);
	if (srv == 0)
		serve(p[1]);
	ck_assert_int_eq(read(p[0], &c, 1), 1);
	close(p[0]);
	close(p[1]);
}

static void setup(void)
{
	strcpy(dir, "/tmp/xs-client.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(sock, sizeof(sock), "%s/xenstored/socket", dir);
	start_server();
	setenv("XENSTORED_PATH", sock, 1);
	ck_assert_int_eq(xs_open(&h), 0);
	ck_assert_int_eq(xs_open(&h2), 0);
}

static void teardown(void)
{
	char sub[96];

	xs_close(h);
	xs_close(h2);
	kill(srv, SIGKILL);
	waitpid(srv, NULL, 0);
	unlink(sock);
	snprintf(sub, sizeof(sub), "%s/xenstored", dir);
	rmdir(sub);
	rmdir(dir);
}

START_TEST(nodes_and_perms)
{
	struct xs_permission p[2] = { { 0, XS_PERM_NONE }, { 5, XS_PERM_READ } }, *got;
	char *v, **names;
	unsigned n;
	size_t len;

	ck_assert_int_eq(xs_write_str(h, XBT_NULL, "/c/a", "1"), 0);
	ck_assert_int_eq(xs_mkdir(h, XBT_NULL, "/c/b"), 0);
	ck_assert_int_eq(xs_read(h, XBT_NULL, "/c/a", &v, &len), 0);
	ck_assert_str_eq(v, "1");
	ck_assert_uint_eq(len, 1);
	free(v);
	ck_assert_int_eq(xs_directory(h, XBT_NULL, "/c", &names, &n), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(names[0], "a");
	ck_assert_str_eq(names[1], "b");
	ck_assert_ptr_null(names[2]);
	free(names);
	ck_assert_int_eq(xs_set_perms(h, XBT_NULL, "/c/a", p, 2), 0);
	ck_assert_int_eq(xs_get_perms(h, XBT_NULL, "/c/a", &got, &n), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(got[1].id, 5);
	ck_assert_uint_eq(got[1].perms, XS_PERM_READ);
	free(got);
	ck_assert_int_eq(xs_rm(h, XBT_NULL, "/c"), 0);
	ck_assert_int_eq(xs_read(h, XBT_NULL, "/c/a", &v, NULL), -ENOENT);
	ck_assert_int_eq(xs_read(h, XBT_NULL, "bad//path", &v, NULL), -EINVAL);
}
END_TEST

START_TEST(domain_calls)
{
	char *p;
	bool yes;

	ck_assert_int_eq(xs_get_domain_path(h, 12, &p), 0);
	ck_assert_str_eq(p, "/local/domain/12");
	free(p);
	ck_assert_int_eq(xs_is_domain_introduced(h, 0, &yes), 0);
	ck_assert(yes);
	ck_assert_int_eq(xs_is_domain_introduced(h, 12, &yes), 0);
	ck_assert(!yes);
	ck_assert_int_eq(xs_release_domain(h, 12), -ENOENT);
	/* No ring backend in this daemon: introduce cannot map anything. */
	ck_assert_int_eq(xs_introduce_domain(h, 12, 0xfeff9, 3), -EINVAL);
	ck_assert_int_eq(xs_control(h, "check", &p), 0);
	ck_assert_str_eq(p, "OK");
	free(p);
}
END_TEST

static int three_writes(struct xs_handle *x, xs_transaction_t t, void *arg)
{
	(void)arg;
	return xs_write_str(x, t, "/m/a", "1") ?: xs_write_str(x, t, "/m/b", "1") ?:
	       xs_write_str(x, t, "/m/c", "1");
}

START_TEST(watch_through_fileno)
{
	struct pollfd pf;
	char *path, *token;
	int fd = xs_fileno(h);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(xs_watch(h, "/w", "tok"), 0);
	pf.fd = fd;
	pf.events = POLLIN;
	ck_assert_int_eq(poll(&pf, 1, 2000), 1);
	ck_assert_int_eq(xs_read_watch(h, &path, &token, false), 0);
	ck_assert_str_eq(path, "/w");
	ck_assert_str_eq(token, "tok");
	free(path);
	ck_assert_int_eq(xs_read_watch(h, &path, &token, false), -EAGAIN);
	ck_assert_int_eq(poll(&pf, 1, 0), 0);
	ck_assert_int_eq(xs_write_str(h2, XBT_NULL, "/w/x", "1"), 0);
	ck_assert_int_eq(poll(&pf, 1, 2000), 1);
	ck_assert_int_eq(xs_read_watch(h, &path, &token, true), 0);
	ck_assert_str_eq(path, "/w/x");
	free(path);
	ck_assert_int_eq(xs_unwatch(h, "/w", "tok"), 0);
	ck_assert_int_eq(xs_unwatch(h, "/w", "tok"), -ENOENT);
}
END_TEST

/* Several events in one read(): xs_fileno must stay readable until the
 * last one is taken, though only the first came through the socket. */
START_TEST(fileno_sees_buffered_events)
{
	struct pollfd pf = { .fd = xs_fileno(h), .events = POLLIN };
	char *path, *token;
	int i;

	ck_assert_int_eq(xs_watch(h, "/m", "tok"), 0);
	ck_assert_int_eq(xs_read_watch(h, &path, &token, true), 0);
	free(path);
	/* One transaction, three changes: three events back to back. */
	ck_assert_int_eq(xs_transaction_run(h2, three_writes, NULL, 0), 0);
	usleep(100000);
	for (i = 0; i < 3; i++) {
		ck_assert_int_eq(poll(&pf, 1, 1000), 1);
		ck_assert_int_eq(xs_read_watch(h, &path, &token, false), 0);
		free(path);
	}
	ck_assert_int_eq(poll(&pf, 1, 0), 0);
	ck_assert_int_eq(xs_read_watch(h, &path, &token, false), -EAGAIN);
}
END_TEST

struct bump {
	int calls;
};

static int bump_fn(struct xs_handle *x, xs_transaction_t t, void *arg)
{
	struct bump *b = arg;
	char *v, buf[16];
	int rc;

	b->calls++;
	if ((rc = xs_read(x, t, "/counter", &v, NULL)))
		return rc;
	snprintf(buf, sizeof(buf), "%d", atoi(v) + 1);
	free(v);
	/* Someone else changes the counter under the first attempt. */
	if (b->calls == 1 && (rc = xs_write_str(h2, XBT_NULL, "/counter", "10")))
		return rc;
	return xs_write_str(x, t, "/counter", buf);
}

START_TEST(transaction_run_retries_on_eagain)
{
	struct bump b = { 0 };
	char *v;

	ck_assert_int_eq(xs_write_str(h, XBT_NULL, "/counter", "1"), 0);
	ck_assert_int_eq(xs_transaction_run(h, bump_fn, &b, 5), 0);
	ck_assert_int_eq(b.calls, 2);
	ck_assert_int_eq(xs_read(h, XBT_NULL, "/counter", &v, NULL), 0);
	ck_assert_str_eq(v, "11");
	free(v);
}
END_TEST

START_TEST(no_daemon)
{
	struct xs_handle *x;

	setenv("XENSTORED_PATH", "/nonexistent/xenstored/socket", 1);
	ck_assert_int_eq(xs_open(&x), -ENOENT);
}
END_TEST

START_TEST(helpers)
{
	struct xs_permission p;
	char buf[16], out[64], *s;
	size_t n;

	ck_assert_int_eq(xs_errno_from_name("EAGAIN"), EAGAIN);
	ck_assert_int_eq(xs_errno_from_name("EQUOTA"), EINVAL);
	ck_assert_int_eq(xs_perm_parse("b12", &p), 0);
	ck_assert_uint_eq(p.perms, XS_PERM_BOTH);
	ck_assert_int_eq(xs_perm_format(&p, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "b12");
	ck_assert_int_eq(xs_perm_parse("q1", &p), -EINVAL);
	ck_assert_int_eq(xs_perm_parse("r", &p), -EINVAL);
	s = xs_cli_sanitise("a\\b\t\001\"", 6);
	ck_assert_str_eq(s, "a\\\\b\\t\\001\"");
	n = xs_cli_unsanitise(s, out);
	ck_assert_uint_eq(n, 6);
	ck_assert_int_eq(memcmp(out, "a\\b\t\001\"", 6), 0);
	free(s);
}
END_TEST

START_TEST(backend_parse)
{
	static const struct { const char *path; int rc; int32_t dom; uint32_t dev; } t[] = {
		{ "/r/1/0", 0, 1, 0 },
		{ "/r/7/51712/state", 0, 7, 51712 },
		{ "/r/32751/65535", 0, 32751, 65535 },
		{ "/r/32752/0", -EINVAL, 0, 0 },      /* reserved domid */
		{ "/r/1/65536", -EINVAL, 0, 0 },      /* past max_devid */
		{ "/r/1", -EINVAL, 0, 0 },
		{ "/r/1/", -EINVAL, 0, 0 },
		{ "/r//0", -EINVAL, 0, 0 },
		{ "/r/-1/0", -EINVAL, 0, 0 },
		{ "/r/ 1/0", -EINVAL, 0, 0 },
		{ "/r/1x/0", -EINVAL, 0, 0 },
		{ "/r/1/0x", -EINVAL, 0, 0 },
		{ "/r/99999999999999999999999/0", -EINVAL, 0, 0 },
		{ "/rr/1/0", -EINVAL, 0, 0 },
		{ "/r", -EINVAL, 0, 0 },
	};
	int32_t dom;
	uint32_t dev;

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		dom = -1;
		dev = 0xdead;
		ck_assert_msg(xs_backend_parse("/r", t[i].path, 0xFFFF, &dom, &dev) == t[i].rc,
			      "%s", t[i].path);
		if (t[i].rc == 0)
			ck_assert_msg(dom == t[i].dom && dev == t[i].dev, "%s", t[i].path);
	}
	ck_assert(xs_path_under("/r", "/r"));
	ck_assert(xs_path_under("/r/1", "/r"));
	ck_assert(!xs_path_under("/rr/1", "/r"));
}
END_TEST

struct seen { int n; int32_t dom[8]; uint32_t dev[8]; };

static void record(void *ctx, const char *path, int32_t domid, uint32_t devid)
{
	struct seen *s = ctx;

	(void)path;
	if (s->n < 8) {
		s->dom[s->n] = domid;
		s->dev[s->n] = devid;
	}
	s->n++;
}

/* Odd names under the root are counted, never handed on (a backend that
 * rescans on an unparsable path would otherwise go round forever). */
START_TEST(backend_each_skips_odd_names)
{
	static const char *const nodes[] = { "/be/1/0/state", "/be/1/7/state", "/be/abc/0/state",
		"/be/2/x/state", "/be/3/70000/state" };
	struct seen s = { 0 };

	ck_assert_int_eq(xs_backend_each(h, "/be", 0xFFFF, record, &s), 0); /* no root */
	for (size_t i = 0; i < sizeof(nodes) / sizeof(nodes[0]); i++)
		ck_assert_int_eq(xs_write_str(h, XBT_NULL, nodes[i], "1"), 0);
	ck_assert_int_eq(xs_backend_each(h, "/be", 0xFFFF, record, &s), 3);
	ck_assert_int_eq(s.n, 2);
	ck_assert(s.dom[0] == 1 && s.dom[1] == 1);
	ck_assert((s.dev[0] == 0 && s.dev[1] == 7) || (s.dev[0] == 7 && s.dev[1] == 0));
}
END_TEST

/* pvxstored killed and restarted: the handle's calls fail as a lost
 * connection, xs_reconnect() waits for the daemon to be back, keeps
 * xs_fileno() and registers the watches again (each fires once), but
 * not one unwatched before. */
START_TEST(reconnect_registers_watches_again)
{
	struct pollfd pf = { .fd = xs_fileno(h), .events = POLLIN };
	char *path, *token, *v;

	ck_assert_int_eq(xs_watch(h, "/w", "tok"), 0);
	ck_assert_int_eq(xs_watch_depth(h, "/d", "deep", 1), 0);
	ck_assert_int_eq(xs_watch(h, "/x", "gone"), 0);
	ck_assert_int_eq(xs_unwatch(h, "/x", "gone"), 0);
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(xs_read_watch(h, &path, &token, true), 0);
		free(path);
	}
	kill(srv, SIGKILL);
	waitpid(srv, NULL, 0);
	ck_assert_int_eq(poll(&pf, 1, 2000), 1); /* the EOF */
	ck_assert(xs_conn_lost(xs_read_watch(h, &path, &token, false)));
	ck_assert(xs_conn_lost(xs_read(h, XBT_NULL, "/w", &v, NULL)));
	unlink(sock);
	ck_assert(xs_conn_lost(xs_reconnect(h)) || xs_reconnect(h) == -ENOENT);
	start_server();
	ck_assert_int_eq(xs_reconnect(h), 0);
	ck_assert_int_eq(xs_fileno(h), pf.fd);
	ck_assert_int_eq(poll(&pf, 1, 2000), 1);
	for (int i = 0; i < 2; i++) {
		ck_assert_int_eq(xs_read_watch(h, &path, &token, true), 0);
		ck_assert(!strcmp(token, "tok") || !strcmp(token, "deep"));
		free(path);
	}
	ck_assert_int_eq(xs_read_watch(h, &path, &token, false), -EAGAIN);
	ck_assert_int_eq(xs_write_str(h, XBT_NULL, "/w/y", "1"), 0);
	ck_assert_int_eq(xs_write_str(h, XBT_NULL, "/x", "1"), 0);
	ck_assert_int_eq(xs_read_watch(h, &path, &token, true), 0);
	ck_assert_str_eq(path, "/w/y");
	free(path);
	ck_assert_int_eq(poll(&pf, 1, 100), 0);
}
END_TEST

Suite *make_client_suite(void)
{
	Suite *s = suite_create("client");
	TCase *tc = tcase_create("client");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, nodes_and_perms);
	tcase_add_test(tc, domain_calls);
	tcase_add_test(tc, watch_through_fileno);
	tcase_add_test(tc, fileno_sees_buffered_events);
	tcase_add_test(tc, transaction_run_retries_on_eagain);
	tcase_add_test(tc, no_daemon);
	tcase_add_test(tc, helpers);
	tcase_add_test(tc, backend_parse);
	tcase_add_test(tc, backend_each_skips_odd_names);
	suite_add_tcase(s, tc);
	tcase_add_test(tc, reconnect_registers_watches_again);
	return s;
}
