/*
 * Shared helpers of the config parser's unit tests: parse a string as a
 * named file, collecting warnings, with one call.
 */
#ifndef TEST_CONFIG_HARNESS_H
#define TEST_CONFIG_HARNESS_H

#include <check.h>
#include <string.h>

#include <pvx/config.h>

struct warnings {
	char text[4096];
	int count;
};

static inline void collect_warning(const char *line, void *opaque)
{
	struct warnings *w = opaque;
	size_t n = strlen(w->text);

	snprintf(w->text + n, sizeof(w->text) - n, "%s\n", line);
	w->count++;
}

static inline int parse_as(struct pvx_config *cfg, const char *source,
			   const char *text, char *err, size_t errlen,
			   struct warnings *w)
{
	return pvx_config_parse_string(cfg, source, text, strlen(text), err,
				       errlen, w ? collect_warning : NULL, w);
}

Suite *make_parser_suite(void);
Suite *make_keys_suite(void);
Suite *make_cpulist_suite(void);
Suite *make_devices_suite(void);
Suite *make_override_suite(void);
Suite *make_dump_suite(void);
Suite *make_errors_suite(void);
Suite *make_garbage_suite(void);
Suite *make_vif_suite(void);
Suite *make_uuid_suite(void);

#endif
