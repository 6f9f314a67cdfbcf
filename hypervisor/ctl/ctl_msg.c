/*
 * ctl_msg: validation of control datagrams, with no side effects.
 *
 * Order of checks (each failure is an error reply, never a crash):
 * shorter than the header or with a wrong magic -> -EPROTO; truncated by
 * the socket or len disagreeing with the bytes received -> -EMSGSIZE /
 * -EINVAL; an op outside the table or without a handler -> -EOPNOTSUPP;
 * a payload of the wrong size -> -EINVAL. Domain lookup is left to the
 * caller (it needs the live table).
 */
#include <errno.h>
#include <string.h>

#include "ctl.h"
#include "pvxd.h"

int ctl_check(const void *buf, size_t len, bool truncated,
	      const struct ctl_op *table, size_t nops, const struct ctl_op **op)
{
	struct pvx_ctl_hdr h;

	if (len < sizeof(h))
		return -EPROTO;
	memcpy(&h, buf, sizeof(h));
	if (h.magic != PVX_CTL_MAGIC)
		return -EPROTO;
	if (truncated || h.len > PVX_CTL_MAX_PAYLOAD)
		return -EMSGSIZE;
	if (h.len != len - sizeof(h))
		return -EINVAL;
	if (h.op >= nops || !table[h.op].fn)
		return -EOPNOTSUPP;
	*op = &table[h.op];
	if ((*op)->flags & CTL_EXACT ? h.len != (*op)->req_size
				      : h.len < (*op)->req_size)
		return -EINVAL;
	return 0;
}

int ctl_check_name(const char *name, size_t cap)
{
	size_t n = strnlen(name, cap);

	if (n == 0 || n == cap)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)name[i];

		if (ch <= ' ' || ch >= 0x7F || ch == '/')
			return -EINVAL;
	}
	return 0;
}

int ctl_check_create(const struct pvx_ctl_create_req *req, uint64_t host_kib)
{
	uint64_t max = req->maxmem_kib ? req->maxmem_kib : req->mem_kib;

	if (ctl_check_name(req->name, sizeof(req->name)) < 0)
		return -EINVAL;
	if (req->mem_kib % 4 || max % 4 || req->mem_kib < 1024 || max < req->mem_kib)
		return -EINVAL;
	if (req->vcpus < 1 || req->vcpus > PVX_MAX_VCPUS)
		return -EINVAL;
	if ((req->flags & ~(PVX_CREATE_F_RESTORE | PVX_CREATE_F_TIED)) ||
	    req->max_grant_frames > 1024)
		return -EINVAL;
	if ((req->flags & PVX_CREATE_F_TIED) && !(req->flags & PVX_CREATE_F_RESTORE))
		return -EINVAL;
	if (req->type >= PVX_TYPE_COUNT)
		return -EINVAL;
	if (max > PVX_RAM_MAX / 1024 || (host_kib && req->mem_kib > host_kib))
		return -ENOMEM;
	return 0;
}
