/*
 * pvx network-attach DOMAIN [VIF-SPEC-ITEM ...]: hot-plug a vif, xl's
 * syntax: the items (`mac=.. bridge=.. ip=..`, or one comma-separated
 * spec) are joined with commas and parsed by the config parser exactly as
 * a `vif = [ ... ]` entry, so every key, default and error is the
 * config's. The vif takes the lowest free devid; the guest's netfront
 * sees the new device/vif/N through its watch.
 *
 * Exit status: 2 for a usage error (including a bad spec: one line saying
 * what), 1 if the vif could not be added.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pvx/config.h>
#include <pvx/ctlclient.h>

#include "cmd.h"
#include "cmd_network.h"
#include "daemons.h"

#define SPEC_MAX 4000
#define SOURCE "network-attach"

/* The parser's "network-attach:1: MESSAGE near 'X'" without its prefix. */
static const char *strip_source(const char *err)
{
	const char *p = strncmp(err, SOURCE ":", strlen(SOURCE ":")) ? NULL
		      : strstr(err, ": ");

	return p ? p + 2 : err;
}

static int parse_spec(int nitems, char **items, struct pvx_config *cfg)
{
	char spec[SPEC_MAX + 1] = "", text[SPEC_MAX + 32], err[512];
	size_t len = 0;
	int rc;

	for (int i = 0; i < nitems; i++) {
		if (strpbrk(items[i], "'\n\\"))
			return pvx_usage_err(SOURCE, "a vif spec cannot contain quotes,"
					     " backslashes or newlines");
		len += strlen(items[i]) + 1;
		if (len > SPEC_MAX)
			return pvx_usage_err(SOURCE, "vif spec too long");
		if (i)
			strcat(spec, ",");
		strcat(spec, items[i]);
	}
	snprintf(text, sizeof(text), "vif = [ '%s' ]\n", spec);
	rc = pvx_config_parse_string(cfg, SOURCE, text, strlen(text), err, sizeof(err),
				     NULL, NULL);
	if (rc < 0)
		return pvx_usage_err(SOURCE, "%s", strip_source(err));
	return cfg->nr_vifs == 1 ? 0 : pvx_usage_err(SOURCE, "expected one vif spec");
}

int cmd_network_attach(int argc, char **argv)
{
	struct pvx_config cfg;
	struct pvx_ctl *c;
	char err[256];
	int32_t domid;
	int rc;

	if (argc < 2)
		return pvx_usage_err(SOURCE, "missing DOMAIN");
	pvx_config_init(&cfg);
	rc = parse_spec(argc - 2, argv + 2, &cfg);
	if (rc) {
		pvx_config_dispose(&cfg);
		return rc;
	}
	c = pvx_connect();
	rc = c ? pvx_resolve(c, argv[1], &domid) : -ENOTCONN;
	pvx_ctl_close(c);
	if (rc == 0) {
		rc = pvx_net_add(domid, -1, &cfg.vifs[0], err, sizeof(err));
		if (rc < 0)
			pvx_err("%s: %s", argv[1], err);
		else if (!pvx_daemon_running("pvx-netback"))
			fprintf(stderr, "pvx: warning: pvx-netback is not running; vif %d"
				" of '%s' stays unconnected until it starts\n", rc, argv[1]);
	}
	pvx_config_dispose(&cfg);
	return rc < 0;
}
