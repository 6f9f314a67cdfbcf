/*
 * cpulist: xl's CPU list syntax (xl.cfg `cpus=`, `pvx vcpu-pin`):
 * comma-separated items, each "all", "N" or "N-M", and "^N" / "^N-M"
 * removing CPUs added by the items before it ("0-7,^3"). A bad item is
 * reported by itself, so the message names what to fix.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pvx/config.h>

static int num(const char *s, const char *end, unsigned *out)
{
	unsigned long v = 0;

	if (s == end)
		return -EINVAL;
	for (; s < end; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		v = v * 10 + (unsigned long)(*s - '0');
		if (v >= PVX_CPULIST_BITS)
			return -ERANGE;
	}
	*out = (unsigned)v;
	return 0;
}

static void put_bits(uint64_t map[PVX_CPULIST_WORDS], unsigned lo, unsigned hi,
		     bool on)
{
	for (unsigned b = lo; b <= hi; b++) {
		if (on)
			map[b / 64] |= 1ull << (b % 64);
		else
			map[b / 64] &= ~(1ull << (b % 64));
	}
}

/* One item [s, end): 0 or -EINVAL / -ERANGE. */
static int item(const char *s, const char *end, uint64_t map[PVX_CPULIST_WORDS])
{
	bool on = *s != '^';
	const char *dash;
	unsigned lo, hi;
	int rc;

	if (!on)
		s++;
	if ((size_t)(end - s) == 3 && !strncmp(s, "all", 3)) {
		put_bits(map, 0, PVX_CPULIST_BITS - 1, on);
		return 0;
	}
	dash = memchr(s, '-', (size_t)(end - s));
	rc = num(s, dash ? dash : end, &lo);
	if (rc == 0)
		rc = dash ? num(dash + 1, end, &hi) : (hi = lo, 0);
	if (rc == 0 && hi < lo)
		rc = -EINVAL;
	if (rc == 0)
		put_bits(map, lo, hi, on);
	return rc;
}

int pvx_cpulist_parse(const char *s, uint64_t map[PVX_CPULIST_WORDS],
		      char *err, size_t errlen)
{
	const char *p = s, *end;
	int rc;

	memset(map, 0, PVX_CPULIST_WORDS * sizeof(uint64_t));
	if (!*s) {
		snprintf(err, errlen, "empty CPU list");
		return -EINVAL;
	}
	for (;; p = end + 1) {
		end = strchr(p, ',');
		if (!end)
			end = p + strlen(p);
		rc = item(p, end, map);
		if (rc < 0) {
			snprintf(err, errlen, "'%.*s' is not a CPU, range or 'all'%s",
				 (int)(end - p), p, rc == -ERANGE ?
				 " (CPUs go up to 255)" : "");
			return -EINVAL;
		}
		if (!*end)
			break;
	}
	for (unsigned i = 0; i < PVX_CPULIST_WORDS; i++)
		if (map[i])
			return 0;
	snprintf(err, errlen, "'%s' leaves no CPU", s);
	return -EINVAL;
}

static bool bit(const uint64_t map[PVX_CPULIST_WORDS], unsigned b)
{
	return map[b / 64] >> (b % 64) & 1;
}

void pvx_cpulist_format(const uint64_t map[PVX_CPULIST_WORDS], unsigned nr_cpus,
			char *out, size_t len)
{
	bool all = nr_cpus > 0;
	size_t n = 0;

	for (unsigned b = 0; b < nr_cpus && b < PVX_CPULIST_BITS; b++)
		all = all && bit(map, b);
	out[0] = '\0';
	if (all) {
		snprintf(out, len, "all");
		return;
	}
	for (unsigned b = 0; b < PVX_CPULIST_BITS && n < len; b++) {
		unsigned e = b;

		if (!bit(map, b))
			continue;
		while (e + 1 < PVX_CPULIST_BITS && bit(map, e + 1))
			e++;
		n += (size_t)snprintf(out + n, len - n, e > b ? "%s%u-%u" : "%s%u",
				      n ? "," : "", b, e);
		b = e;
	}
}
