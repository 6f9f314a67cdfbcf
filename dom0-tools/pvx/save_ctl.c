/*
 * pvxd's save/restore ops for the engine (pvx/ctl.h): the opaque state
 * blob, read and written in chunks of at most one datagram, the dirty
 * log and resume. The blob is carried, never interpreted, here.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <pvx/ctlclient.h>
#include <pvx/migstream.h>

#include "save_ctl.h"

int pvx_save_get_state(struct pvx_ctl *c, int32_t domid, uint8_t **blob, size_t *len)
{
	uint8_t *rsp = malloc(PVX_CTL_MAX_PAYLOAD), *out = NULL;
	uint64_t total = 0, have = 0;
	int rc = rsp ? 0 : -ENOMEM;

	while (rc == 0) {
		struct pvx_ctl_state_chunk req = { .offset = have,
						   .len = PVX_CTL_STATE_CHUNK_MAX }, h;
		uint32_t got = 0;

		rc = pvx_ctl_call(c, PVX_CTL_GET_STATE, domid, &req, sizeof(req), rsp,
				  PVX_CTL_MAX_PAYLOAD, &got, NULL, 0, NULL);
		if (rc < 0)
			break;
		if (got < sizeof(h)) {
			rc = -EPROTO;
			break;
		}
		memcpy(&h, rsp, sizeof(h));
		if (have == 0) {
			total = h.total;
			if (total == 0 || total > PVX_MIG_STATE_MAX ||
			    !(out = malloc(total))) {
				rc = total ? -ENOMEM : -EPROTO;
				break;
			}
		}
		if (h.total != total || h.offset != have || h.len == 0 ||
		    h.len != got - sizeof(h) || h.len > total - have) {
			rc = -EPROTO;
			break;
		}
		memcpy(out + have, rsp + sizeof(h), h.len);
		have += h.len;
		if (have == total)
			break;
	}
	free(rsp);
	if (rc < 0) {
		free(out);
		return rc;
	}
	*blob = out;
	*len = (size_t)total;
	return 0;
}

int pvx_save_set_state(struct pvx_ctl *c, int32_t domid, const uint8_t *blob, size_t len)
{
	uint8_t *req = malloc(sizeof(struct pvx_ctl_state_chunk) + PVX_CTL_STATE_CHUNK_MAX);
	size_t off = 0;
	int rc = req ? 0 : -ENOMEM;

	while (rc == 0 && off < len) {
		struct pvx_ctl_state_chunk h = { .offset = off, .total = len };

		h.len = (uint32_t)(len - off < PVX_CTL_STATE_CHUNK_MAX ? len - off
								: PVX_CTL_STATE_CHUNK_MAX);
		memcpy(req, &h, sizeof(h));
		memcpy(req + sizeof(h), blob + off, h.len);
		rc = pvx_ctl_call(c, PVX_CTL_SET_STATE, domid, req, sizeof(h) + h.len, NULL, 0,
				  NULL, NULL, 0, NULL);
		off += h.len;
	}
	free(req);
	return rc;
}

int pvx_save_dirty(struct pvx_ctl *c, int32_t domid, uint32_t cmd, uint64_t first,
		   uint64_t n, uint64_t *bitmap, uint64_t *ndirty)
{
	struct pvx_ctl_dirty_req req = { .cmd = cmd, .first_pfn = first, .nr_pfns = n };
	uint8_t *rsp;
	uint32_t got = 0;
	struct pvx_ctl_dirty_rsp h;
	int rc;

	if (cmd != PVX_DIRTY_FETCH)
		return pvx_ctl_call(c, PVX_CTL_DIRTY_LOG, domid, &req, sizeof(req), NULL, 0,
				    NULL, NULL, 0, NULL);
	rsp = malloc(PVX_CTL_MAX_PAYLOAD);
	if (!rsp)
		return -ENOMEM;
	rc = pvx_ctl_call(c, PVX_CTL_DIRTY_LOG, domid, &req, sizeof(req), rsp,
			  PVX_CTL_MAX_PAYLOAD, &got, NULL, 0, NULL);
	if (rc == 0 && got != sizeof(h) + n / 8)
		rc = -EPROTO;
	if (rc == 0) {
		memcpy(&h, rsp, sizeof(h));
		if (h.first_pfn != first || h.nr_pfns != n)
			rc = -EPROTO;
		memcpy(bitmap, rsp + sizeof(h), n / 8);
		*ndirty = h.dirty;
	}
	free(rsp);
	return rc;
}

int pvx_save_resume(struct pvx_ctl *c, int32_t domid)
{
	return pvx_ctl_call(c, PVX_CTL_RESUME, domid, NULL, 0, NULL, 0, NULL, NULL, 0, NULL);
}
