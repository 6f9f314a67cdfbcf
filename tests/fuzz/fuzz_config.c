/*
 * libFuzzer target for the xl.cfg parser: the input is a config file;
 * if it parses, an override, validation and both dumps run over the
 * result too. Built by dom0-tools/cfg-console.mk as $(O)/fuzz/fuzz_config.
 */
#include <stdint.h>
#include <stdio.h>

#include <pvx/config.h>

static void drop_warning(const char *line, void *opaque)
{
	(void)line;
	(void)opaque;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
			pvx_config_dump_json(&cfg, null);
			fclose(null);
		}
	}
	pvx_config_dispose(&cfg);
	return 0;
}
