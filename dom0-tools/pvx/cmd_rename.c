/* pvx rename DOMAIN NEW-NAME */
#include <errno.h>
#include <string.h>

#include <pvx/ctlclient.h>

#include "cmd.h"

int cmd_rename(int argc, char **argv)
{
	struct pvx_ctl *c;
	int32_t domid, other;
	int rc;

	if (argc != 3)
		return pvx_usage_err("rename", "expected DOMAIN NEW-NAME");
	if (!*argv[2] || strlen(argv[2]) >= PVX_NAME_MAX)
		return pvx_usage_err("rename", "a name has 1 to %d bytes", PVX_NAME_MAX - 1);
	c = pvx_connect();
	if (!c)
		return 1;
	rc = pvx_resolve(c, argv[1], &domid);
	if (rc == 0 && pvx_ctl_lookup(c, argv[2], &other) == 0 && other != domid) {
		pvx_err("domain name '%s' is already in use (domain %d)", argv[2], other);
		rc = -EEXIST;
	} else if (rc == 0) {
		rc = pvx_ctl_rename(c, domid, argv[2]);
		if (rc < 0)
			pvx_err("cannot rename '%s': %s", argv[1], strerror(-rc));
	}
	pvx_ctl_close(c);
	return rc < 0;
}
