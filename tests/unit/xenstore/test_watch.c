/*
 * Watches: one event on registration, one per change at or below the
 * path (write, mkdir, set_perms, rm), none for reads, relative paths in
 * and out, removal of a parent reported with the watch's own path, depth
 * limits, duplicates, special watches, permission filtering, and the
 * bounded event queue of a client that does not read.
 */
#include <stdio.h>
#include <string.h>

#include "harness.h"

static struct tc *d0, *w0, *g5;

static void setup(void)
{
	const char *home[] = { "n0", "r5" }, *data[] = { "n5" };

	h_setup();
	d0 = tc_new(0, true);
	w0 = tc_new(0, true);
	g5 = tc_new(5, false);
	ck_assert_int_eq(tc_simple(d0, XS_MKDIR, 0, "/local/domain/5/data"), 0);
	ck_assert_int_eq(tc_perms(d0, "/local/domain/5", home, 2), 0);
	ck_assert_int_eq(tc_perms(d0, "/local/domain/5/data", data, 1), 0);
}

static void expect(struct tc *t, const char *path, const char *token)
{
	char p[XENSTORE_PAYLOAD_MAX], k[XENSTORE_PAYLOAD_MAX];

	ck_assert_msg(tc_event(t, p, k), "no event (wanted %s)", path);
	ck_assert_str_eq(p, path);
	ck_assert_str_eq(k, token);
}

START_TEST(fires_once_on_registration)
{
	ck_assert_int_eq(tc_watch(w0, "/a/b", "tok"), 0);
	ck_assert_int_eq(tc_event_count(w0), 1);
	expect(w0, "/a/b", "tok");
	ck_assert_int_eq(tc_event_count(w0), 0);
}
END_TEST

START_TEST(fires_on_every_change_below)
{
	const char *perms[] = { "n0" };
	char v[8];

	ck_assert_int_eq(tc_watch(w0, "/a", "t"), 0);
	tc_drain_events(w0);
	ck_assert_int_eq(tc_write(d0, 0, "/a/b/c", "1"), 0);
	expect(w0, "/a/b/c", "t");
	ck_assert_int_eq(tc_write(d0, 0, "/a", "2"), 0);
	expect(w0, "/a", "t");
	ck_assert_int_eq(tc_simple(d0, XS_MKDIR, 0, "/a/m"), 0);
	expect(w0, "/a/m", "t");
	ck_assert_int_eq(tc_perms(d0, "/a/m", perms, 1), 0);
	expect(w0, "/a/m", "t");
	ck_assert_int_eq(tc_simple(d0, XS_RM, 0, "/a/b"), 0);
	expect(w0, "/a/b", "t");
	/* Reads, siblings and no-op rms fire nothing. */
	ck_assert_int_eq(tc_read(d0, 0, "/a", v), 1);
	ck_assert_int_eq(tc_write(d0, 0, "/ab", "x"), 0);
	ck_assert_int_eq(tc_simple(d0, XS_RM, 0, "/a/nothing"), 0);
	ck_assert_int_eq(tc_event_count(w0), 0);
}
END_TEST

START_TEST(rm_of_parent_reports_watch_path)
{
	ck_assert_int_eq(tc_write(d0, 0, "/p/q/r", "1"), 0);
	ck_assert_int_eq(tc_watch(w0, "/p/q/r", "deep"), 0);
	ck_assert_int_eq(tc_watch(w0, "/p/q/never/created", "ghost"), 0);
	tc_drain_events(w0);
	ck_assert_int_eq(tc_simple(d0, XS_RM, 0, "/p"), 0);
	ck_assert_int_eq(tc_event_count(w0), 2);
	expect(w0, "/p/q/r", "deep");
	expect(w0, "/p/q/never/created", "ghost");
}
END_TEST

START_TEST(relative_watch_gets_relative_paths)
{
	ck_assert_int_eq(tc_watch(g5, "data", "rel"), 0);
	expect(g5, "data", "rel");
	ck_assert_int_eq(tc_write(d0, 0, "/local/domain/5/data/x", "1"), 0);
	expect(g5, "data/x", "rel");
	ck_assert_int_eq(tc_watch(g5, "/local/domain/5/data", "abs"), 0);
	expect(g5, "/local/domain/5/data", "abs");
	ck_assert_int_eq(tc_write(g5, 0, "data/y", "1"), 0);
	ck_assert_int_eq(tc_event_count(g5), 2);
	expect(g5, "data/y", "rel");
	expect(g5, "/local/domain/5/data/y", "abs");
}
END_TEST

START_TEST(depth_limits_the_subtree)
{
	const char *a[] = { "/d", "t", "1" };

	ck_assert_int_eq(tc_args(w0, XS_WATCH, 0, a, 3, NULL), 0);
	tc_drain_events(w0);
	ck_assert_int_eq(tc_write(d0, 0, "/d/child", "1"), 0);
	expect(w0, "/d/child", "t");
	ck_assert_int_eq(tc_write(d0, 0, "/d/child/grand", "1"), 0);
	ck_assert_int_eq(tc_event_count(w0), 0);
}
END_TEST

START_TEST(duplicates_and_unwatch)
{
	const char *a[] = { "/u", "t" };

	ck_assert_int_eq(tc_watch(w0, "/u", "t"), 0);
	ck_assert_int_eq(tc_watch(w0, "/u", "t"), -EEXIST);
	ck_assert_int_eq(tc_watch(w0, "/u", "t2"), 0);
	tc_drain_events(w0);
	ck_assert_int_eq(tc_args(w0, XS_UNWATCH, 0, a, 2, NULL), 0);
	ck_assert_int_eq(tc_args(w0, XS_UNWATCH, 0, a, 2, NULL), -ENOENT);
	ck_assert_int_eq(tc_write(d0, 0, "/u", "1"), 0);
	ck_assert_int_eq(tc_event_count(w0), 1);
	expect(w0, "/u", "t2");
}
END_TEST

START_TEST(reset_watches_drops_all)
{
	const char *none = "";

	ck_assert_int_eq(tc_watch(w0, "/r", "t"), 0);
	tc_drain_events(w0);
	ck_assert_int_eq(tc_args(w0, XS_RESET_WATCHES, 0, &none, 1, NULL), 0);
	ck_assert_int_eq(tc_write(d0, 0, "/r", "1"), 0);
	ck_assert_int_eq(tc_event_count(w0), 0);
	ck_assert_uint_eq(w0->c->nwatches, 0);
}
END_TEST

START_TEST(guest_only_hears_what_it_may_read)
{
	ck_assert_int_eq(tc_watch(g5, "/local/domain", "all"), 0);
	tc_drain_events(g5);
	ck_assert_int_eq(tc_write(d0, 0, "/local/domain/6/secret", "1"), 0);
	ck_assert_int_eq(tc_event_count(g5), 0);
	ck_assert_int_eq(tc_write(d0, 0, "/local/domain/5/data/mine", "1"), 0);
	expect(g5, "/local/domain/5/data/mine", "all");
}
END_TEST

START_TEST(special_watches)
{
	const char *a[] = { "@releaseDomain", "rel" }, *grant[] = { "n0", "r5" };
	char r[64];

	ck_assert_int_eq(tc_watch(w0, "@introduceDomain", "intro"), 0);
	ck_assert_int_eq(tc_watch(w0, "@releaseDomain", "rel"), 0);
	ck_assert_int_eq(tc_watch(g5, "@releaseDomain", "g"), 0);
	tc_drain_events(w0);
	tc_drain_events(g5);
	watch_fire_special(T_st, "@introduceDomain", 9);
	expect(w0, "@introduceDomain", "intro");
	watch_fire_special(T_st, "@releaseDomain", 9);
	expect(w0, "@releaseDomain", "rel");
	/* Unprivileged: not told, until the special node's perms allow it. */
	ck_assert_int_eq(tc_event_count(g5), 0);
	ck_assert_int_eq(tc_perms(g5, "@releaseDomain", grant, 2), -EACCES);
	ck_assert_int_eq(tc_perms(d0, "@releaseDomain", grant, 2), 0);
	ck_assert_int_eq(tc_args(g5, XS_GET_PERMS, 0, a, 1, r), 0);
	watch_fire_special(T_st, "@releaseDomain", 9);
	expect(g5, "@releaseDomain", "g");
	expect(w0, "@releaseDomain", "rel");
	/* Writes never reach special watches. */
	ck_assert_int_eq(tc_write(d0, 0, "/releaseDomain", "1"), 0);
	ck_assert_int_eq(tc_event_count(w0), 0);
}
END_TEST

START_TEST(slow_client_queue_is_bounded)
{
	char path[32];
	int i;

	ck_assert_int_eq(tc_watch(g5, "data", "t"), 0);
	tc_drain_events(g5);
	g5->blocked = true; /* the guest stops reading */
	for (i = 0; i < 2000; i++) {
		snprintf(path, sizeof(path), "/local/domain/5/data/k%d", i);
		ck_assert_int_eq(tc_write(d0, 0, path, "v"), 0);
	}
	/* The writer was never held up; the guest's queue stopped growing. */
	ck_assert_uint_eq(g5->c->out_events, T_st->quota.events);
	ck_assert(log_has("domain 5: watch event queue full"));
	g5->blocked = false;
	xs_conn_flush(g5->c);
	ck_assert_int_eq(tc_event_count(g5), (int)T_st->quota.events);
}
END_TEST

START_TEST(watch_on_root_sees_everything)
{
	ck_assert_int_eq(tc_watch(w0, "/", "root"), 0);
	expect(w0, "/", "root");
	ck_assert_int_eq(tc_write(d0, 0, "/x/y", "1"), 0);
	expect(w0, "/x/y", "root");
}
END_TEST

Suite *make_watch_suite(void)
{
	Suite *s = suite_create("watch");
	TCase *tc = tcase_create("watch");

	tcase_add_checked_fixture(tc, setup, h_teardown);
	tcase_add_test(tc, fires_once_on_registration);
	tcase_add_test(tc, fires_on_every_change_below);
	tcase_add_test(tc, rm_of_parent_reports_watch_path);
	tcase_add_test(tc, relative_watch_gets_relative_paths);
	tcase_add_test(tc, depth_limits_the_subtree);
	tcase_add_test(tc, duplicates_and_unwatch);
	tcase_add_test(tc, reset_watches_drops_all);
	tcase_add_test(tc, guest_only_hears_what_it_may_read);
	tcase_add_test(tc, special_watches);
	tcase_add_test(tc, slow_client_queue_is_bounded);
	tcase_add_test(tc, watch_on_root_sees_everything);
	suite_add_tcase(s, tc);
	return s;
}
