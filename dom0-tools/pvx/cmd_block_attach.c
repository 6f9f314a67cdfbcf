/*
 * pvx block-attach DOMAIN DISKSPEC: hot-plug a disk into a running guest.
 * DISKSPEC is one xl disk spec (docs/config.md), parsed by the config
 * parser exactly as a `disk = [ ... ]` entry; a relative target is taken
 * from the current directory. The guest's blkfront sees the new
 * device/vbd/V directory through its watch.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pvx/config.h>
#include <pvx/ctlclient.h>

#include "cmd.h"
#include "cmd_block.h"

static int parse_spec(const char *spec, struct pvx_config *cfg)
{
	char text[4200], err[256];
	int rc;

	if (strpbrk(spec, "'\n\\") || strlen(spec) > 4000) {
		pvx_err("a disk spec cannot contain quotes, backslashes or newlines");
		return -EINVAL;
	}
	snprintf(text, sizeof(text), "disk = [ '%s' ]\n", spec);
	rc = pvx_config_parse_string(cfg, "block-attach", text, strlen(text), err,
				     sizeof(err), NULL, NULL);
	if (rc < 0)
		pvx_err("%s", err);
	else if (cfg->nr_disks != 1)
		rc = -EINVAL;
	return rc;
}

int cmd_block_attach(int argc, char **argv)
{
	struct pvx_config cfg;
	struct pvx_ctl *c;
	char err[256];
	int32_t domid;
	int rc;

	if (argc != 3)
		return pvx_usage_err("block-attach", "expected DOMAIN DISKSPEC");
	c = pvx_connect();
	if (!c)
		return 1;
	rc = pvx_resolve(c, argv[1], &domid);
	pvx_ctl_close(c);
	if (rc < 0)
		return 1;
	pvx_config_init(&cfg);
	rc = parse_spec(argv[2], &cfg);
	if (rc == 0) {
		rc = pvx_blk_add(domid, &cfg.disks[0], err, sizeof(err));
		if (rc < 0)
			pvx_err("%s", err);
	}
	pvx_config_dispose(&cfg);
	return rc < 0;
}
