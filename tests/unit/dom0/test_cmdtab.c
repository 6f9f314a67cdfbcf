/*
 * The pvx command table: every row has help, `pvx help` lists every row,
 * prefixes resolve or are reported as ambiguous with their candidates,
 * and a command with no pvxd running says so in one line.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../../dom0-tools/pvx/cmd.h"
#include "suites.h"

struct capture {
	char out[16384], err[4096];
	int rc;
};

static void slurp(FILE *f, char *buf, size_t len)
{
	size_t n;

	fflush(f);
	rewind(f);
	n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
}

/* Runs the CLI with stdout and stderr captured. */
static void run(struct capture *c, int argc, char **argv)
{
	FILE *o = tmpfile(), *e = tmpfile();
	int so = dup(1), se = dup(2);

	ck_assert_ptr_nonnull(o);
	ck_assert_ptr_nonnull(e);
	fflush(stdout);
	fflush(stderr);
	dup2(fileno(o), 1);
	dup2(fileno(e), 2);
	c->rc = pvx_main(argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(so, 1);
	dup2(se, 2);
	close(so);
	close(se);
	slurp(o, c->out, sizeof(c->out));
	slurp(e, c->err, sizeof(c->err));
	fclose(o);
	fclose(e);
}

START_TEST(every_row_has_help)
{
	const struct pvx_cmd *row = &pvx_cmds[_i];
	struct capture c;
	char want[64];

	ck_assert_ptr_nonnull(row->name);
	ck_assert_uint_gt(strlen(row->summary), 5);
	ck_assert_uint_gt(strlen(row->usage), 0);
	ck_assert_msg(strncmp(row->usage, row->name, strlen(row->name)) == 0,
		      "usage of %s must start with its name", row->name);
	ck_assert_msg(row->fn != NULL, "%s has no function", row->name);
	run(&c, 3, (char *[]){ "pvx", "help", (char *)row->name, NULL });
	ck_assert_int_eq(c.rc, 0);
	snprintf(want, sizeof(want), "usage: pvx %s", row->name);
	ck_assert_msg(strstr(c.out, want), "help %s printed '%s'", row->name, c.out);
	ck_assert_str_eq(c.err, "");
}
END_TEST

START_TEST(help_lists_every_row)
{
	struct capture c;
	char want[128];
	int width = 0;

	/* Summaries start in one column, after the longest name. */
	for (size_t i = 0; i < pvx_ncmds; i++)
		if ((int)strlen(pvx_cmds[i].name) > width)
			width = (int)strlen(pvx_cmds[i].name);
	run(&c, 2, (char *[]){ "pvx", "help", NULL });
	ck_assert_int_eq(c.rc, 0);
	for (size_t i = 0; i < pvx_ncmds; i++) {
		snprintf(want, sizeof(want), "  %-*s %s", width, pvx_cmds[i].name,
			 pvx_cmds[i].summary);
		ck_assert_msg(strstr(c.out, want), "help lacks '%s'", want);
	}
	/* No command is a usage error: the list goes to stderr, exit 2. */
	run(&c, 1, (char *[]){ "pvx", NULL });
	ck_assert_int_eq(c.rc, 2);
	ck_assert_ptr_nonnull(strstr(c.err, "Commands:"));
	ck_assert_str_eq(c.out, "");
}
END_TEST

START_TEST(names_unique)
{
	for (size_t i = 0; i < pvx_ncmds; i++)
		for (size_t j = i + 1; j < pvx_ncmds; j++)
			ck_assert_str_ne(pvx_cmds[i].name, pvx_cmds[j].name);
}
END_TEST

static const struct {
	const char *in;
	const char *want; /* NULL: none */
	size_t nmatch;
} lookups[] = {
	{ "create", "create", 1 }, { "cr", "create", 1 }, { "dm", "dmesg", 1 },
	{ "de", "destroy", 1 }, { "dom", NULL, 2 }, { "domi", "domid", 1 },
	{ "domn", "domname", 1 }, { "d", NULL, 5 }, { "l", "list", 1 },
	{ "unp", "unpause", 1 }, { "p", "pause", 1 }, { "re", NULL, 3 },
	{ "res", "restore", 1 }, { "sa", "save", 1 }, { "snapshot-c", "snapshot-create", 1 },
	{ "reb", "reboot", 1 }, { "zzz", NULL, 0 }, { "", NULL, 0 },
	{ "createx", NULL, 0 }, { "help", "help", 1 }, { "ve", "version", 1 },
	{ "v", NULL, 3 }, { "vcpu-p", "vcpu-pin", 1 }, { "sch", "sched-credit", 1 },
};

START_TEST(prefix_lookup)
{
	size_t n = 99;
	const struct pvx_cmd *c = pvx_cmd_lookup(lookups[_i].in, &n);
	size_t want_n = lookups[_i].nmatch;

	if (lookups[_i].want) {
		ck_assert_ptr_nonnull(c);
		ck_assert_str_eq(c->name, lookups[_i].want);
	} else {
		ck_assert_ptr_null(c);
	}
	ck_assert_uint_eq(n, want_n);
}
END_TEST

/* "c" selects create alone until the console row is linked in. */
START_TEST(prefix_c_depends_on_console)
{
	size_t n;
	bool console = pvx_cmd_lookup("console", &n) != NULL;
	const struct pvx_cmd *c = pvx_cmd_lookup("c", &n);

	ck_assert_uint_eq(n, console ? 2 : 1);
	if (console)
		ck_assert_ptr_null(c);
	else
		ck_assert_str_eq(c->name, "create");
}
END_TEST

START_TEST(ambiguous_reports_candidates)
{
	struct capture c;

	run(&c, 3, (char *[]){ "pvx", "dom", "x", NULL });
	ck_assert_int_eq(c.rc, 2);
	ck_assert_str_eq(c.err, "pvx: 'dom' is ambiguous: it could be domid, domname\n");
	run(&c, 2, (char *[]){ "pvx", "frobnicate", NULL });
	ck_assert_int_eq(c.rc, 2);
	ck_assert_ptr_nonnull(strstr(c.err, "unknown command 'frobnicate'"));
	run(&c, 3, (char *[]){ "pvx", "help", "re", NULL });
	ck_assert_int_ne(c.rc, 0);
	ck_assert_ptr_nonnull(strstr(c.err, "ambiguous"));
}
END_TEST

/* Commands that need pvxd, run with an empty run directory. */
static const char *const need_pvxd[][3] = {
	{ "list" }, { "info" }, { "destroy", "x" }, { "pause", "x" },
	{ "unpause", "x" }, { "dmesg" }, { "uptime" }, { "domid", "x" },
	{ "domname", "1" }, { "rename", "x", "y" }, { "shutdown", "x" },
	{ "reboot", "x" },
};

START_TEST(no_pvxd_one_line)
{
	char dir[] = "/tmp/pvx-ut.XXXXXX";
	char *argv[5] = { "pvx" };
	struct capture c;
	int argc = 1;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	setenv("PVX_RUNDIR", dir, 1);
	for (int k = 0; k < 3 && need_pvxd[_i][k]; k++)
		argv[argc++] = (char *)need_pvxd[_i][k];
	argv[argc] = NULL;
	run(&c, argc, argv);
	rmdir(dir);
	ck_assert_int_eq(c.rc, 1);
	ck_assert_msg(strncmp(c.err, "pvx: pvxd is not running (no socket at /tmp/pvx-ut.", 51) == 0,
		      "%s: %s", argv[1], c.err);
	ck_assert_ptr_eq(strchr(c.err, '\n'), c.err + strlen(c.err) - 1);
}
END_TEST

START_TEST(usage_errors)
{
	struct capture c;

	run(&c, 2, (char *[]){ "pvx", "create", NULL });
	ck_assert_int_eq(c.rc, 2);
	ck_assert_ptr_nonnull(strstr(c.err, "missing config FILE"));
	run(&c, 2, (char *[]){ "pvx", "destroy", NULL });
	ck_assert_int_eq(c.rc, 2);
	ck_assert_ptr_nonnull(strstr(c.err, "see 'pvx help destroy'"));
	run(&c, 3, (char *[]){ "pvx", "daemons", "restart", NULL });
	ck_assert_int_eq(c.rc, 2);
}
END_TEST

Suite *make_cmdtab_suite(void)
{
	Suite *s = suite_create("cmdtab");
	TCase *t = tcase_create("core");

	tcase_add_loop_test(t, every_row_has_help, 0, (int)pvx_ncmds);
	tcase_add_test(t, help_lists_every_row);
	tcase_add_test(t, names_unique);
	tcase_add_loop_test(t, prefix_lookup, 0, sizeof(lookups) / sizeof(lookups[0]));
	tcase_add_test(t, prefix_c_depends_on_console);
	tcase_add_test(t, ambiguous_reports_candidates);
	tcase_add_loop_test(t, no_pvxd_one_line, 0, sizeof(need_pvxd) / sizeof(need_pvxd[0]));
	tcase_add_test(t, usage_errors);
	suite_add_tcase(s, t);
	return s;
}
