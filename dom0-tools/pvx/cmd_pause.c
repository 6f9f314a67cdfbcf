/* pvx pause DOMAIN */
#include <string.h>

#include <pvx/ctlclient.h>

#include "cmd.h"

int cmd_pause(int argc, char **argv)
{
	struct pvx_ctl *c = NULL;
	int32_t domid;
	int rc = pvx_open_dom(argc, argv, &c, &domid);

	if (rc)
		return rc;
	rc = pvx_ctl_pause(c, domid);
	if (rc < 0)
		pvx_err("cannot pause '%s': %s", argv[1], strerror(-rc));
	pvx_ctl_close(c);
	return rc < 0;
}
