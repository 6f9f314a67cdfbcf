/*
 * libFuzzer target for the xl.cfg parser: the input is a config file;
 * if it parses, an override, validation and both dumps run over the
 * result too, and the JSON dump must parse back (whatever bytes the
 * values hold: jansson's parser is strict about UTF-8). Built by dom0-tools/cfg-console.mk as $(O)/fuzz/fuzz_config.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>
#include <pvx/config.h>

static void drop_warning(const char *line, void *opaque)
{
	(void)line;
	(void)opaque;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void json_parses_back(const struct pvx_config *cfg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	json_t *doc;

	if (!f)
		return;
	if (pvx_config_dump_json(cfg, f) < 0) {
		fclose(f);
		free(buf);
		return; /* out of memory: not a finding */
	}
	fclose(f);
	doc = json_loads(buf, JSON_REJECT_DUPLICATES, NULL);
	if (!doc)
		abort(); /* the dump is not JSON */
	json_decref(doc);
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pvx_config cfg;
	char err[512];
	FILE *null;

	pvx_config_init(&cfg);
	if (pvx_config_parse_string(&cfg, "fuzz.cfg", (const char *)data, size,
				    err, sizeof(err), drop_warning, NULL) == 0) {
		pvx_config_override(&cfg, "memory=64", err, sizeof(err));
		pvx_config_validate(&cfg, err, sizeof(err));
		null = fopen("/dev/null", "w");
		if (null) {
			pvx_config_dump(&cfg, null);
			fclose(null);
		}
		json_parses_back(&cfg);
	}
	pvx_config_dispose(&cfg);
	return 0;
}
