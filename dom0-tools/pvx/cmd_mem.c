/*
 * pvx mem-set DOMAIN SIZE / pvx mem-max DOMAIN SIZE (xl's verbs and size
 * syntax, memsize.h; docs/memory.md).
 *
 * mem-set writes the balloon target, /local/domain/D/memory/target in
 * KiB, which the guest's balloon driver follows; a target above the
 * domain's maximum is refused here (pvxd would refuse the pages anyway).
 * mem-max moves pvxd's ceiling (PVX_CTL_SET_MAXMEM) and, as xl does,
 * memory/static-max; it cannot go above the RAM the domain was created
 * with (the config's maxmem). Neither waits for the guest: `pvx list`
 * shows the target and what the guest actually holds.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <pvx/ctlclient.h>
#include <pvx/xs.h>

#include "cmd.h"
#include "memsize.h"

static int parse_args(const char *cmd, int argc, char **argv, uint64_t *kib)
{
	int rc;

	if (argc != 3)
		return pvx_usage_err(cmd, "expected DOMAIN SIZE");
	rc = pvx_parse_mem_kib(argv[2], kib);
	if (rc == -ERANGE)
		return pvx_usage_err(cmd, "size '%s' is too large", argv[2]);
	if (rc < 0)
		return pvx_usage_err(cmd, "'%s' is not a size: use a number of MiB or"
				     " a number with a unit b/k/m/g/t (e.g. 512m, 1g)"
				     " of whole 4 KiB pages", argv[2]);
	if (!strcmp(argv[1], "0") || !strcmp(argv[1], "Domain-0")) {
		pvx_err("%s: Domain-0 is the host; its memory is not ballooned", cmd);
		return 1;
	}
	return 0;
}

static int xs_put_kib(int32_t domid, const char *key, uint64_t kib)
{
	struct xs_handle *h = NULL;
	char path[64], val[32];
	int rc = xs_open(&h);

	if (rc < 0)
		return rc;
	snprintf(path, sizeof(path), "/local/domain/%d/memory/%s", domid, key);
	snprintf(val, sizeof(val), "%" PRIu64, kib);
	rc = xs_write_str(h, XBT_NULL, path, val);
	xs_close(h);
	return rc;
}

int cmd_mem_set(int argc, char **argv)
{
	struct pvx_ctl_dominfo info;
	struct pvx_ctl *c;
	uint64_t kib;
	int32_t domid;
	int rc = parse_args("mem-set", argc, argv, &kib);

	if (rc)
		return rc;
	c = pvx_connect();
	if (!c)
		return 1;
	rc = pvx_resolve(c, argv[1], &domid);
	if (rc == 0)
		rc = pvx_ctl_info(c, domid, &info);
	pvx_ctl_close(c);
	if (rc < 0)
		return 1;
	if (kib > info.maxmem_kib) {
		pvx_err("cannot set the memory target of '%s' to %" PRIu64 " KiB: above its"
			" maximum of %" PRIu64 " KiB (see 'pvx mem-max')", argv[1], kib,
			(uint64_t)info.maxmem_kib);
		return 1;
	}
	rc = xs_put_kib(domid, "target", kib);
	if (rc < 0) {
		pvx_err("cannot write the memory target of '%s' to xenstore: %s",
			argv[1], strerror(-rc));
		return 1;
	}
	return 0;
}

int cmd_mem_max(int argc, char **argv)
{
	struct pvx_ctl *c;
	uint64_t kib;
	int32_t domid;
	int rc = parse_args("mem-max", argc, argv, &kib);

	if (rc)
		return rc;
	c = pvx_connect();
	if (!c)
		return 1;
	rc = pvx_resolve(c, argv[1], &domid);
	if (rc == 0) {
		rc = pvx_ctl_set_maxmem(c, domid, kib);
		if (rc == -EINVAL)
			pvx_err("cannot set the maximum memory of '%s' to %" PRIu64 " KiB:"
				" above the RAM it was created with (the config's maxmem)"
				" or below 1 MiB", argv[1], kib);
		else if (rc < 0)
			pvx_err("cannot set the maximum memory of '%s': %s", argv[1],
				strerror(-rc));
	}
	pvx_ctl_close(c);
	if (rc == 0 && xs_put_kib(domid, "static-max", kib) < 0)
		pvx_err("warning: memory/static-max of '%s' not updated", argv[1]);
	return rc < 0;
}
