/*
 * The logging API (pvx/log.h). Formatting happens in a stack buffer and
 * each destination gets the whole line in one write(2): O_APPEND makes
 * that atomic against other writers of the same file, and a crash loses
 * at most the line being formatted. A failed write is dropped on purpose:
 * a full disk or a closed stderr must not stop the daemon.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <pvx/log.h>

#define LINE_MAX_BYTES 600
#define MSG_MAX_BYTES 512

static const char *ident = "pvx";
static enum pvx_log_level max_level = PVX_LOG_INFO;
static int log_fd = -1;

static const char *const level_names[] = {
	[PVX_LOG_ERR] = "error", [PVX_LOG_WARN] = "warning",
	[PVX_LOG_INFO] = "info", [PVX_LOG_DEBUG] = "debug",
};

void pvx_log_set_ident(const char *name)
{
	ident = name;
}

void pvx_log_set_level(enum pvx_log_level max)
{
	max_level = max;
}

int pvx_log_open(const char *path)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);

	if (fd < 0)
		return -errno;
	pvx_log_close();
	log_fd = fd;
	return 0;
}

void pvx_log_close(void)
{
	if (log_fd >= 0)
		close(log_fd);
	log_fd = -1;
}

void pvx_vlog(enum pvx_log_level lvl, const char *fmt, va_list ap)
{
	char stamp[32], msg[MSG_MAX_BYTES], line[LINE_MAX_BYTES];
	struct timespec ts;
	struct tm tm;
	int n;

	if (lvl > max_level || lvl < PVX_LOG_ERR)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = snprintf(line, sizeof(line), "%s.%03ldZ %s %s: %s\n", stamp,
		     ts.tv_nsec / 1000000, ident, level_names[lvl], msg);
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

void pvx_log(enum pvx_log_level lvl, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	pvx_vlog(lvl, fmt, ap);
	va_end(ap);
}
