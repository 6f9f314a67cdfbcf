/*
 * The xenstore side common to minios's frontends (minios/xenbus_front.h):
 * blkfront and netfront had each their own copy of these.
 */
#include <xen/public/errno.h>
#include <xen/public/io/xenbus.h>

#include <minios/lib.h>
#include <minios/time.h>
#include <minios/xenbus_front.h>
#include <minios/xenstore.h>

int xbf_read_u64(const char *dir, const char *key, uint64_t *out)
{
	char path[160], val[32];
	int rc;

	snprintf(path, sizeof(path), "%s/%s", dir, key);
	rc = xs_read(0, path, val, sizeof(val));
	if (rc < 0)
		return rc;
	return parse_u64(val, out);
}

int xbf_list(const char *dir, char *names, size_t len, uint32_t *ids, unsigned max,
	     uint64_t limit)
{
	unsigned n = 0;
	const char *p = names;
	int cnt = xs_directory(0, dir, names, len);

	for (int i = 0; i < cnt && n < max; i++, p += strlen(p) + 1) {
		uint64_t v;

		if (parse_u64(p, &v) == 0 && v <= limit)
			ids[n++] = (uint32_t)v;
	}
	return cnt < 0 ? cnt : (int)n;
}

int xbf_state(const char *be)
{
	uint64_t st;
	int rc = xbf_read_u64(be, "state", &st);

	return rc < 0 ? rc : (int)st;
}

int xbf_wait_state(const char *be, int want, uint64_t timeout_ns)
{
	uint64_t deadline = time_now_ns() + timeout_ns;

	while (time_now_ns() < deadline) {
		int st = xbf_state(be);

		if (st == want)
			return 0;
		if (st == -XEN_ENOENT)
			return -XEN_ENODEV; /* the backend's state (or directory) is gone */
		if (st >= XenbusStateClosing && want < XenbusStateClosing)
			return -XEN_EIO;
		msleep(1);
	}
	return -XEN_ETIMEDOUT;
}

void xbf_wait_past(const char *be, int st, uint64_t deadline_ns)
{
	while (time_now_ns() < deadline_ns) {
		int cur = xbf_state(be);

		if (cur < 0 || cur >= st)
			return;
		msleep(1);
	}
}
