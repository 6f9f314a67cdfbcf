/*
 * pvxstored's log: one line per event, "TIME LEVEL message", written with
 * a single write(2) to the log file (and to stderr while no file is open).
 * Tests install a sink to assert on lines (e.g. that a quota hit names
 * the domid).
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "xs_core.h"

#define LINE_MAX_BYTES 1024

static int log_fd = -1;
static enum xs_log_level log_max = XS_LOG_INFO;
static void (*log_sink)(const char *line, void *arg);
static void *log_sink_arg;

static const char *const level_names[] = {
	[XS_LOG_ERR] = "error", [XS_LOG_WARN] = "warn",
	[XS_LOG_INFO] = "info", [XS_LOG_DEBUG] = "debug",
};

void xs_log_set_sink(void (*sink)(const char *line, void *arg), void *arg)
{
	log_sink = sink;
	log_sink_arg = arg;
}

void xs_log_set_level(enum xs_log_level lvl)
{
	log_max = lvl;
}

int xs_log_open(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);

	if (fd < 0)
		return -1;
	xs_log_close();
	log_fd = fd;
	return 0;
}

void xs_log_close(void)
{
	if (log_fd >= 0)
		close(log_fd);
	log_fd = -1;
}

void xs_log(enum xs_log_level lvl, const char *fmt, ...)
{
	char line[LINE_MAX_BYTES];
	struct timespec ts;
	struct tm tm;
	va_list ap;
	int n, m;

	if (lvl > log_max)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n = snprintf(line, sizeof(line), "%02d:%02d:%02d.%03ld %s ",
		     tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000,
		     level_names[lvl]);
	va_start(ap, fmt);
	m = vsnprintf(line + n, sizeof(line) - n - 1, fmt, ap);
	va_end(ap);
	n = m < 0 ? n : (int)strnlen(line, sizeof(line) - 2);
	line[n++] = '\n';
	line[n] = '\0';
	if (log_sink) {
		log_sink(line, log_sink_arg);
		return;
	}
	if (write(log_fd >= 0 ? log_fd : 2, line, n) < 0)
		return;
}
