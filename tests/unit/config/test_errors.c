/*
 * Malformed configs, table-driven: each must fail with exactly the line
 *   t.cfg:LINE: MESSAGE near 'TOKEN'
 * where LINE and TOKEN point at the root cause, and MESSAGE contains the
 * expected words. One row per way to get a config wrong.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "harness.h"

struct bad {
	const char *text;
	int line;
	const char *msg;    /* a substring of the message */
	const char *token;
};

static const struct bad bad[] = {
	/* lexical */
	{ "name = \"abc", 1, "unterminated string", "\"abc" },
	{ "name = 'x'\r\n  kernel = 'k", 2, "unterminated string", "'k" },
	{ "cmdline = \"a\\qb\"", 1, "unknown escape sequence", "\\q" },
	{ "cmdline = \"\\x\"", 1, "\\x needs hex digits", "\\x" },
	{ "cmdline = \"\\400\"", 1, "octal escape above \\377", "\\400" },
	{ "cmdline = \"a\\0b\"", 1, "NUL byte in a string", "\\0" },
	{ "cmdline = \"a\x01\"", 1, "control character in a string", "\\x01" },
	{ "memory = 12x", 1, "bad number", "12x" },
	{ "memory = 09", 1, "bad number", "09" },
	{ "memory = 1.5", 1, "bad number", "1.5" },
	{ "memory = 0x", 1, "bad number", "0x" },
	{ "name = \"a\" + \"b\"", 1, "unexpected character", "+" },
	{ "memory = -1", 1, "unexpected character", "-" },
	/* syntax */
	{ "memory 128", 1, "expected '=' or '+=' after the key", "128" },
	{ "memory\n= 128", 1, "expected '=' or '+=' after the key", "end of line" },
	{ "= 5", 1, "expected a key", "=" },
	{ "Memory = 64", 1, "a key is lower-case", "Memory" },
	{ "name = abc", 1, "expected a value", "abc" },
	{ "memory = 64 128", 1, "expected a new line or ';' after the value", "128" },
	{ "name = 'x'\ndisk = [ 'a',\n 'b'\n", 2, "list is never closed", "[" },
	{ "vif = [ 'a' 'b' ]", 1, "expected ',' or ']' in a list", "'b'" },
	{ "vif = [ , ]", 1, "expected a value", "," },
	{ "x = [[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]", 1, "nested too deeply", "[" },
	{ "memory = ", 1, "expected a value", "end of file" },
	/* += */
	{ "memory = 64\nmemory += 1", 2, "'+=' cannot append to the number", "memory" },
	{ "extra = 'a'\nextra += [ 'b' ]", 2, "cannot append a list", "extra" },
	/* value types and ranges */
	{ "memory = [ 1 ]", 1, "must be a number, not a list", "[" },
	{ "cmdline = [ \"a\" ]", 1, "must be a single value", "[" },
	{ "vcpus = \"two\"", 1, "'vcpus' must be a number", "two" },
	{ "memory = 0", 1, "'memory' must be between 1 and 1048576", "0" },
	{ "memory = 99999999", 1, "'memory' must be between", "99999999" },
	{ "memory = 18446744073709551616", 1, "number too large", "18446744073709551616" },
	{ "memory = \"12Q\"", 1, "'memory' must be MiB, or a size", "12Q" },
	{ "memory = \"1536K\"", 1, "whole number of MiB", "1536K" },
	{ "maxmem = \"2T\"", 1, "'maxmem' must be MiB, or a size", "2T" },
	{ "vcpus = 0", 1, "'vcpus' must be between 1 and 32", "0" },
	{ "vcpus = 33", 1, "'vcpus' must be between 1 and 32", "33" },
	{ "max_grant_frames = 0", 1, "'max_grant_frames' must be between", "0" },
	{ "uuid = \"1234\"", 1, "'uuid' must look like", "1234" },
	{ "uuid = \"0123456789ab-cdef-0123-4567-89abcdef0123\"", 1, "'uuid' must look like",
	  "0123456789ab-cdef-0123-4567-89abcdef0123" },
	{ "uuid = \"01234567-89ab-cdef-0123-456789abcdefa\"", 1, "'uuid' must look like",
	  "01234567-89ab-cdef-0123-456789abcdefa" },
	{ "on_crash = \"reboot\"", 1, "unknown action", "reboot" },
	{ "on_reboot = 1", 1, "unknown action", "1" },
	{ "type = \"hvm\"", 1, "type \"hvm\" is not supported: pvx runs \"pvh\" and \"pv\""
	  " domains (or leave 'type' out to choose automatically)", "hvm" },
	{ "name = 'g'\nbuilder = 'hvm'", 2, "builder \"hvm\" is not supported: pvx runs"
	  " \"pvh\" and \"pv\" domains", "hvm" },
	{ "builder = \"linux\"", 1, "unknown builder \"linux\"", "linux" },
	{ "type = \"xen\"", 1, "unknown type \"xen\": pvx runs \"pvh\" and \"pv\" domains", "xen" },
	{ "type = \"PVH\"", 1, "unknown type \"PVH\": pvx runs \"pvh\" and \"pv\"", "PVH" },
	{ "type = \"\"", 1, "unknown type \"\"", "" },
	{ "type = [ \"pv\" ]", 1, "'type' must be a single value", "[" },
	{ "name = \"a/b\"", 1, "'name' may hold", "a/b" },
	{ "name = \"123\"", 1, "must not be all digits", "123" },
	{ "name = \"\"", 1, "'name' must be 1 to 63 characters", "" },
	{ "kernel = ''", 1, "'kernel' must not be empty", "" },
	/* disk specs */
	{ "disk = [ 'vdev=xvda' ]", 1, "disk has no target", "vdev=xvda" },
	{ "disk = [ '/x' ]", 1, "disk has no vdev", "/x" },
	{ "disk = [ 'format=qcow2, vdev=xvda, target=/x' ]", 1, "format not supported", "qcow2" },
	{ "disk = [ '/x,vmdk,xvda' ]", 1, "unknown disk format", "vmdk" },
	{ "disk = [ '/x,raw,hda' ]", 1, "vdev must be xvd", "hda" },
	{ "disk = [ '/x,raw,xvd1' ]", 1, "vdev must be xvd", "xvd1" },
	{ "disk = [ '/x,raw,x' ]", 1, "vdev must be xvd", "x" },   /* fuzzer */
	{ "disk = [ '/x,raw,xvda,rx' ]", 1, "access must be", "rx" },
	{ "disk = [ 'vdev=xvda, vdev=xvdb, target=/x' ]", 1, "given twice", "xvdb" },
	{ "disk = [ '/x,raw,xvda,rw,extra' ]", 1, "too many positional", "extra" },
	{ "disk = [ 'phy:/dev/sda,xvda,w' ]", 1, "old disk syntax", "phy:" },
	{ "disk = [ 'foo=1, vdev=xvda, target=/x' ]", 1, "unknown disk parameter", "foo" },
	{ "disk = [ 'backend=dd, vdev=xvda, target=/x' ]", 1, "not supported", "backend" },
	{ "disk = [ 'cdrom, vdev=xvda, target=/x' ]", 1, "cdrom", "cdrom" },
	{ "disk = [ 'vdev=xvda, target=/a',\n 'vdev=xvda, target=/b' ]", 2, "same vdev", "xvda" },
	{ "disk = [ ['a'] ]", 1, "entries must be strings, not a list", "[" },
	{ "disk = 5", 1, "must be a list of strings", "5" },
	/* vif specs */
	{ "vif = [ 'mac=00:16:3e:00:00' ]", 1, "bad vif MAC", "00:16:3e:00:00" },
	{ "vif = [ 'mac=zz:16:3e:00:00:01' ]", 1, "bad vif MAC", "zz:16:3e:00:00:01" },
	{ "vif = [ 'mac=00:16:3e:00:00:01:02' ]", 1, "bad vif MAC", "00:16:3e:00:00:01:02" },
	{ "vif = [ 'mac=01:16:3e:00:00:01' ]", 1, "unicast", "01:16:3e:00:00:01" },
	{ "vif = [ 'mac=00:16:3e:00:00:01',\n\n 'bridge=' ]", 3, "'bridge' is empty", "bridge" },
	{ "vif = [ 'speed=10' ]", 1, "unknown vif parameter", "speed" },
	{ "vif = [ 'ip=10.0.0.300' ]", 1, "bad vif ip", "10.0.0.300" },
	{ "vif = [ 'bridge=a-very-long-bridge-name' ]", 1, "bad vif bridge", "a-very-long-bridge-name" },
	{ "vif = [ 'mac=00:16:3e:00:00:01', 'mac=00:16:3e:00:00:01' ]", 1, "same MAC",
	  "00:16:3e:00:00:01" },
	{ "vif = [ 'bridge=a, bridge=b' ]", 1, "given twice", "bridge" },
};

START_TEST(malformed)
{
	const struct bad *b = &bad[_i];
	struct pvx_config c;
	char err[512], prefix[32], suffix[128];
	size_t n, sn;
	int rc;

	pvx_config_init(&c);
	rc = parse_as(&c, "t.cfg", b->text, err, sizeof(err), NULL);
	ck_assert_msg(rc == -EINVAL, "[%d] %s: rc %d, err '%s'", _i, b->text, rc, err);
	snprintf(prefix, sizeof(prefix), "t.cfg:%d: ", b->line);
	snprintf(suffix, sizeof(suffix), " near '%s'", b->token);
	n = strlen(err);
	sn = strlen(suffix);
	ck_assert_msg(!strncmp(err, prefix, strlen(prefix)), "[%d] line: %s", _i, err);
	ck_assert_msg(n >= sn && !strcmp(err + n - sn, suffix), "[%d] token: %s", _i, err);
	ck_assert_msg(strstr(err, b->msg), "[%d] message: %s", _i, err);
	ck_assert_msg(!strchr(err, '\n'), "[%d] one line: %s", _i, err);
	pvx_config_dispose(&c);
}
END_TEST

Suite *make_errors_suite(void)
{
	Suite *s = suite_create("errors");
	TCase *tc = tcase_create("malformed");

	tcase_add_loop_test(tc, malformed, 0, (int)(sizeof(bad) / sizeof(bad[0])));
	suite_add_tcase(s, tc);
	return s;
}
