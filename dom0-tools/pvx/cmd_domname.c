/* pvx domname ID: the name of a domain, for scripts. */
#include <stdio.h>
#include <string.h>

#include <pvx/ctlclient.h>

#include "cmd.h"

int cmd_domname(int argc, char **argv)
{
	struct pvx_ctl *c = NULL;
	struct pvx_ctl_dominfo d;
	int32_t domid;
	int rc = pvx_open_dom(argc, argv, &c, &domid);

	if (rc)
		return rc;
	rc = pvx_ctl_info(c, domid, &d);
	if (rc < 0)
		pvx_err("cannot read domain %d: %s", domid, strerror(-rc));
	else
		printf("%s\n", d.name);
	pvx_ctl_close(c);
	return rc < 0;
}
