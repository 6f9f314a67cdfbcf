/*
 * The socket protocol's line parser: every command in its good forms,
 * and a table of malformed lines that must all be refused.
 */
#include <errno.h>
#include <string.h>

#include "../../../dom0-tools/consoled/consoled.h"
#include "harness.h"

START_TEST(good_lines)
{
	struct cons_req r;
	char why[128];

	ck_assert_int_eq(cons_proto_parse("add 5 web-1", &r, why, sizeof(why)), 0);
	ck_assert_int_eq(r.op, CONS_OP_ADD);
	ck_assert_int_eq(r.domid, 5);
	ck_assert_str_eq(r.name, "web-1");
	ck_assert_int_eq(cons_proto_parse("attach 32751", &r, why, sizeof(why)), 0);
	ck_assert_int_eq(r.op, CONS_OP_ATTACH);
	ck_assert_int_eq(r.domid, 32751);
	ck_assert(r.rw);
	ck_assert_int_eq(cons_proto_parse("attach 7 ro", &r, why, sizeof(why)), 0);
	ck_assert(!r.rw);
	ck_assert_int_eq(cons_proto_parse("attach 7 rw\r", &r, why, sizeof(why)), 0);
	ck_assert(r.rw);
	ck_assert_int_eq(cons_proto_parse("remove 9", &r, why, sizeof(why)), 0);
	ck_assert_int_eq(r.op, CONS_OP_REMOVE);
	ck_assert_int_eq(cons_proto_parse("list", &r, why, sizeof(why)), 0);
	ck_assert_int_eq(r.op, CONS_OP_LIST);
	ck_assert_int_eq(cons_proto_parse("ping", &r, why, sizeof(why)), 0);
	ck_assert_int_eq(r.op, CONS_OP_PING);
}
END_TEST

static const struct { const char *line, *why; } bad[] = {
	{ "", "malformed line: ''" },
	{ " add 5 x", "malformed line: ' add 5 x'" },
	{ "add  5 x", "malformed line: 'add  5 x'" },
	{ "add 5 x ", "malformed line: 'add 5 x '" },
	{ "bogus", "unknown command: 'bogus'" },
	{ "ADD 5 x", "unknown command: 'ADD'" },
	{ "add 5", "wrong number of arguments: 'add'" },
	{ "add 5 x y", "wrong number of arguments: 'add'" },
	{ "list 1", "wrong number of arguments: 'list'" },
	{ "attach", "wrong number of arguments: 'attach'" },
	{ "add 0 x", "bad domain id: '0'" },
	{ "add -1 x", "bad domain id: '-1'" },
	{ "add 32752 x", "bad domain id: '32752'" },
	{ "add 99999999999 x", "bad domain id: '99999999999'" },
	{ "add 0x5 x", "bad domain id: '0x5'" },
	{ "remove 5a", "bad domain id: '5a'" },
	{ "add 5 ../etc", "bad domain name: '../etc'" },
	{ "add 5 a/b", "bad domain name: 'a/b'" },
	{ "add 5 .hidden", "bad domain name: '.hidden'" },
	{ "add 5 0123456789012345678901234567890123456789012345678901234567890123",
	  "bad domain name: '0123456789012345678901234567890123456789'" },
	{ "attach 5 rx", "mode must be rw or ro: 'rx'" },
	{ "attach 5 rw x", "wrong number of arguments: 'attach'" },
	{ "attach 5 rw x y", "malformed line: 'attach 5 rw x y'" },
};

START_TEST(bad_lines)
{
	struct cons_req r;
	char why[128];

	ck_assert_int_eq(cons_proto_parse(bad[_i].line, &r, why, sizeof(why)), -EINVAL);
	ck_assert_str_eq(why, bad[_i].why);
}
END_TEST

START_TEST(too_long)
{
	char line[PVX_CONSOLED_LINE_MAX + 10], why[128];
	struct cons_req r;

	memset(line, 'a', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	ck_assert_int_eq(cons_proto_parse(line, &r, why, sizeof(why)), -EINVAL);
	ck_assert_str_eq(why, "line too long: ''");
}
END_TEST

START_TEST(errno_names)
{
	ck_assert_str_eq(cons_errno_name(ESRCH), "ESRCH");
	ck_assert_int_eq(cons_errno_value("EEXIST"), EEXIST);
	ck_assert_int_eq(cons_errno_value("EWHATEVER"), EIO);
	ck_assert_str_eq(cons_errno_name(12345), "EIO");
}
END_TEST

Suite *make_proto_suite(void)
{
	Suite *s = suite_create("proto");
	TCase *tc = tcase_create("proto");

	tcase_add_test(tc, good_lines);
	tcase_add_loop_test(tc, bad_lines, 0, (int)(sizeof(bad) / sizeof(bad[0])));
	tcase_add_test(tc, too_long);
	tcase_add_test(tc, errno_names);
	suite_add_tcase(s, tc);
	return s;
}
