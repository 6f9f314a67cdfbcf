/*
 * libpvxgnttab: GNTTABOP_copy for Dom0 (pvx/gnttab.h). Dom0's side of
 * each segment travels in the datagrams (pvx/ctl.h), so a chunk holds at
 * most PVX_GNTTAB_BATCH_MAX segments and PVX_CTL_GNTTAB_COPY_DATA_MAX
 * bytes each way; pvx_gnttab_copy splits larger batches.
 */
#include <errno.h>
#include <string.h>

#include "gnttab_priv.h"

/* How many segments from c fit in one request (at least 1). */
static size_t chunk_len(const struct pvx_gnttab_copy *c, size_t n)
{
	size_t k = 0, to = 0, from = 0;

	while (k < n && k < PVX_GNTTAB_BATCH_MAX) {
		size_t *side = c[k].to_guest ? &to : &from;

		if (*side + c[k].len > PVX_CTL_GNTTAB_COPY_DATA_MAX)
			break;
		*side += c[k].len;
		k++;
	}
	return k;
}

static int copy_chunk(struct pvx_gnttab *g, int32_t domid,
		      struct pvx_gnttab_copy *c, size_t n)
{
	struct pvx_ctl_gnttab_copy_req q = { .count = (uint32_t)n };
	struct pvx_ctl_gnttab_copy_seg *seg = (void *)(g->req + sizeof(q));
	uint8_t *data = (uint8_t *)(seg + n);
	const uint8_t *back = g->rsp + n * sizeof(int32_t);
	size_t from = 0;
	uint32_t got = 0;
	int rc;

	memcpy(g->req, &q, sizeof(q));
	for (size_t i = 0; i < n; i++) {
		seg[i] = (struct pvx_ctl_gnttab_copy_seg){ .ref = c[i].ref,
			.offset = c[i].offset, .len = c[i].len,
			.flags = c[i].to_guest ? PVX_CTL_GNTCOPY_TO_GUEST : 0 };
		if (c[i].to_guest) {
			memcpy(data, c[i].buf, c[i].len);
			data += c[i].len;
		} else {
			from += c[i].len;
		}
	}
	rc = pvx_ctl_call(g->ctl, PVX_CTL_GNTTAB_COPY, domid, g->req,
			  (uint32_t)(data - g->req), g->rsp, PVX_CTL_MAX_PAYLOAD,
			  &got, NULL, 0, NULL);
	if (rc == 0 && got != n * sizeof(int32_t) + from)
		rc = -EPROTO;
	for (size_t i = 0; i < n; i++) {
		int32_t st;

		memcpy(&st, g->rsp + i * sizeof(st), sizeof(st));
		c[i].status = rc < 0 ? GNTST_general_error : (int16_t)st;
		if (rc == 0 && !c[i].to_guest) {
			if (st == GNTST_okay)
				memcpy(c[i].buf, back, c[i].len);
			back += c[i].len;
		}
	}
	return rc;
}

int pvx_gnttab_copy(struct pvx_gnttab *g, int32_t domid,
		    struct pvx_gnttab_copy *c, size_t n)
{
	if (n == 0)
		return -EINVAL;
	for (size_t i = 0; i < n; ) {
		size_t k = chunk_len(c + i, n - i);
		int rc;

		if (k == 0 || c[i].len > PVX_PAGE_SIZE)
			return -EINVAL;
		rc = copy_chunk(g, domid, c + i, k);
		if (rc < 0)
			return rc;
		i += k;
	}
	return 0;
}
