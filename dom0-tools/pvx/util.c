/*
 * Helpers every pvx command shares: one-line errors, connecting to pvxd
 * with a message that says what is wrong, resolving domains by name or
 * id, and the names of domain states and shutdown reasons.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <pvx/ctlclient.h>
#include <xen/public/sched.h>

#include "cmd.h"

void pvx_err(const char *fmt, ...)
{
	va_list ap;

	fputs("pvx: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int pvx_usage_err(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "pvx %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see 'pvx help %s')\n", cmd);
	return 2;
}

/*
 * After getopt returned '?' (pvx_main turns getopt's own messages off, so
 * a bad option is one line, not two): names the option and says whether
 * it is unknown or lacks its value. `optstring` without the leading '+'.
 */
int pvx_opt_err(const char *cmd, const char *optstring, char **argv)
{
	if (optopt && strchr(optstring, optopt))
		return pvx_usage_err(cmd, "option '-%c' needs a value", optopt);
	if (optopt)
		return pvx_usage_err(cmd, "unknown option '-%c'", optopt);
	return pvx_usage_err(cmd, "unknown option '%s'", argv[optind - 1]);
}

struct pvx_ctl *pvx_connect(void)
{
	struct pvx_ctl *c = NULL;
	char msg[512];
	int rc = pvx_ctl_open(&c);

	if (rc < 0) {
		pvx_ctl_open_error(rc, msg, sizeof(msg));
		pvx_err("%s", msg);
		return NULL;
	}
	return c;
}

int pvx_resolve(struct pvx_ctl *c, const char *arg, int32_t *domid)
{
	int rc = pvx_ctl_lookup(c, arg, domid);

	if (rc == -ESRCH)
		pvx_err("'%s' is not a domain", arg);
	else if (rc < 0)
		pvx_err("cannot look up '%s': %s", arg, strerror(-rc));
	return rc;
}

int pvx_open_dom(int argc, char **argv, struct pvx_ctl **c, int32_t *domid)
{
	if (argc != 2)
		return pvx_usage_err(argv[0], argc < 2 ? "missing DOMAIN" : "too many arguments");
	*c = pvx_connect();
	if (!*c)
		return 1;
	if (pvx_resolve(*c, argv[1], domid) < 0) {
		pvx_ctl_close(*c);
		*c = NULL;
		return 1;
	}
	return 0;
}

static const char *const state_names[] = {
	[PVX_DOM_CREATED] = "created", [PVX_DOM_RUNNING] = "running",
	[PVX_DOM_PAUSED] = "paused", [PVX_DOM_SHUTDOWN] = "shutdown",
	[PVX_DOM_CRASHED] = "crashed", [PVX_DOM_DYING] = "dying",
	[PVX_DOM_DEAD] = "dead",
};

const char *pvx_state_name(uint32_t state)
{
	if (state < sizeof(state_names) / sizeof(state_names[0]) && state_names[state])
		return state_names[state];
	return "unknown";
}

/* xl's columns: r running, b blocked, p paused, s shutdown, c crashed,
 * d dying. A built but never started domain shows as paused. */
void pvx_state_flags(uint32_t state, char out[7])
{
	int col = -1;

	memcpy(out, "------", 7);
	switch (state) {
	case PVX_DOM_RUNNING: col = 0; break;
	case PVX_DOM_CREATED:
	case PVX_DOM_PAUSED: col = 2; break;
	case PVX_DOM_SHUTDOWN: col = 3; break;
	case PVX_DOM_CRASHED: col = 4; break;
	case PVX_DOM_DYING:
	case PVX_DOM_DEAD: col = 5; break;
	}
	if (col >= 0)
		out[col] = "rbpscd"[col];
}

static const char *const reason_names[] = {
	[SHUTDOWN_poweroff] = "poweroff", [SHUTDOWN_reboot] = "reboot",
	[SHUTDOWN_suspend] = "suspend", [SHUTDOWN_crash] = "crash",
	[SHUTDOWN_watchdog] = "watchdog", [SHUTDOWN_soft_reset] = "soft_reset",
};

const char *pvx_reason_name(int32_t reason)
{
	if (reason >= 0 && (size_t)reason < sizeof(reason_names) / sizeof(reason_names[0]))
		return reason_names[reason];
	return NULL;
}

int pvx_bin_dir(char *buf, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", buf, len - 1);
	char *slash;

	if (n < 0)
		return -errno;
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	if (!slash)
		return -ENOENT;
	*slash = '\0';
	return 0;
}

int pvx_mkdirs(const char *path, mode_t mode)
{
	char tmp[PATH_MAX];
	size_t len = strlen(path);

	if (len == 0 || len >= sizeof(tmp))
		return -ENAMETOOLONG;
	memcpy(tmp, path, len + 1);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(tmp, mode) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}
