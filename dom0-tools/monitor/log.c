/*
 * The monitor's log: <logdir>/<name>.log, one timestamped line per
 * thing it saw or did, appended (a restarted domain keeps its history).
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <pvx/ctlclient.h>

#include "monitor.h"

void pvx_monitor_log(struct pvx_monitor *m, const char *fmt, ...)
{
	FILE *out = m->log ? m->log : stderr;
	struct timespec ts;
	struct tm tm;
	char when[32];
	va_list ap;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(out, "%s.%03ldZ [%d] ", when, ts.tv_nsec / 1000000, m->domid);
	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
	fputc('\n', out);
	fflush(out);
}

FILE *pvx_monitor_open_log(const char *name)
{
	char path[PATH_MAX];
	const char *dir = pvx_logdir();

	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return NULL;
	if (snprintf(path, sizeof(path), "%s/%s.log", dir, name) >= (int)sizeof(path))
		return NULL;
	return fopen(path, "ae");
}
