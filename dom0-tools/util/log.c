/*
 * The logging API (pvx/log.h). A line is formatted in a stack buffer and
 * each destination gets it whole in one write(2): O_APPEND makes that
 * atomic against other writers of the same file, and a crash loses at
 * most the line being formatted. A failed write is dropped on purpose: a
 * full disk or a closed stderr must not stop the daemon.
 *
 * The mutex only keeps the file descriptor stable while threads write
 * (pvxd's vCPU threads log); the configuration setters run at start-up,
 * before there are other threads.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <pvx/log.h>

#define LINE_MAX_BYTES 1024

static pthread_mutex_t file_lock = PTHREAD_MUTEX_INITIALIZER;
static int log_fd = -1;
static const char *ident = "pvx";
static enum pvx_log_level max_level = PVX_LOG_INFO;
static enum pvx_log_stderr stderr_when = PVX_LOG_STDERR_ALWAYS;
static pvx_log_prefix_fn *prefix_fn;
static void *prefix_arg;
static void (*sink_fn)(const char *line, void *arg);
static void *sink_arg;

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

bool pvx_log_enabled(enum pvx_log_level lvl)
{
	return lvl >= PVX_LOG_ERR && lvl <= max_level;
}

void pvx_log_set_stderr(enum pvx_log_stderr when)
{
	stderr_when = when;
}

void pvx_log_set_prefix(pvx_log_prefix_fn *fn, void *arg)
{
	prefix_fn = fn;
	prefix_arg = arg;
}

void pvx_log_set_sink(void (*sink)(const char *line, void *arg), void *arg)
{
	sink_fn = sink;
	sink_arg = arg;
}

int pvx_log_open(const char *path, unsigned int mode)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, mode);

	if (fd < 0)
		return -errno;
	pthread_mutex_lock(&file_lock);
	if (log_fd >= 0)
		close(log_fd);
	log_fd = fd;
	pthread_mutex_unlock(&file_lock);
	return 0;
}

void pvx_log_close(void)
{
	pthread_mutex_lock(&file_lock);
	if (log_fd >= 0)
		close(log_fd);
	log_fd = -1;
	pthread_mutex_unlock(&file_lock);
}

size_t pvx_log_stamp(char *buf, size_t cap, bool with_date)
{
	struct timespec ts;
	struct tm tm;
	int n;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	if (with_date)
		n = snprintf(buf, cap, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ ",
			     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
			     tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000);
	else
		n = snprintf(buf, cap, "%02d:%02d:%02d.%03ld ", tm.tm_hour, tm.tm_min,
			     tm.tm_sec, ts.tv_nsec / 1000000);
	return n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
}

static size_t default_prefix(char *buf, size_t cap, enum pvx_log_level lvl)
{
	size_t n = pvx_log_stamp(buf, cap, true);
	int m = snprintf(buf + n, cap - n, "%s %s: ", ident, level_names[lvl]);

	return m < 0 ? n : n + (size_t)m < cap ? n + (size_t)m : cap - 1;
}

size_t pvx_log_format(char *buf, size_t cap, enum pvx_log_level lvl,
		      const char *fmt, va_list ap)
{
	size_t n = prefix_fn ? prefix_fn(buf, cap - 1, lvl, prefix_arg)
			     : default_prefix(buf, cap - 1, lvl);
	int m = vsnprintf(buf + n, cap - 1 - n, fmt, ap);

	if (m > 0)   /* vsnprintf says what it wanted, not what it wrote */
		n += (size_t)m < cap - 1 - n ? (size_t)m : cap - 2 - n;
	buf[n++] = '\n';
	buf[n] = '\0';
	return n;
}

void pvx_log_write(const char *line, size_t len)
{
	if (sink_fn) {
		sink_fn(line, sink_arg);
		return;
	}
	pthread_mutex_lock(&file_lock);
	if ((stderr_when == PVX_LOG_STDERR_ALWAYS || log_fd < 0) &&
	    write(STDERR_FILENO, line, len) < 0) {
		/* stderr gone: the file still gets the line */
	}
	if (log_fd >= 0 && write(log_fd, line, len) < 0) {
		/* disk full: nothing better to do than drop the line */
	}
	pthread_mutex_unlock(&file_lock);
}

void pvx_log_raw(const char *text, size_t len)
{
	pthread_mutex_lock(&file_lock);
	if (log_fd >= 0 && write(log_fd, text, len) < 0) {
		/* as in pvx_log_write */
	}
	pthread_mutex_unlock(&file_lock);
}

void pvx_vlog(enum pvx_log_level lvl, const char *fmt, va_list ap)
{
	char line[LINE_MAX_BYTES];

	if (!pvx_log_enabled(lvl))
		return;
	pvx_log_write(line, pvx_log_format(line, sizeof(line), lvl, fmt, ap));
}

void pvx_log(enum pvx_log_level lvl, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	pvx_vlog(lvl, fmt, ap);
	va_end(ap);
}
