/* pvx dmesg [DOMAIN]: pvxd's own log, or a domain's hypervisor log
 * (its console_io output and what pvxd logged about it). */
#include <stdio.h>
#include <string.h>

#include <pvx/ctlclient.h>

#include "cmd.h"

int cmd_dmesg(int argc, char **argv)
{
	static char buf[16384];
	struct pvx_ctl *c;
	int32_t domid = -1;
	uint64_t off = 0;
	int n;

	if (argc > 2)
		return pvx_usage_err("dmesg", "too many arguments");
	c = pvx_connect();
	if (!c)
		return 1;
	if (argc == 2 && pvx_resolve(c, argv[1], &domid) < 0) {
		pvx_ctl_close(c);
		return 1;
	}
	/* Bounded: a log that grows while we read ends where we started. */
	for (int i = 0; i < 4096; i++) {
		n = pvx_ctl_dmesg(c, domid, &off, buf, sizeof(buf));
		if (n <= 0)
			break;
		fwrite(buf, 1, (size_t)n, stdout);
	}
	pvx_ctl_close(c);
	if (n < 0) {
		pvx_err("cannot read the log: %s", strerror(-n));
		return 1;
	}
	return 0;
}
