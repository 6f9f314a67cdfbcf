/*
 * pvxd's logging (log.h) on the common API of libpvxutil (pvx/log.h):
 * that library formats the line and writes it to stderr and pvxd.log;
 * what stays here is pvxd's own: its prefix ("17:44:36.123 pvxd warn: ",
 * the look pvxd's lines always had), its textring that PVX_CTL_DMESG
 * serves as domain -1, the per-domain copy of log_msg_to, and the guest
 * console text that goes to the file without a prefix.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <pvx/log.h>

#include "log.h"

#define LOG_RING_BYTES (256 * 1024)
#define LOG_LINE_MAX 1024

/* pvxd's levels are the library's, by value. */
_Static_assert((int)LOG_ERR == (int)PVX_LOG_ERR && (int)LOG_WARN == (int)PVX_LOG_WARN &&
	       (int)LOG_INFO == (int)PVX_LOG_INFO && (int)LOG_DEBUG == (int)PVX_LOG_DEBUG,
	       "enum log_level must match enum pvx_log_level");

static struct textring ring;
static pthread_once_t ring_once = PTHREAD_ONCE_INIT;
static pthread_once_t prefix_once = PTHREAD_ONCE_INIT;

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

static size_t prefix(char *buf, size_t cap, enum pvx_log_level lvl, void *arg)
{
	size_t n = pvx_log_stamp(buf, cap, false);
	int m = snprintf(buf + n, cap - n, "pvxd %s: ", level_names[lvl]);

	(void)arg;
	return m < 0 ? n : n + (size_t)m < cap ? n + (size_t)m : cap - 1;
}

/* Before the first line, from whichever thread logs first (unit tests
 * log without going through main). */
static void prefix_init(void)
{
	pvx_log_set_prefix(prefix, NULL);
}

void log_use_prefix(void)
{
	pthread_once(&prefix_once, prefix_init);
}

void log_set_level(enum log_level max)
{
	pvx_log_set_level((enum pvx_log_level)max);
}

static void log_line(struct textring *extra, enum log_level lvl,
		     const char *fmt, va_list ap)
{
	char line[LOG_LINE_MAX];
	struct textring *r = log_ring();
	size_t n;

	if (!pvx_log_enabled((enum pvx_log_level)lvl))
		return;
	pthread_once(&prefix_once, prefix_init);
	n = pvx_log_format(line, sizeof(line), (enum pvx_log_level)lvl, fmt, ap);
	pvx_log_write(line, n);
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
	pvx_log_raw(text, len);
}

bool ratelimit_ok(struct ratelimit *rl)
{
	uint64_t n = __atomic_fetch_add(&rl->seen, 1, __ATOMIC_RELAXED);
	uint32_t burst = rl->every ? rl->burst : 10;   /* zeroed: defaults */
	uint32_t every = rl->every ? rl->every : 1000;

	return n < burst || (n - burst) % every == 0;
}
