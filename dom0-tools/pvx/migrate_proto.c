/*
 * The migration control messages: a 16-byte header (magic, type,
 * length) and a payload of at most PVX_MIG_MSG_MAX bytes, checked before
 * anything is read into the caller's buffer; plus the one-time token
 * and the clocks both sides stamp their events with.
 */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "migrate.h"

static const char *const mig_type_names[PVX_MIG_TYPE_MAX] = {
	[PVX_MIG_HELLO] = "hello", [PVX_MIG_ACCEPT] = "accept",
	[PVX_MIG_REFUSE] = "refuse", [PVX_MIG_READY] = "ready",
	[PVX_MIG_GO] = "go", [PVX_MIG_RUNNING] = "running",
	[PVX_MIG_DONE] = "done",
};

const char *pvx_mig_type_name(uint32_t type)
{
	if (type < PVX_MIG_TYPE_MAX && mig_type_names[type])
		return mig_type_names[type];
	return "unknown";
}

static int mig_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno == EAGAIN ? -ETIMEDOUT : -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Reads exactly len bytes; waits at most timeout_s for each chunk. */
static int mig_read_all(int fd, void *buf, size_t len, int timeout_s)
{
	char *p = buf;

	while (len) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int r = poll(&pfd, 1, timeout_s > 0 ? timeout_s * 1000 : -1);
		ssize_t n;

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			return -ETIMEDOUT;
		n = read(fd, p, len);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EPIPE;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int pvx_mig_send_msg(int fd, uint32_t type, const void *p, uint32_t len)
{
	struct pvx_mig_hdr h = { .magic = PVX_MIG_MAGIC, .type = type, .len = len };
	int rc;

	if (len > PVX_MIG_MSG_MAX)
		return -EMSGSIZE;
	rc = mig_write_all(fd, &h, sizeof(h));
	if (rc == 0 && len)
		rc = mig_write_all(fd, p, len);
	return rc;
}

int pvx_mig_recv_msg(int fd, int timeout_s, uint32_t *type, void *p,
		     uint32_t cap, uint32_t *len)
{
	struct pvx_mig_hdr h;
	char sink[PVX_MIG_MSG_MAX];
	int rc = mig_read_all(fd, &h, sizeof(h), timeout_s);

	if (rc)
		return rc;
	if (h.magic != PVX_MIG_MAGIC || h.len > PVX_MIG_MSG_MAX || h.pad ||
	    h.type == 0 || h.type >= PVX_MIG_TYPE_MAX)
		return -EPROTO;
	/* A shorter payload than ours is zero-filled, a longer one cut. */
	rc = mig_read_all(fd, sink, h.len, timeout_s);
	if (rc)
		return rc;
	memset(p, 0, cap);
	memcpy(p, sink, h.len < cap ? h.len : cap);
	*type = h.type;
	if (len)
		*len = h.len;
	return 0;
}

int pvx_mig_refuse(int fd, int err, const char *fmt, ...)
{
	struct pvx_mig_refuse r = { .err = err };
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r.msg, sizeof(r.msg), fmt, ap);
	va_end(ap);
	return pvx_mig_send_msg(fd, PVX_MIG_REFUSE, &r, sizeof(r));
}

int pvx_mig_token_new(char out[PVX_MIG_TOKEN_HEX + 1])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char b[PVX_MIG_TOKEN_BYTES];
	size_t got = 0;

	while (got < sizeof(b)) {
		ssize_t n = getrandom(b + got, sizeof(b) - got, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		got += (size_t)n;
	}
	for (size_t i = 0; i < sizeof(b); i++) {
		out[2 * i] = hex[b[i] >> 4];
		out[2 * i + 1] = hex[b[i] & 15];
	}
	out[PVX_MIG_TOKEN_HEX] = '\0';
	return 0;
}

/* Every byte of the expected token is compared whatever the given one
 * holds, so the time taken says nothing about how much of it matched. */
bool pvx_mig_token_eq(const char *expected, const char *given)
{
	size_t n = strlen(expected), glen = strnlen(given, PVX_MIG_TOKEN_HEX + 1);
	volatile unsigned char diff = (unsigned char)(n != glen);

	for (size_t i = 0; i < n; i++) {
		unsigned char g = i < glen ? (unsigned char)given[i] : 0;

		diff |= (unsigned char)(expected[i] ^ g);
	}
	return diff == 0;
}

uint64_t pvx_mig_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

double pvx_mig_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}
