/*
 * Fuzz target for the disk and vif spec parsers of libpvxcfg
 * (dom0-tools/config/disk.c, vif.c): the strings of `disk = [ ... ]` and
 * `vif = [ ... ]` items, and of `pvx block-attach` / `network-attach`,
 * which go through the same functions. The first byte picks the parser
 * (bit 0: disk or vif) and whether the value names a base directory
 * (bit 1); the rest, up to the first NUL, is the spec. An accepted spec
 * must have what its consumers dereference without checking: a disk its
 * target, format and vdev; a vif's fields are NUL-terminated strings. A
 * refused one must leave an error message. Everything is freed, so
 * LeakSanitizer sees a leak on either path.
 *
 * Built by tests/fuzz/fuzz.mk as $(O)/fuzz/fuzz_spec (libFuzzer) and
 * $(O)/tests/fuzz-spec (tests/fuzz/standalone.c).
 */
#include <stdlib.h>
#include <string.h>

#include "cfg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void drop_warning(const char *line, void *opaque)
{
	(void)line;
	(void)opaque;
}

static void check_str(const char *s)
{
	if (s && strlen(s) > 1u << 20)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512] = "";
	struct cfg_diag d = { err, sizeof(err), drop_warning, NULL };
	struct cfg_value v = { .type = CFG_STRING, .line = 3, .source = "fuzz.cfg" };
	struct pvx_disk_spec disk;
	struct pvx_vif_spec vif;
	int rc;

	if (size < 1)
		return 0;
	v.base_dir = data[0] & 2 ? "/etc/pvx" : NULL;
	v.text = strndup((const char *)data + 1, size - 1);
	if (!v.text)
		return 0;
	if (data[0] & 1) {
		memset(&vif, 0, sizeof(vif));
		rc = cfg_parse_vif(&v, &vif, &d);
		if (rc == 0) {
			check_str(vif.mac);
			check_str(vif.bridge);
			check_str(vif.ip);
			check_str(vif.gateway);
			check_str(vif.script);
			check_str(vif.vifname);
		}
		cfg_vif_dispose(&vif);
	} else {
		memset(&disk, 0, sizeof(disk));
		rc = cfg_parse_disk(&v, &disk, &d);
		if (rc == 0 && (!disk.target || !disk.format || !disk.vdev))
			abort();
		cfg_disk_dispose(&disk);
	}
	if (rc < 0 && !err[0])
		abort(); /* refused without saying why */
	free(v.text);
	return 0;
}
