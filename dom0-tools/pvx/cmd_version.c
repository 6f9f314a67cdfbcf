/* pvx version: the CLI's version, and pvxd's when it is running. */
#include <stdio.h>

#include <pvx/ctlclient.h>

#include "cmd.h"

int cmd_version(int argc, char **argv)
{
	struct pvx_ctl_hello_rsp h;
	struct pvx_ctl *c = NULL;

	(void)argv;
	if (argc > 1)
		return pvx_usage_err("version", "takes no arguments");
	printf("pvx %s (control protocol %d)\n", PVX_VERSION, PVX_CTL_VERSION);
	if (pvx_ctl_open(&c) == 0 && pvx_ctl_hello(c, &h) == 0)
		printf("pvxd: Xen %u.%u%s ABI, pid %u\n", h.xen_major, h.xen_minor,
		       h.extraversion, h.pid);
	else
		printf("pvxd: not running for %s\n", pvx_rundir());
	pvx_ctl_close(c);
	return 0;
}
