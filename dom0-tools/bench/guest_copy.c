/*
 * --grant-copy: the backend does not map the payload pages; it takes up to
 * one batch of requests off the ring, checks each header, and copies all
 * their payloads out of the guest's grants with one GNTTABOP_copy call
 * (pvx_gnttab_copy: one control round trip per batch and per 60 KiB),
 * the way a backend without persistent grants works. Each copy's status
 * and stamp are checked before its response is written; a failed copy
 * (the guest revoked or never granted the page) stops the device like a
 * bad request.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "guest.h"

int gb_copy_alloc(struct gback *b)
{
	b->pend = calloc(b->batch, sizeof(*b->pend));
	b->segs = calloc(b->batch, sizeof(*b->segs));
	b->copybuf = malloc((size_t)b->batch * b->slot_bytes);
	if (b->pend && b->segs && b->copybuf)
		return 0;
	gb_copy_free(b);
	return -ENOMEM;
}

void gb_copy_free(struct gback *b)
{
	free(b->pend);
	free(b->segs);
	free(b->copybuf);
	b->pend = NULL;
	b->segs = NULL;
	b->copybuf = NULL;
}

/* Takes up to a batch of requests, headers checked, segments built. */
static int take(struct gback *b)
{
	unsigned n = 0;
	int r = 0;

	while (n < b->batch && (r = bench_back_get_request(&b->br, &b->pend[n])) == 1) {
		const struct bench_req *q = &b->pend[n];

		r = gb_check_header(b, q, b->seq + n);
		if (r)
			return r;
		b->segs[n] = (struct pvx_gnttab_copy){
			.ref = b->data_refs[q->off / BENCH_PAGE],
			.offset = (uint16_t)(q->off % BENCH_PAGE),
			.len = (uint16_t)q->len,
			.buf = b->copybuf + (size_t)n * b->slot_bytes,
		};
		n++;
	}
	if (r < 0)
		return snprintf(b->msg, sizeof(b->msg), "bad producer index from the guest "
				"(%llu answered)", (unsigned long long)b->served), -EIO;
	return (int)n;
}

int gb_serve_copy(struct gback *b)
{
	int n = take(b), r;

	if (n <= 0)
		return n;
	r = pvx_gnttab_copy(b->g, b->domid, b->segs, (size_t)n);
	if (r)
		return snprintf(b->msg, sizeof(b->msg), "grant copy: %s", strerror(-r)), r;
	for (int i = 0; i < n; i++) {
		struct bench_rsp rsp = { b->pend[i].id, b->pend[i].stamp, 0, 0 };

		if (b->segs[i].status != GNTST_okay)
			return snprintf(b->msg, sizeof(b->msg), "guest: copy from grant ref %u: %s",
					b->segs[i].ref, pvx_gnttab_strstatus(b->segs[i].status)),
			       -EINVAL;
		r = gb_check_stamp(b, b->segs[i].buf, b->seq, b->pend[i].id);
		if (r)
			return r;
		bench_back_put_response(&b->br, &rsp);
		b->seq++;
		b->served++;
	}
	return n;
}
