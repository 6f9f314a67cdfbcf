/*
 * ctl_mig: the control ops of save/restore and live migration
 * (pvx/ctl.h: GET_STATE, SET_STATE, DIRTY_LOG, RESUME); the work is
 * dom_mig.c's, this file only checks the datagrams and lays out the
 * replies.
 */
#include <errno.h>
#include <string.h>

#include "ctl.h"
#include "dom.h"

int ctl_get_state(struct ctl_req *rq, struct ctl_reply *rep)
{
	struct pvx_ctl_state_chunk c;
	uint32_t len = 0;
	uint64_t total = 0;
	int r;

	memcpy(&c, rq->payload, sizeof(c));
	r = dom_mig_get_state(rq->dom, c.offset, rep->buf + sizeof(c),
			      PVX_CTL_STATE_CHUNK_MAX, &len, &total);
	if (r < 0)
		return r;
	c.total = total;
	c.len = len;
	c.pad = 0;
	memcpy(rep->buf, &c, sizeof(c));
	rep->len = (uint32_t)sizeof(c) + len;
	return 0;
}

int ctl_set_state(struct ctl_req *rq, struct ctl_reply *rep)
{
	struct pvx_ctl_state_chunk c;

	(void)rep;
	memcpy(&c, rq->payload, sizeof(c));
	if (c.len > PVX_CTL_STATE_CHUNK_MAX || rq->hdr->len != sizeof(c) + c.len)
		return -EINVAL;
	return dom_mig_set_state(rq->dom, c.offset, c.total,
				 (const uint8_t *)rq->payload + sizeof(c), c.len);
}

int ctl_dirty_log(struct ctl_req *rq, struct ctl_reply *rep)
{
	struct pvx_ctl_dirty_req q;
	struct pvx_ctl_dirty_rsp rsp = { 0, 0, 0 };
	int r;

	memcpy(&q, rq->payload, sizeof(q));
	if (q.cmd == PVX_DIRTY_FETCH &&
	    (q.nr_pfns == 0 || q.nr_pfns > PVX_CTL_DIRTY_MAX_PFNS || q.nr_pfns % 64))
		return -EINVAL;
	r = dom_mig_dirty(rq->dom, q.cmd, q.first_pfn, q.nr_pfns,
			  (uint64_t *)(rep->buf + sizeof(rsp)), &rsp.dirty, rq->conn);
	if (r < 0)
		return r;
	if (q.cmd == PVX_DIRTY_FETCH) {
		rsp.first_pfn = q.first_pfn;
		rsp.nr_pfns = q.nr_pfns;
		rep->len = (uint32_t)(sizeof(rsp) + q.nr_pfns / 8);
		memcpy(rep->buf, &rsp, sizeof(rsp));
	}
	return 0;
}

int ctl_resume(struct ctl_req *rq, struct ctl_reply *rep)
{
	(void)rep;
	return dom_mig_resume(rq->dom);
}
