/* pvx domid NAME: the id of a named domain, for scripts. */
#include <stdio.h>

#include <pvx/ctlclient.h>

#include "cmd.h"

int cmd_domid(int argc, char **argv)
{
	struct pvx_ctl *c = NULL;
	int32_t domid;
	int rc = pvx_open_dom(argc, argv, &c, &domid);

	if (rc)
		return rc;
	printf("%d\n", domid);
	pvx_ctl_close(c);
	return 0;
}
