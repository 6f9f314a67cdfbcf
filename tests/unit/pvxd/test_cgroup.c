/*
 * cgroup.c's v1 and v2 file logic on a fake tree in a temporary
 * directory: the fake mkdir creates the control files a real cgroupfs
 * would show, the fake rmdir removes them, and the tests read back what
 * pvxd wrote (weight and cap mappings, thread ids, threaded setup,
 * removal, and cleaning the trees of pvxd instances that are gone).
 */
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup.h"
#include "harness.h"

static char root[PATH_MAX];
static int fake_v2;

static void touch(const char *dir, const char *file, const char *val)
{
	char p[PATH_MAX + 64];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, file);
	f = fopen(p, "w");
	ck_assert_ptr_nonnull(f);
	fputs(val, f);
	fclose(f);
}

static const char *const v1_files[] = { "cpu.shares", "cpu.cfs_quota_us",
	"cpu.cfs_period_us", "tasks", "cgroup.procs", NULL };
static const char *const v2_files[] = { "cgroup.type", "cgroup.threads",
	"cgroup.procs", "cpu.weight", "cpu.max", "cgroup.subtree_control",
	"cgroup.controllers", NULL };

static int fake_mkdir(const char *path)
{
	const char *const *f;

	if (mkdir(path, 0755) < 0)
		return errno == EEXIST ? 0 : -errno;
	for (f = fake_v2 ? v2_files : v1_files; *f; f++)
		touch(path, *f, !strcmp(*f, "cgroup.controllers") ? "cpu io\n" : "");
	return 0;
}

static int fake_rmdir(const char *path)
{
	const char *const *f;
	char p[PATH_MAX + 64];

	for (f = fake_v2 ? v2_files : v1_files; *f; f++) {
		snprintf(p, sizeof(p), "%s/%s", path, *f);
		unlink(p);
	}
	return rmdir(path) < 0 ? -errno : 0;
}

static int fake_alive(pid_t pid)
{
	return pid == 1000 || pid == 2000;
}

static const struct cg_fs_ops fake_ops = { fake_mkdir, fake_rmdir, fake_alive };

static void read_file(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n;

	ck_assert_msg(f != NULL, "%s missing", path);
	n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
}

static void expect(const char *rel, const char *want)
{
	char p[PATH_MAX * 2], buf[256];

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	read_file(p, buf, sizeof(buf));
	ck_assert_msg(!strcmp(buf, want), "%s: '%s', want '%s'", rel, buf, want);
}

static bool exists(const char *rel)
{
	char p[PATH_MAX * 2];

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	return access(p, F_OK) == 0;
}

static void mk_root(bool v2)
{
	char p[PATH_MAX + 16];

	snprintf(root, sizeof(root), "/tmp/pvx-cg-test.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(root));
	fake_v2 = v2;
	if (v2) {
		touch(root, "cgroup.controllers", "cpuset cpu io memory\n");
		touch(root, "cgroup.subtree_control", "");
		touch(root, "cgroup.procs", "");
		snprintf(p, sizeof(p), "%s/system.slice", root);
		fake_mkdir(p);
	} else {
		snprintf(p, sizeof(p), "%s/cpu", root);
		ck_assert_int_eq(mkdir(p, 0755), 0);
		touch(p, "cpu.shares", "1024");
	}
}

static void rm_root(void)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	ck_assert_int_eq(system(cmd), 0);
}

START_TEST(mappings)
{
	ck_assert_uint_eq(cg_v1_shares(256), 1024);
	ck_assert_uint_eq(cg_v1_shares(512), 2048);
	ck_assert_uint_eq(cg_v1_shares(1), 4);
	ck_assert_uint_eq(cg_v1_shares(65535), 262140);
	ck_assert_uint_eq(cg_v2_weight(256), 100);
	ck_assert_uint_eq(cg_v2_weight(512), 200);
	ck_assert_uint_eq(cg_v2_weight(1), 1);
	ck_assert_uint_eq(cg_v2_weight(65535), 10000);
	ck_assert_int_eq(cg_quota_us(0), -1);
	ck_assert_int_eq(cg_quota_us(25), 25000);
	ck_assert_int_eq(cg_quota_us(150), 150000);
}
END_TEST

START_TEST(v1_domain)
{
	struct cg_host h;

	mk_root(false);
	ck_assert_int_eq(cg_probe(&h, root, "/", 1000, &fake_ops), 0);
	ck_assert_int_eq(h.mode, CG_V1);
	ck_assert_int_eq(cg_dom_create(&h, 7), 0);
	expect("cpu/pvx/pvxd-1000/d7/cpu.shares", "1024");
	expect("cpu/pvx/pvxd-1000/d7/cpu.cfs_quota_us", "-1");
	expect("cpu/pvx/pvxd-1000/d7/cpu.cfs_period_us", "100000");
	ck_assert_int_eq(cg_dom_set(&h, 7, 512, 25), 0);
	expect("cpu/pvx/pvxd-1000/d7/cpu.shares", "2048");
	expect("cpu/pvx/pvxd-1000/d7/cpu.cfs_quota_us", "25000");
	ck_assert_int_eq(cg_dom_set(&h, 7, 0, 0), -EINVAL);
	ck_assert_int_eq(cg_dom_set(&h, 7, 65536, 0), -EINVAL);
	ck_assert_int_eq(cg_dom_add_thread(&h, 7, 4242), 0);
	expect("cpu/pvx/pvxd-1000/d7/tasks", "4242");
	ck_assert_int_eq(cg_dom_add_proc(&h, 7, 4343), 0);
	expect("cpu/pvx/pvxd-1000/d7/cgroup.procs", "4343");
	ck_assert_int_eq(cg_dom_remove(&h, 7), 0);
	ck_assert(!exists("cpu/pvx/pvxd-1000/d7"));
	cg_release(&h);
	ck_assert(!exists("cpu/pvx/pvxd-1000"));
	rm_root();
}
END_TEST

START_TEST(v2_domain)
{
	struct cg_host h;

	mk_root(true);
	ck_assert_int_eq(cg_probe(&h, root, "/system.slice", 1000, &fake_ops), 0);
	ck_assert_msg(h.mode == CG_V2, "%s", h.why);
	/* pvxd moved into its threaded domain root, cpu delegated down. */
	expect("system.slice/pvx/pvxd-1000/cgroup.procs", "1000");
	expect("system.slice/cgroup.subtree_control", "+cpu");
	expect("system.slice/pvx/cgroup.subtree_control", "+cpu");
	expect("system.slice/pvx/pvxd-1000/cgroup.subtree_control", "+cpu");
	expect("system.slice/pvx/pvxd-1000/hold/cgroup.type", "threaded");
	ck_assert_int_eq(cg_dom_create(&h, 3), 0);
	expect("system.slice/pvx/pvxd-1000/d3/cgroup.type", "threaded");
	expect("system.slice/pvx/pvxd-1000/d3/cpu.weight", "100");
	expect("system.slice/pvx/pvxd-1000/d3/cpu.max", "max 100000");
	ck_assert_int_eq(cg_dom_set(&h, 3, 512, 25), 0);
	expect("system.slice/pvx/pvxd-1000/d3/cpu.weight", "200");
	expect("system.slice/pvx/pvxd-1000/d3/cpu.max", "25000 100000");
	ck_assert_int_eq(cg_dom_add_thread(&h, 3, 77), 0);
	expect("system.slice/pvx/pvxd-1000/d3/cgroup.threads", "77");
	ck_assert_int_eq(cg_dom_remove(&h, 3), 0);
	ck_assert(!exists("system.slice/pvx/pvxd-1000/d3"));
	rm_root();
}
END_TEST

START_TEST(none_without_controller)
{
	struct cg_host h;
	char p[PATH_MAX + 16];

	mk_root(false);
	snprintf(p, sizeof(p), "%s/cpu/cpu.shares", root);
	unlink(p);
	ck_assert_int_eq(cg_probe(&h, root, "/", 1000, &fake_ops), 0);
	ck_assert_int_eq(h.mode, CG_NONE);
	ck_assert(strstr(h.why, "no cgroup cpu controller"));
	ck_assert_int_eq(cg_dom_create(&h, 1), -EOPNOTSUPP);
	ck_assert_int_eq(cg_dom_set(&h, 1, 256, 0), -EOPNOTSUPP);
	ck_assert_int_eq(cg_dom_remove(&h, 1), 0);
	rm_root();
	/* v2 without cpu among the controllers. */
	mk_root(true);
	touch(root, "cgroup.controllers", "io memory\n");
	ck_assert_int_eq(cg_probe(&h, root, "/", 1000, &fake_ops), 0);
	ck_assert_int_eq(h.mode, CG_NONE);
	rm_root();
}
END_TEST

START_TEST(stale_trees_cleaned)
{
	struct cg_host h, other;

	mk_root(false);
	/* pvxd 3000 crashed with two domains; pvxd 2000 still runs. */
	ck_assert_int_eq(cg_probe(&other, root, "/", 3000, &fake_ops), 0);
	ck_assert_int_eq(cg_dom_create(&other, 1), 0);
	ck_assert_int_eq(cg_dom_create(&other, 2), 0);
	ck_assert_int_eq(cg_probe(&other, root, "/", 2000, &fake_ops), 0);
	ck_assert_int_eq(cg_dom_create(&other, 1), 0);
	ck_assert_int_eq(cg_probe(&h, root, "/", 1000, &fake_ops), 0);
	cg_clean_stale(&h);
	ck_assert(!exists("cpu/pvx/pvxd-3000"));
	ck_assert(exists("cpu/pvx/pvxd-2000/d1"));
	ck_assert(exists("cpu/pvx/pvxd-1000"));
	rm_root();
}
END_TEST

Suite *make_cgroup_suite(void)
{
	Suite *s = suite_create("cgroup");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, mappings);
	tcase_add_test(tc, v1_domain);
	tcase_add_test(tc, v2_domain);
	tcase_add_test(tc, none_without_controller);
	tcase_add_test(tc, stale_trees_cleaned);
	suite_add_tcase(s, tc);
	return s;
}
