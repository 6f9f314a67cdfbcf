/*
 * The one logging API of pvx-blkback: one line per message, with a UTC
 * timestamp and the level, on stderr and (once the paths are known) in
 * <logdir>/pvx-blkback.log, like every pvx daemon. Lines are written
 * with one write(2) each, so nothing waits in a buffer if we die.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "daemon.h"

static enum bb_log_level min_level = BB_INFO;
static int log_fd = -1;

int bb_log_open(const char *path)
{
	log_fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	return log_fd < 0 ? -1 : 0;
}

void bb_log_close(void)
{
	if (log_fd >= 0)
		close(log_fd);
	log_fd = -1;
}

void bb_log_set_level(enum bb_log_level lvl)
{
	min_level = lvl;
}

void bb_log(enum bb_log_level lvl, const char *fmt, ...)
{
	static const char *const names[] = { "debug", "info", "warning", "error" };
	char stamp[32], msg[512], line[600];
	struct timespec ts;
	struct tm tm;
	va_list ap;
	int n;

	if (lvl < min_level)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	n = snprintf(line, sizeof(line), "%s.%03ldZ pvx-blkback %s: %s\n", stamp,
		     ts.tv_nsec / 1000000, names[lvl], msg);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line))
		n = (int)sizeof(line) - 1;
	if (write(STDERR_FILENO, line, (size_t)n) < 0) {
		/* stderr gone: the file still gets the line */
	}
	if (log_fd >= 0 && write(log_fd, line, (size_t)n) < 0) {
		/* disk full: nothing better to do than drop the line */
	}
}
