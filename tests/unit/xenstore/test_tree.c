/*
 * The tree and permissions: implicit parents, relative paths, rm
 * semantics, directory order, DIRECTORY_PART, and that a guest can
 * neither read nor write another domain's keys nor learn whether they
 * exist; a refused request leaves the store unchanged.
 */
#include <stdio.h>
#include <string.h>

#include "harness.h"

static struct tc *d0, *g5, *g6;

/* The layout libxl writes: home [n0,rD], data/ guest-owned [nD]. */
static void make_home(uint32_t domid)
{
	char path[64], own[16], rd[16];
	const char *p1[] = { "n0", rd }, *p2[] = { own };

	snprintf(rd, sizeof(rd), "r%u", domid);
	snprintf(own, sizeof(own), "n%u", domid);
	snprintf(path, sizeof(path), "/local/domain/%u/name", domid);
	ck_assert_int_eq(tc_write(d0, 0, path, "guest"), 0);
	snprintf(path, sizeof(path), "/local/domain/%u", domid);
	ck_assert_int_eq(tc_perms(d0, path, p1, 2), 0);
	snprintf(path, sizeof(path), "/local/domain/%u/name", domid);
	ck_assert_int_eq(tc_perms(d0, path, p1, 2), 0);
	snprintf(path, sizeof(path), "/local/domain/%u/data", domid);
	ck_assert_int_eq(tc_simple(d0, XS_MKDIR, 0, path), 0);
	ck_assert_int_eq(tc_perms(d0, path, p2, 1), 0);
}

static void setup(void)
{
	h_setup();
	d0 = tc_new(0, true);
	g5 = tc_new(5, false);
	g6 = tc_new(6, false);
	make_home(5);
	make_home(6);
}

START_TEST(write_read_implicit_parents)
{
	char v[XENSTORE_PAYLOAD_MAX + 1];

	ck_assert_int_eq(tc_write(d0, 0, "/a/b/c", "hello"), 0);
	ck_assert_int_eq(tc_read(d0, 0, "/a/b/c", v), 5);
	ck_assert_str_eq(v, "hello");
	ck_assert_int_eq(tc_read(d0, 0, "/a/b", v), 0);
	ck_assert_int_eq(tc_read(d0, 0, "/a", v), 0);
	ck_assert_int_eq(tc_read(d0, 0, "/a/x", v), -ENOENT);
	ck_assert_int_eq(tc_write(d0, 0, "/a/b/c", "bye"), 0);
	ck_assert_int_eq(tc_read(d0, 0, "/a/b/c", v), 3);
	ck_assert_str_eq(v, "bye");
}
END_TEST

START_TEST(value_with_nul_bytes)
{
	static const char payload[] = "/bin\0a\0b\0c";
	char r[64];
	uint32_t len;

	ck_assert_uint_eq(tc_req(d0, XS_WRITE, 0, payload, sizeof(payload) - 1,
				 r, NULL), XS_WRITE);
	ck_assert_uint_eq(tc_req(d0, XS_READ, 0, "/bin", 5, r, &len), XS_READ);
	ck_assert_uint_eq(len, 5);
	ck_assert_int_eq(memcmp(r, "a\0b\0c", 5), 0);
}
END_TEST

START_TEST(relative_paths_are_under_home)
{
	char v[64];

	ck_assert_int_eq(tc_write(g5, 0, "data/x", "1"), 0);
	ck_assert_int_eq(tc_read(d0, 0, "/local/domain/5/data/x", v), 1);
	ck_assert_int_eq(tc_read(g5, 0, "data/x", v), 1);
	ck_assert_int_eq(tc_read(g5, 0, "name", v), 5);
}
END_TEST

START_TEST(guest_cannot_touch_other_domain)
{
	char v[64];
	unsigned before;

	ck_assert_int_eq(tc_write(g6, 0, "data/secret", "s"), 0);
	before = T_st->nnodes;
	ck_assert_int_eq(tc_read(g5, 0, "/local/domain/6/data/secret", v), -EACCES);
	ck_assert_int_eq(tc_read(g5, 0, "/local/domain/6/name", v), -EACCES);
	ck_assert_int_eq(tc_write(g5, 0, "/local/domain/6/data/secret", "x"), -EACCES);
	ck_assert_int_eq(tc_write(g5, 0, "/local/domain/6/data/new/deep", "x"), -EACCES);
	ck_assert_int_eq(tc_simple(g5, XS_RM, 0, "/local/domain/6/data/secret"), -EACCES);
	ck_assert_int_eq(tc_simple(g5, XS_MKDIR, 0, "/local/domain/6/data/d"), -EACCES);
	ck_assert_int_eq(tc_simple(g5, XS_DIRECTORY, 0, "/local/domain/6/data"), -EACCES);
	ck_assert_int_eq(tc_simple(g5, XS_GET_PERMS, 0, "/local/domain/6/data"), -EACCES);
	/* Refused requests changed nothing. */
	ck_assert_uint_eq(T_st->nnodes, before);
	ck_assert_int_eq(tc_read(g6, 0, "data/secret", v), 1);
	ck_assert_str_eq(v, "s");
}
END_TEST

START_TEST(existence_does_not_leak)
{
	char v[64];

	/* Missing below an unreadable node: EACCES, like an existing one. */
	ck_assert_int_eq(tc_read(g5, 0, "/local/domain/6/data/missing", v), -EACCES);
	ck_assert_int_eq(tc_read(g5, 0, "/local/domain/6/nothing/here", v), -EACCES);
	/* Missing below a readable node: ENOENT. */
	ck_assert_int_eq(tc_read(g5, 0, "data/missing", v), -ENOENT);
}
END_TEST

START_TEST(guest_home_is_read_only_to_guest)
{
	char v[64];

	ck_assert_int_eq(tc_read(g5, 0, "name", v), 5);
	ck_assert_int_eq(tc_write(g5, 0, "name", "evil"), -EACCES);
	ck_assert_int_eq(tc_write(g5, 0, "newkey", "x"), -EACCES);
}
END_TEST

START_TEST(guest_created_nodes_are_owned_by_guest)
{
	char r[256];

	ck_assert_int_eq(tc_write(g5, 0, "data/a/b", "v"), 0);
	ck_assert_uint_eq(tc_req(g5, XS_GET_PERMS, 0, "data/a/b", 9, r, NULL),
			  XS_GET_PERMS);
	ck_assert_str_eq(r, "n5");
	ck_assert_uint_eq(domain_nodes(T_st, 5), 3); /* data, a, b */
}
END_TEST

START_TEST(set_perms_rules)
{
	const char *to6[] = { "n6" }, *keep[] = { "n5", "r6" }, *many[] = { "n5", "r6" };
	char v[64];

	ck_assert_int_eq(tc_write(g5, 0, "data/shared", "x"), 0);
	/* Only the control domain may give a node away. */
	ck_assert_int_eq(tc_perms(g5, "/local/domain/5/data/shared", to6, 1), -EPERM);
	/* Not the owner: no permission change at all. */
	ck_assert_int_eq(tc_perms(g6, "/local/domain/5/data/shared", many, 2), -EACCES);
	ck_assert_int_eq(tc_read(g6, 0, "/local/domain/5/data/shared", v), -EACCES);
	/* The owner grants read to 6: now 6 reads, but cannot write. */
	ck_assert_int_eq(tc_perms(g5, "/local/domain/5/data/shared", keep, 2), 0);
	ck_assert_int_eq(tc_read(g6, 0, "/local/domain/5/data/shared", v), 1);
	ck_assert_int_eq(tc_write(g6, 0, "/local/domain/5/data/shared", "y"), -EACCES);
	/* Dom0 may change the owner, and accounting follows. */
	ck_assert_int_eq(tc_perms(d0, "/local/domain/5/data/shared", to6, 1), 0);
	ck_assert_uint_eq(domain_nodes(T_st, 6), 2);
	ck_assert_int_eq(tc_perms(d0, "/nope", to6, 1), -ENOENT);
	ck_assert_int_eq(tc_simple(d0, XS_SET_PERMS, 0, "/local"), -EINVAL);
}
END_TEST

START_TEST(bad_perm_strings)
{
	const char *bad[][1] = { { "x5" }, { "r" }, { "r-1" }, { "r99999" }, { "" } };
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_int_eq(tc_perms(d0, "/local", bad[i], 1), -EINVAL);
}
END_TEST

START_TEST(rm_semantics)
{
	char v[64];
	unsigned before = T_st->nnodes;

	ck_assert_int_eq(tc_write(d0, 0, "/t/a/b", "1"), 0);
	ck_assert_int_eq(tc_write(d0, 0, "/t/a/c", "2"), 0);
	ck_assert_uint_eq(T_st->nnodes, before + 4);
	ck_assert_int_eq(tc_simple(d0, XS_RM, 0, "/t/a"), 0);
	ck_assert_int_eq(tc_read(d0, 0, "/t/a/b", v), -ENOENT);
	ck_assert_uint_eq(T_st->nnodes, before + 1);
	/* Missing node, existing parent: OK. Missing parent: ENOENT. */
	ck_assert_int_eq(tc_simple(d0, XS_RM, 0, "/t/a"), 0);
	ck_assert_int_eq(tc_simple(d0, XS_RM, 0, "/t/x/y"), -ENOENT);
	ck_assert_int_eq(tc_simple(d0, XS_RM, 0, "/"), -EINVAL);
}
END_TEST

START_TEST(mkdir_and_directory_order)
{
	char names[256];

	ck_assert_int_eq(tc_simple(d0, XS_MKDIR, 0, "/o/zeta"), 0);
	ck_assert_int_eq(tc_simple(d0, XS_MKDIR, 0, "/o/alpha"), 0);
	ck_assert_int_eq(tc_write(d0, 0, "/o/mid", "v"), 0);
	ck_assert_int_eq(tc_simple(d0, XS_MKDIR, 0, "/o/mid"), 0);
	ck_assert_int_eq(tc_dir(d0, 0, "/o", names), 0);
	ck_assert_str_eq(names, "zeta,alpha,mid");
	ck_assert_int_eq(tc_read(d0, 0, "/o/mid", names), 1); /* mkdir kept it */
	ck_assert_int_eq(tc_dir(d0, 0, "/o/zeta", names), 0);
	ck_assert_str_eq(names, "");
	ck_assert_int_eq(tc_dir(d0, 0, "/nope", names), -ENOENT);
}
END_TEST

START_TEST(get_domain_path)
{
	char r[64];

	ck_assert_int_eq(tc_args(g5, XS_GET_DOMAIN_PATH, 0,
				 (const char *[]){ "17" }, 1, r), 0);
	ck_assert_str_eq(r, "/local/domain/17");
	ck_assert_int_eq(tc_simple(g5, XS_GET_DOMAIN_PATH, 0, "x"), -EINVAL);
	ck_assert_int_eq(tc_simple(g5, XS_GET_DOMAIN_PATH, 0, "65535"), -EINVAL);
}
END_TEST

START_TEST(directory_part_pages_a_big_directory)
{
	char path[64], r[XENSTORE_PAYLOAD_MAX + 1], off[16];
	uint32_t len, at, got = 0, offset = 0;
	const char *a[2];
	int i;

	for (i = 0; i < 1000; i++) {
		snprintf(path, sizeof(path), "/big/child-number-%04d", i);
		ck_assert_int_eq(tc_simple(d0, XS_MKDIR, 0, path), 0);
	}
	/* 1000 names of 18 bytes do not fit one reply. */
	ck_assert_int_eq(tc_simple(d0, XS_DIRECTORY, 0, "/big"), -E2BIG);
	for (;;) {
		char buf[64];
		size_t pl = 5;

		snprintf(off, sizeof(off), "%u", offset);
		a[0] = "/big";
		a[1] = off;
		memcpy(buf, "/big", 5);
		memcpy(buf + pl, off, strlen(off) + 1);
		ck_assert_uint_eq(tc_req(d0, XS_DIRECTORY_PART, 0, buf,
					 pl + strlen(off) + 1, r, &len),
				  XS_DIRECTORY_PART);
		at = strlen(r) + 1; /* generation */
		if (at == len - 1 && r[at] == '\0')
			break; /* just the end marker */
		while (at < len && r[at]) {
			snprintf(path, sizeof(path), "child-number-%04u", got);
			ck_assert_str_eq(r + at, path);
			offset += strlen(r + at) + 1;
			at += strlen(r + at) + 1;
			got++;
		}
		if (at < len)
			break; /* end marker after the last names */
	}
	ck_assert_uint_eq(got, 1000);
	(void)a;
}
END_TEST

START_TEST(invalid_paths)
{
	static const char *bad[] = {
		"", "/a//b", "/a/", "a/../b", "/a b", "/caf\xc3\xa9", "/\xff",
		"/a\tb", "@releaseDomain",
	};
	char v[64];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_eq(tc_read(d0, 0, bad[i], v), -EINVAL);
		ck_assert_int_eq(tc_write(d0, 0, bad[i], "x"), -EINVAL);
	}
}
END_TEST

START_TEST(path_length_limits)
{
	static char p[XENSTORE_ABS_PATH_MAX + 8];
	char v[8];

	memset(p, 'a', sizeof(p));
	p[0] = '/';
	p[XENSTORE_ABS_PATH_MAX - 1] = '\0'; /* 3071 bytes: allowed */
	ck_assert_int_eq(tc_read(d0, 0, p, v), -ENOENT);
	p[XENSTORE_ABS_PATH_MAX - 1] = 'a';
	p[XENSTORE_ABS_PATH_MAX] = '\0';     /* 3072 bytes: too long */
	ck_assert_int_eq(tc_read(d0, 0, p, v), -EINVAL);
	/* Relative: 2047 bytes allowed, 2048 not. */
	memset(p, 'a', sizeof(p));
	p[1 + XENSTORE_REL_PATH_MAX - 1] = '\0';
	ck_assert_int_eq(tc_read(g5, 0, p + 1, v), -ENOENT);
	p[1 + XENSTORE_REL_PATH_MAX - 1] = 'a';
	p[1 + XENSTORE_REL_PATH_MAX] = '\0';
	ck_assert_int_eq(tc_read(g5, 0, p + 1, v), -EINVAL);
}
END_TEST

START_TEST(control_check_is_consistent)
{
	char r[XENSTORE_PAYLOAD_MAX + 1];

	ck_assert_int_eq(tc_write(g5, 0, "data/q", "1"), 0);
	ck_assert_int_eq(tc_simple(d0, XS_RM, 0, "/local/domain/6"), 0);
	ck_assert_int_eq(tc_args(d0, XS_CONTROL, 0, (const char *[]){ "check" }, 1, r), 0);
	ck_assert_str_eq(r, "OK");
	ck_assert_int_eq(tc_simple(g5, XS_CONTROL, 0, "check"), -EACCES);
	ck_assert_int_eq(tc_simple(d0, XS_CONTROL, 0, "bogus"), -EINVAL);
}
END_TEST

Suite *make_tree_suite(void)
{
	Suite *s = suite_create("tree");
	TCase *tc = tcase_create("tree");

	tcase_add_checked_fixture(tc, setup, h_teardown);
	tcase_add_test(tc, write_read_implicit_parents);
	tcase_add_test(tc, value_with_nul_bytes);
	tcase_add_test(tc, relative_paths_are_under_home);
	tcase_add_test(tc, guest_cannot_touch_other_domain);
	tcase_add_test(tc, existence_does_not_leak);
	tcase_add_test(tc, guest_home_is_read_only_to_guest);
	tcase_add_test(tc, guest_created_nodes_are_owned_by_guest);
	tcase_add_test(tc, set_perms_rules);
	tcase_add_test(tc, bad_perm_strings);
	tcase_add_test(tc, rm_semantics);
	tcase_add_test(tc, mkdir_and_directory_order);
	tcase_add_test(tc, get_domain_path);
	tcase_add_test(tc, directory_part_pages_a_big_directory);
	tcase_add_test(tc, invalid_paths);
	tcase_add_test(tc, path_length_limits);
	tcase_add_test(tc, control_check_is_consistent);
	suite_add_tcase(s, tc);
	return s;
}
