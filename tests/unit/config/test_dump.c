/*
 * pvx_config_dump() prints xl.cfg that parses back to the same config;
 * the JSON form carries the same values, and parses back (jansson's
 * strict parser) whatever bytes the values hold.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "harness.h"

static const char text[] =
	"name = 'dump-me'\nkernel = '/boot/k'\nramdisk = '/boot/r'\n"
	"cmdline = 'console=hvc0 x=\"q\\\\\" \\t'\nmemory = 96\nmaxmem = 128\n"
	"vcpus = 3\nuuid = '01234567-89ab-cdef-0123-456789abcdef'\n"
	"on_crash = 'preserve'\nmax_grant_frames = 16\n"
	"disk = [ '/a,raw,xvda,ro,direct-io-safe', 'vdev=xvdb, target=/b,c' ]\n"
	"vif = [ 'mac=00:16:3e:00:00:01, bridge=br0', 'model=e1000' ]\n";

static char *dump(const struct pvx_config *c, bool json)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(json ? pvx_config_dump_json(c, f) : pvx_config_dump(c, f), 0);
	fclose(f);
	return buf;
}

START_TEST(round_trip)
{
	struct pvx_config a, b;
	char err[256], *out;

	pvx_config_init(&a);
	ck_assert_int_eq(parse_as(&a, "t.cfg", text, err, sizeof(err), NULL), 0);
	out = dump(&a, false);
	pvx_config_init(&b);
	ck_assert_msg(parse_as(&b, "dump.cfg", out, err, sizeof(err), NULL) == 0,
		      "%s\n%s", err, out);
	ck_assert_str_eq(a.name, b.name);
	ck_assert_ptr_null(b.type);   /* absent stays absent: chosen at create */
	ck_assert_str_eq(a.kernel, b.kernel);
	ck_assert_str_eq(a.ramdisk, b.ramdisk);
	ck_assert_str_eq(a.cmdline, b.cmdline);
	ck_assert_uint_eq(a.memory_mib, b.memory_mib);
	ck_assert_uint_eq(a.maxmem_mib, b.maxmem_mib);
	ck_assert_uint_eq(a.vcpus, b.vcpus);
	ck_assert_mem_eq(a.uuid, b.uuid, 16);
	ck_assert_int_eq(a.on_crash, b.on_crash);
	ck_assert_int_eq(a.on_reboot, b.on_reboot);
	ck_assert_uint_eq(a.max_grant_frames, b.max_grant_frames);
	ck_assert_uint_eq(b.nr_disks, 2);
	ck_assert_str_eq(b.disks[1].target, "/b,c");
	ck_assert(b.disks[0].readonly && b.disks[0].direct);
	ck_assert_uint_eq(b.nr_vifs, 2);
	ck_assert_str_eq(b.vifs[0].mac, "00:16:3e:00:00:01");
	ck_assert_str_eq(b.vifs[1].model, "e1000");
	free(out);
	pvx_config_dispose(&a);
	pvx_config_dispose(&b);
}
END_TEST

START_TEST(json_form)
{
	struct pvx_config a;
	char err[256], *out;

	pvx_config_init(&a);
	ck_assert_int_eq(parse_as(&a, "t.cfg", text, err, sizeof(err), NULL), 0);
	out = dump(&a, true);
	ck_assert_ptr_nonnull(strstr(out, "  \"name\": \"dump-me\",\n"));
	ck_assert_ptr_nonnull(strstr(out, "  \"cmdline\": \"console=hvc0 x=\\\"q\\\\\\\" \\t\",\n"));
	ck_assert_ptr_nonnull(strstr(out, "  \"memory\": 96,\n"));
	ck_assert_ptr_nonnull(strstr(out, "  \"on_crash\": \"preserve\",\n"));
	ck_assert_ptr_nonnull(strstr(out, "\"format=raw, vdev=xvdb, access=rw, target=/b,c\"\n  ]"));
	ck_assert_ptr_null(strstr(out, "\"type\""));
	ck_assert_int_eq(out[0], '{');
	ck_assert_str_eq(out + strlen(out) - 3, "\n}\n");
	free(out);
	pvx_config_dispose(&a);
}
END_TEST

/* Quotes, backslashes, every control character and bytes that are not
 * UTF-8 in values: the JSON parses, valid text comes back as it was and
 * each bad byte as U+FFFD (docs/config.md). */
START_TEST(json_hostile_values)
{
	static const char name[] = "q\"b\\s\x01\x1f\x7f\n\tcaf\xc3\xa9";
	struct pvx_config a;
	char err[256], ctl[40], *out;
	json_t *doc;
	json_error_t jerr;

	for (int i = 0; i < 32; i++)
		ctl[i] = (char)(i + 1);
	ctl[32] = '\0';
	pvx_config_init(&a);
	ck_assert_int_eq(parse_as(&a, "t.cfg", text, err, sizeof(err), NULL), 0);
	free(a.name);
	free(a.kernel);
	free(a.cmdline);
	a.name = strdup(name);
	a.kernel = strdup(ctl);
	a.cmdline = strdup("x=\xff\xc0\xaf\xed\xa0\x80 y=\xe2\x82");
	out = dump(&a, true);
	doc = json_loads(out, JSON_REJECT_DUPLICATES, &jerr);
	ck_assert_msg(doc != NULL, "%s: %s", jerr.text, out);
	ck_assert_str_eq(json_string_value(json_object_get(doc, "name")), name);
	ck_assert_str_eq(json_string_value(json_object_get(doc, "kernel")), ctl);
	ck_assert_str_eq(json_string_value(json_object_get(doc, "cmdline")),
			 "x=\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
			 "\xef\xbf\xbd y=\xef\xbf\xbd\xef\xbf\xbd");
	ck_assert_int_eq(json_integer_value(json_object_get(doc, "memory")), 96);
	ck_assert_uint_eq(json_array_size(json_object_get(doc, "disk")), 2);
	json_decref(doc);
	free(out);
	pvx_config_dispose(&a);
}
END_TEST

/* A configured type is printed and parses back. */
START_TEST(type_round_trip)
{
	struct pvx_config a, b;
	char err[256], *out;

	pvx_config_init(&a);
	ck_assert_int_eq(parse_as(&a, "t.cfg", "name='t'\nkernel='/k'\ntype='pv'\n", err,
				  sizeof(err), NULL), 0);
	out = dump(&a, false);
	ck_assert_ptr_nonnull(strstr(out, "type = \"pv\"\n"));
	pvx_config_init(&b);
	ck_assert_int_eq(parse_as(&b, "dump.cfg", out, err, sizeof(err), NULL), 0);
	ck_assert_str_eq(b.type, "pv");
	free(out);
	out = dump(&a, true);
	ck_assert_ptr_nonnull(strstr(out, "  \"type\": \"pv\",\n"));
	free(out);
	pvx_config_dispose(&a);
	pvx_config_dispose(&b);
}
END_TEST

Suite *make_dump_suite(void)
{
	Suite *s = suite_create("dump");
	TCase *tc = tcase_create("dump");

	tcase_add_test(tc, round_trip);
	tcase_add_test(tc, json_form);
	tcase_add_test(tc, json_hostile_values);
	tcase_add_test(tc, type_round_trip);
	suite_add_tcase(s, tc);
	return s;
}
