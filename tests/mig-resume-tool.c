/*
 * mig-resume-tool DOMID: sends PVX_CTL_RESUME for DOMID to the pvxd of
 * $PVX_RUNDIR, i.e. cancels the domain's suspend (its SCHEDOP_shutdown
 * returns 1: a checkpoint). For the mig-guest-* integration tests until
 * the toolstack has a command of its own. Exit 0 on success; 3 if this
 * pvxd does not know the op (-EOPNOTSUPP: before mig-hv's RESUME), so a
 * test can tell "not there yet" from "refused"; 1 on any other error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pvx/ctlclient.h>

int main(int argc, char **argv)
{
	struct pvx_ctl *c;
	char *end;
	long domid;
	int rc;

	if (argc != 2 || (domid = strtol(argv[1], &end, 10)) < 1 || *end || domid > 0x7FEF) {
		fprintf(stderr, "usage: mig-resume-tool DOMID\n");
		return 2;
	}
	rc = pvx_ctl_open(&c);
	if (rc < 0) {
		char why[256];

		pvx_ctl_open_error(rc, why, sizeof(why));
		fprintf(stderr, "mig-resume-tool: %s\n", why);
		return 1;
	}
	rc = pvx_ctl_call(c, PVX_CTL_RESUME, (int32_t)domid, NULL, 0, NULL, 0, NULL,
			  NULL, 0, NULL);
	pvx_ctl_close(c);
	if (rc == -EOPNOTSUPP) {
		fprintf(stderr, "mig-resume-tool: pvxd does not know PVX_CTL_RESUME\n");
		return 3;
	}
	if (rc < 0) {
		fprintf(stderr, "mig-resume-tool: resume of domain %ld: %s\n", domid, strerror(-rc));
		return 1;
	}
	return 0;
}
