/*
 * The logging API (log.h). One mutex serialises formatting so lines from
 * vCPU threads and the control thread never interleave; writes are a
 * single write(2) per destination.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

#define LOG_RING_BYTES (256 * 1024)
#define LOG_LINE_MAX 1024

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static int log_fd = -1;
static enum log_level log_max = LOG_INFO;
static struct textring ring;
static pthread_once_t ring_once = PTHREAD_ONCE_INIT;

static const char *const level_names[] = {
	[LOG_ERR] = "error", [LOG_WARN] = "warn",
	[LOG_INFO] = "info", [LOG_DEBUG] = "debug",
};

static void ring_init(void)
{
	if (textring_init(&ring, LOG_RING_BYTES) < 0)
		ring.buf = NULL;
	else /* resident from the start: RSS should not creep as it fills */
		memset(ring.buf, 0, LOG_RING_BYTES);
}

struct textring *log_ring(void)
{
	pthread_once(&ring_once, ring_init);
	return ring.buf ? &ring : NULL;
}

void log_set_level(enum log_level max)
{
	log_max = max;
}

static size_t stamp(char *buf, size_t cap, enum log_level lvl)
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	return snprintf(buf, cap, "%02d:%02d:%02d.%03ld pvxd %s: ", tm.tm_hour,
			tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000, level_names[lvl]);
}

static void log_line(struct textring *extra, enum log_level lvl,
		     const char *fmt, va_list ap)
{
	char line[LOG_LINE_MAX];
	struct textring *r = log_ring();
	size_t n;
	int m;

	if (lvl > log_max)
		return;
	n = stamp(line, sizeof(line), lvl);
	m = vsnprintf(line + n, sizeof(line) - n - 1, fmt, ap);
	if (m < 0)
		m = 0;
	n += (size_t)m < sizeof(line) - n - 1 ? (size_t)m : sizeof(line) - n - 2;
	line[n++] = '\n';
	pthread_mutex_lock(&log_lock);
	if (write(STDERR_FILENO, line, n) < 0) {
		/* stderr gone: the file and ring still get the line */
	}
	if (log_fd >= 0 && write(log_fd, line, n) < 0) {
		/* disk full: nothing better to do than drop the line */
	}
	pthread_mutex_unlock(&log_lock);
	if (r)
		textring_append(r, line, n);
	if (extra)
		textring_append(extra, line, n);
}

void log_vmsg(enum log_level lvl, const char *fmt, va_list ap)
{
	log_line(NULL, lvl, fmt, ap);
}

void log_msg_to(struct textring *extra, enum log_level lvl, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_line(extra, lvl, fmt, ap);
	va_end(ap);
}

void log_msg(enum log_level lvl, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(lvl, fmt, ap);
	va_end(ap);
}

void log_file_raw(const char *text, size_t len)
{
	pthread_mutex_lock(&log_lock);
	if (log_fd >= 0 && write(log_fd, text, len) < 0) {
		/* as above */
	}
	pthread_mutex_unlock(&log_lock);
}

int log_open_file(const char *logdir)
{
	char path[4096];
	int fd;

	if (mkdir(logdir, 0700) < 0 && errno != EEXIST)
		return -errno;
	if (snprintf(path, sizeof(path), "%s/pvxd.log", logdir) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	pthread_mutex_lock(&log_lock);
	log_fd = fd;
	pthread_mutex_unlock(&log_lock);
	return 0;
}

void log_close_file(void)
{
	pthread_mutex_lock(&log_lock);
	if (log_fd >= 0)
		close(log_fd);
	log_fd = -1;
	pthread_mutex_unlock(&log_lock);
}

bool ratelimit_ok(struct ratelimit *rl)
{
	uint64_t n = __atomic_fetch_add(&rl->seen, 1, __ATOMIC_RELAXED);
	uint32_t burst = rl->every ? rl->burst : 10;   /* zeroed: defaults */
	uint32_t every = rl->every ? rl->every : 1000;

	return n < burst || (n - burst) % every == 0;
}
