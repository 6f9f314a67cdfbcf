/* pvx destroy DOMAIN: pvxd tears the domain down; its xenstore keys and
 * kept config go too. */
#include <string.h>

#include <pvx/builder.h>
#include <pvx/ctlclient.h>

#include "cmd.h"
#include "save_ctl.h"

int cmd_destroy(int argc, char **argv)
{
	struct pvx_ctl *c = NULL;
	int32_t domid;
	int rc = pvx_open_dom(argc, argv, &c, &domid);

	if (rc)
		return rc;
	rc = pvx_ctl_destroy(c, domid);
	if (rc < 0)
		pvx_err("cannot destroy '%s': %s", argv[1], strerror(-rc));
	else {
		pvx_xs_domain_remove(domid); /* its monitor does too: idempotent */
		pvx_cfgkeep_prune(c);
	}
	pvx_ctl_close(c);
	return rc < 0;
}
