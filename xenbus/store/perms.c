/*
 * Node permissions (reference §3.3). A node carries one or more entries
 * "<letter><domid>": the first names the owner (full access) and, by its
 * letter, the default for every domain not listed; later entries grant a
 * listed domain r(ead), w(rite), b(oth) or n(one). Privileged connections
 * (dom0's socket) bypass all of it. A domain given a target by SET_TARGET
 * also gets its target's rights.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "xs_core.h"

static const char perm_letters[] = { 'n', 'r', 'w', 'b' };

int perms_parse(const char *const *args, unsigned n, struct xs_perm *out)
{
	uint64_t id;
	unsigned i;

	if (n == 0)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		const char *a = args[i];

		switch (a[0]) {
		case 'n': out[i].perm = XS_PERM_NONE; break;
		case 'r': out[i].perm = XS_PERM_READ; break;
		case 'w': out[i].perm = XS_PERM_WRITE; break;
		case 'b': out[i].perm = XS_PERM_BOTH; break;
		default: return -EINVAL;
		}
		/* Domids are 16-bit in Xen; DOMID_FIRST_RESERVED is 0x7FF0. */
		if (xs_parse_uint(a + 1, 0x7FEF, &id))
			return -EINVAL;
		out[i].id = (uint32_t)id;
	}
	return 0;
}

int perm_format_one(const struct xs_perm *p, char *buf, size_t cap)
{
	int n = snprintf(buf, cap, "%c%u", perm_letters[p->perm & 3], p->id);

	return n < 0 || (size_t)n >= cap ? -E2BIG : n;
}

/* "n0\0r5\0" into buf; returns bytes used (each entry NUL-terminated). */
int perms_format(const struct xs_perm *p, uint32_t n, char *buf, size_t cap)
{
	size_t used = 0;
	uint32_t i;
	int k;

	for (i = 0; i < n; i++) {
		k = perm_format_one(&p[i], buf + used, cap - used);
		if (k < 0 || used + k + 1 > cap)
			return -E2BIG;
		used += k + 1;
	}
	return (int)used;
}

static uint32_t perms_for_id(uint32_t id, const struct xs_perm *p, uint32_t n)
{
	uint32_t i;

	if (p[0].id == id)
		return XS_PERM_BOTH;
	for (i = 1; i < n; i++)
		if (p[i].id == id)
			return p[i].perm;
	return p[0].perm;
}

uint32_t perms_for(const struct xs_conn *c, const struct xs_perm *p, uint32_t n)
{
	uint32_t r;

	if (c->privileged)
		return XS_PERM_BOTH;
	r = perms_for_id(c->domid, p, n);
	if (c->dom && c->dom->target != UINT32_MAX)
		r |= perms_for_id(c->dom->target, p, n);
	return r;
}

bool conn_is_owner(const struct xs_conn *c, const struct xs_perm *p, uint32_t n)
{
	(void)n;
	if (c->privileged || p[0].id == c->domid)
		return true;
	return c->dom && c->dom->target != UINT32_MAX && p[0].id == c->dom->target;
}
