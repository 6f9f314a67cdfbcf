/*
 * The one logging API of pvx-consoled: one line per message on stderr,
 * with a UTC timestamp and the level. The daemon runs in the foreground;
 * whoever starts it (pvx daemons start, systemd) decides where stderr
 * goes.
 */
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "consoled.h"

static enum cons_log_level min_level = CLOG_INFO;

void cons_log_set_level(enum cons_log_level lvl)
{
	min_level = lvl;
}

void cons_log(enum cons_log_level lvl, const char *fmt, ...)
{
	static const char *const names[] = { "debug", "info", "warning", "error" };
	char stamp[32], msg[512];
	struct timespec ts;
	struct tm tm;
	va_list ap;

	if (lvl < min_level)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s.%03ldZ pvx-consoled %s: %s\n", stamp,
		ts.tv_nsec / 1000000, names[lvl], msg);
}
