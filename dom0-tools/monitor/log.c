/*
 * The monitor's log: <logdir>/<name>.log, one line per thing it saw or
 * did, appended (a restarted domain keeps its history), through the
 * common logging API (pvx/log.h). Its lines keep their look,
 * "2026-11-25T17:44:36.123Z [DOMID] message", DOMID being the domain
 * followed at the time (it changes on restart); the level is not shown,
 * everything the monitor says is information for the domain's owner.
 *
 * `pvx create` also opens the file as a FILE for the forked monitor's
 * stdout/stderr (pvx_monitor_open_log), so stray output lands there
 * too; both are O_APPEND, so lines never interleave.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <pvx/ctlclient.h>
#include <pvx/log.h>

#include "monitor.h"

static int log_path(char *path, size_t len, const char *name)
{
	const char *dir = pvx_logdir();

	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return -errno;
	if (snprintf(path, len, "%s/%s.log", dir, name) >= (int)len)
		return -ENAMETOOLONG;
	return 0;
}

FILE *pvx_monitor_open_log(const char *name)
{
	char path[PATH_MAX];

	return log_path(path, sizeof(path), name) ? NULL : fopen(path, "ae");
}

static size_t prefix(char *buf, size_t cap, enum pvx_log_level lvl, void *arg)
{
	const struct pvx_monitor *m = arg;
	size_t n = pvx_log_stamp(buf, cap, true);
	int k = snprintf(buf + n, cap - n, "[%d] ", m->domid);

	(void)lvl;
	return k < 0 ? n : n + (size_t)k < cap ? n + (size_t)k : cap - 1;
}

/* Lines go to the file; to stderr only if it cannot be opened. */
void pvx_monitor_log_start(struct pvx_monitor *m)
{
	char path[PATH_MAX];

	pvx_log_set_prefix(prefix, m);
	pvx_log_set_stderr(PVX_LOG_STDERR_WITHOUT_FILE);
	if (!log_path(path, sizeof(path), m->cfg->name))
		pvx_log_open(path, 0644);
}

void pvx_monitor_log_stop(void)
{
	pvx_log_close();
	pvx_log_set_prefix(NULL, NULL);
}
