/*
 * xl's size syntax (memsize.h): a plain number is MiB, suffixes scale
 * by 1024 steps from bytes to TiB. Parsed by hand, not with strtoull:
 * no sign, no spaces, no hex, and overflow is an error, not a clamp.
 */
#include <errno.h>
#include <stddef.h>

#include "memsize.h"

/* Shift from the unit to bytes; -1: not a unit. */
static int unit_shift(char c)
{
	switch (c | 0x20) {
	case 'b': return 0;
	case 'k': return 10;
	case 'm': return 20;
	case 'g': return 30;
	case 't': return 40;
	default: return -1;
	}
}

int pvx_parse_mem_kib(const char *s, uint64_t *kib)
{
	uint64_t n = 0, bytes;
	size_t i = 0;
	int shift = 20;

	if (!s)
		return -EINVAL;
	for (; s[i] >= '0' && s[i] <= '9'; i++) {
		uint64_t d = (uint64_t)(s[i] - '0');

		if (n > (UINT64_MAX - d) / 10)
			return -ERANGE;
		n = n * 10 + d;
	}
	if (i == 0)
		return -EINVAL;
	if (s[i]) {
		shift = unit_shift(s[i]);
		if (shift < 0 || s[i + 1])
			return -EINVAL;
	}
	if (n > (UINT64_MAX >> shift))
		return -ERANGE;
	bytes = n << shift;
	if (!bytes || bytes % 4096)
		return -EINVAL;
	*kib = bytes >> 10;
	return 0;
}
