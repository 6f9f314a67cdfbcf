/*
 * Where Dom0 programs find each other: one run directory per pvx instance
 * ($PVX_RUNDIR, default /run/pvx) and one log directory ($PVX_LOGDIR,
 * default <rundir>/log). Tests run isolated instances side by side by
 * pointing PVX_RUNDIR at a private directory (docs/decisions.md P2).
 *
 * The strings returned live until the next call that changes the
 * environment; callers copy them if they keep them across setenv().
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <pvx/ctlclient.h>

const char *pvx_rundir(void)
{
	const char *d = getenv("PVX_RUNDIR");

	return d && *d ? d : PVX_DEFAULT_RUNDIR;
}

const char *pvx_logdir(void)
{
	static char buf[4096];
	const char *d = getenv("PVX_LOGDIR");

	if (d && *d)
		return d;
	snprintf(buf, sizeof(buf), "%s/log", pvx_rundir());
	return buf;
}

int pvx_ctl_sock_path(char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s/%s", pvx_rundir(), PVX_CTL_SOCK_NAME);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}
