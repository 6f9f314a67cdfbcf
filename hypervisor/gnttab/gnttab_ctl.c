/*
 * gnttab_ctl: the PVX_CTL_GNTTAB_* control ops (wire format in pvx/ctl.h,
 * design in docs/grant-tables.md). Dom0 is domain 0: each connection is
 * a grant "owner" whose handles die with it (ctl.c calls
 * gnttab_owner_release on close).
 *
 * The whole request is checked (count, exact length, flags, data sizes)
 * before the first grant is touched: a malformed request is -EINVAL and
 * changes nothing. Per-entry outcomes are GNTST_* codes in the reply.
 */
#include <errno.h>
#include <string.h>

#include "ctl.h"
#include "dom.h"
#include "gnttab.h"
#include "pvxd.h"

static int check_count(uint32_t count)
{
	return count == 0 || count > PVX_CTL_GNTTAB_BATCH_MAX ? -EINVAL : 0;
}

int gnttab_ctl_map(struct ctl_req *rq, struct ctl_reply *rep)
{
	struct pvx_ctl_gnttab_map_req q;
	struct pvx_ctl_gnttab_map_rsp rsp = { 0 };
	const struct pvx_ctl_gnttab_ref *refs;
	struct pvx_ctl_gnttab_map_res *res;
	domid_t dom = (domid_t)rq->dom->domid;

	memcpy(&q, rq->payload, sizeof(q));
	if (check_count(q.count) < 0 || q.flags & ~PVX_CTL_GNTMAP_WANT_MEMFD ||
	    rq->hdr->len != sizeof(q) + (uint64_t)q.count * sizeof(*refs))
		return -EINVAL;
	refs = (const void *)((const uint8_t *)rq->payload + sizeof(q));
	for (uint32_t i = 0; i < q.count; i++)
		if (refs[i].flags & ~PVX_CTL_GNTMAP_READONLY)
			return -EINVAL;
	res = (void *)(rep->buf + sizeof(rsp));
	for (uint32_t i = 0; i < q.count; i++) {
		struct gnttab_map_result r = { 0 };
		int16_t st = gnttab_map(rq->conn, PVX_DOM0, dom, refs[i].ref,
					refs[i].flags & PVX_CTL_GNTMAP_READONLY, &r);

		res[i] = (struct pvx_ctl_gnttab_map_res){ .status = st };
		if (st == GNTST_okay)
			res[i] = (struct pvx_ctl_gnttab_map_res){ r.offset, r.gfn, r.handle, st };
	}
	rsp.cookie = gnttab_dom_cookie(dom);
	rsp.count = q.count;
	if (q.flags & PVX_CTL_GNTMAP_WANT_MEMFD) {
		rsp.memfd_size = rq->dom->vm.mem_size;
		rep->fds[0] = rq->dom->vm.memfd;
		rep->nfds = 1;
	}
	memcpy(rep->buf, &rsp, sizeof(rsp));
	rep->len = (uint32_t)(sizeof(rsp) + q.count * sizeof(*res));
	return 0;
}

int gnttab_ctl_unmap(struct ctl_req *rq, struct ctl_reply *rep)
{
	struct pvx_ctl_gnttab_unmap_req q;
	const uint32_t *handles;
	int32_t *st = (int32_t *)rep->buf;

	memcpy(&q, rq->payload, sizeof(q));
	if (check_count(q.count) < 0 ||
	    rq->hdr->len != sizeof(q) + (uint64_t)q.count * sizeof(*handles))
		return -EINVAL;
	handles = (const void *)((const uint8_t *)rq->payload + sizeof(q));
	for (uint32_t i = 0; i < q.count; i++)
		st[i] = gnttab_unmap(rq->conn, handles[i]);
	rep->len = q.count * sizeof(*st);
	return 0;
}

/* Sizes of the data that travels each way; -EINVAL if out of bounds. */
static int copy_sizes(const struct pvx_ctl_gnttab_copy_seg *s, uint32_t n,
		      uint64_t *to, uint64_t *from)
{
	*to = *from = 0;
	for (uint32_t i = 0; i < n; i++) {
		if (s[i].len > XEN_PAGE_SIZE || s[i].flags & ~PVX_CTL_GNTCOPY_TO_GUEST)
			return -EINVAL;
		if (s[i].flags & PVX_CTL_GNTCOPY_TO_GUEST)
			*to += s[i].len;
		else
			*from += s[i].len;
	}
	return *to > PVX_CTL_GNTTAB_COPY_DATA_MAX ||
	       *from > PVX_CTL_GNTTAB_COPY_DATA_MAX ? -EINVAL : 0;
}

int gnttab_ctl_copy(struct ctl_req *rq, struct ctl_reply *rep)
{
	struct pvx_ctl_gnttab_copy_req q;
	const struct pvx_ctl_gnttab_copy_seg *segs;
	const uint8_t *in;
	uint8_t *out;
	int32_t *st = (int32_t *)rep->buf;
	uint64_t to, from;

	memcpy(&q, rq->payload, sizeof(q));
	if (check_count(q.count) < 0 ||
	    rq->hdr->len < sizeof(q) + (uint64_t)q.count * sizeof(*segs))
		return -EINVAL;
	segs = (const void *)((const uint8_t *)rq->payload + sizeof(q));
	if (copy_sizes(segs, q.count, &to, &from) < 0 ||
	    rq->hdr->len != sizeof(q) + q.count * sizeof(*segs) + to)
		return -EINVAL;
	in = (const uint8_t *)(segs + q.count);
	out = rep->buf + q.count * sizeof(*st);
	memset(out, 0, from);
	for (uint32_t i = 0; i < q.count; i++) {
		bool tog = segs[i].flags & PVX_CTL_GNTCOPY_TO_GUEST;
		struct gnttab_copy_side g = { .gref = true, .dom = (domid_t)rq->dom->domid,
			.ref_or_gfn = segs[i].ref, .offset = segs[i].offset };
		struct gnttab_copy_side l = { .local = tog ? (uint8_t *)in : out };

		st[i] = tog ? gnttab_copy(PVX_DOM0, &l, &g, segs[i].len)
			    : gnttab_copy(PVX_DOM0, &g, &l, segs[i].len);
		if (tog)
			in += segs[i].len;
		else
			out += segs[i].len;
	}
	rep->len = (uint32_t)(q.count * sizeof(*st) + from);
	return 0;
}
