/*
 * grant_table_op (20): arg 1 = GNTTABOP_*, arg 2 = GVA of an array of
 * `count` op structs (arg 3). Every struct is copied in once, checked and
 * answered through its status field (GNTST_*), as Xen does; the call
 * itself returns 0, or an errno for what Xen answers with one (a bad
 * count, an unreadable array, an unsupported op).
 *
 *  - query_size, setup_table, get_version: the caller's own table only
 *    (another domain: GNTST_permission_denied / -EPERM, as for a Xen
 *    DomU).
 *  - set_version: 1 only; 2 is -ENOSYS (v2 disabled), anything else
 *    -EINVAL; the current version is written back either way.
 *  - copy: both directions between the caller's own frames and grants
 *    other domains made to it (gnttab_copy.c).
 *  - map/unmap_grant_ref, transfer and the rest: -ENOSYS. Backends are
 *    Dom0 processes and map through the control socket; a guest backend
 *    would need foreign memslots, which pvxd does not do.
 * At most GNTTAB_OP_MAX structs per call (-EINVAL beyond): pvxd has no
 * hypercall continuations, and a vCPU must not sit in one call forever.
 */
#include <errno.h>
#include <stddef.h>

#include <xen/public/grant_table.h>

#include "dom.h"
#include "gnttab.h"
#include "hcall.h"
#include "pvxd.h"

typedef long (*gt_opfn)(struct hc_ctx *c, uint64_t uop, uint32_t count);

static int16_t self_status(struct hc_ctx *c, domid_t dom)
{
	return hc_self_domid(c, dom) < 0 ? GNTST_permission_denied : GNTST_okay;
}

static long op_query_size(struct hc_ctx *c, uint64_t uop, uint32_t count)
{
	for (uint32_t i = 0; i < count; i++, uop += sizeof(struct gnttab_query_size)) {
		struct gnttab_query_size q;

		if (hc_copy_from(c, &q, uop, sizeof(q)) < 0)
			return -EFAULT;
		q.status = self_status(c, q.dom);
		if (q.status == GNTST_okay)
			q.status = gnttab_query_size((domid_t)c->d->domid,
						     &q.nr_frames, &q.max_nr_frames);
		if (hc_copy_to(c, uop, &q, sizeof(q)) < 0)
			return -EFAULT;
	}
	return 0;
}

/* Writes the frame list first, then grows: a fault changes nothing. */
static int16_t setup_one(struct hc_ctx *c, const struct gnttab_setup_table *s)
{
	uint64_t gfns[GNTTAB_MAX_FRAMES];
	uint32_t nr, max;
	domid_t self = (domid_t)c->d->domid;

	if (gnttab_query_size(self, &nr, &max) != GNTST_okay)
		return GNTST_bad_domain;
	if (s->nr_frames > max)
		return GNTST_general_error;
	for (uint32_t i = 0; i < s->nr_frames; i++)
		gfns[i] = ~0ull;
	/* Frames beyond nr were never placed: only the first nr can have a gfn. */
	if (gnttab_setup_table(self, s->nr_frames < nr ? s->nr_frames : nr, gfns) != GNTST_okay)
		return GNTST_general_error;
	if (hc_copy_to(c, s->frame_list, gfns, s->nr_frames * sizeof(gfns[0])) < 0)
		return GNTST_bad_virt_addr;
	return gnttab_setup_table(self, s->nr_frames, gfns);
}

static long op_setup_table(struct hc_ctx *c, uint64_t uop, uint32_t count)
{
	for (uint32_t i = 0; i < count; i++, uop += sizeof(struct gnttab_setup_table)) {
		struct gnttab_setup_table s;

		if (hc_copy_from(c, &s, uop, sizeof(s)) < 0)
			return -EFAULT;
		s.status = self_status(c, s.dom);
		if (s.status == GNTST_okay)
			s.status = setup_one(c, &s);
		if (hc_copy_to(c, uop + offsetof(struct gnttab_setup_table, status),
			       &s.status, sizeof(s.status)) < 0)
			return -EFAULT;
	}
	return 0;
}

static long op_set_version(struct hc_ctx *c, uint64_t uop, uint32_t count)
{
	struct gnttab_set_version v;
	long r;

	(void)count; /* Xen ignores it: one struct */
	if (hc_copy_from(c, &v, uop, sizeof(v)) < 0)
		return -EFAULT;
	r = gnttab_set_version((domid_t)c->d->domid, &v.version);
	if (hc_copy_to(c, uop, &v, sizeof(v)) < 0)
		return -EFAULT;
	return r;
}

static long op_get_version(struct hc_ctx *c, uint64_t uop, uint32_t count)
{
	struct gnttab_get_version v;
	long r;

	(void)count;
	if (hc_copy_from(c, &v, uop, sizeof(v)) < 0)
		return -EFAULT;
	r = hc_self_domid(c, v.dom);
	if (r < 0)
		return r;
	v.version = 1;
	return hc_copy_to(c, uop, &v, sizeof(v)) < 0 ? -EFAULT : 0;
}

static void copy_side(struct hc_ctx *c, const struct gnttab_copy_ptr *p,
		      bool gref, struct gnttab_copy_side *s)
{
	domid_t self = (domid_t)c->d->domid;

	*s = (struct gnttab_copy_side){
		.gref = gref,
		.dom = p->domid == DOMID_SELF ? self : p->domid,
		.ref_or_gfn = gref ? p->u.ref : p->u.gmfn,
		.offset = p->offset,
	};
}

static long op_copy(struct hc_ctx *c, uint64_t uop, uint32_t count)
{
	for (uint32_t i = 0; i < count; i++, uop += sizeof(struct gnttab_copy)) {
		struct gnttab_copy op;
		struct gnttab_copy_side src, dst;

		if (hc_copy_from(c, &op, uop, sizeof(op)) < 0)
			return -EFAULT;
		copy_side(c, &op.source, op.flags & GNTCOPY_source_gref, &src);
		copy_side(c, &op.dest, op.flags & GNTCOPY_dest_gref, &dst);
		op.status = gnttab_copy((domid_t)c->d->domid, &src, &dst, op.len);
		if (hc_copy_to(c, uop + offsetof(struct gnttab_copy, status),
			       &op.status, sizeof(op.status)) < 0)
			return -EFAULT;
	}
	return 0;
}

static const gt_opfn gt_ops[] = {
	[GNTTABOP_setup_table] = op_setup_table,
	[GNTTABOP_copy]        = op_copy,
	[GNTTABOP_query_size]  = op_query_size,
	[GNTTABOP_set_version] = op_set_version,
	[GNTTABOP_get_version] = op_get_version,
};

long hc_grant_table_op(struct hc_ctx *c)
{
	uint64_t cmd = c->arg[0], count = c->arg[2];

	if (cmd >= ARRAY_SIZE(gt_ops) || !gt_ops[cmd])
		return -ENOSYS;
	if (count > GNTTAB_OP_MAX)
		return -EINVAL;
	return gt_ops[cmd](c, c->arg[1], (uint32_t)count);
}
