/*
 * Dom0 -> guest: the rx ring of one queue (rx-copy).
 *
 * The frontend posts requests {id, gref} for pages it grants us
 * writable. A delivery plans how many posted slots each frame takes (one,
 * or with feature-sg one per 4 KiB), takes exactly those requests off the
 * ring, maps all their grants with one map_batch, copies every frame in
 * at offset 0, unmaps with one unmap_batch, writes a response per slot
 * {id, 0, flags, bytes in that slot} with NETRXF_more_data on all but a
 * frame's last slot, and pushes once: the frontend is kicked only when
 * its rsp_event falls in what was published. Frames that can never be
 * delivered are dropped before they take a slot; a slot whose grant does
 * not map is answered NETIF_RSP_ERROR and its frame dropped. When the
 * posted slots run out the rest stay with the caller (see netback.h for
 * the stall rule).
 */
#include <errno.h>
#include <string.h>

#include "netback_int.h"

unsigned netback_rx_slots_for(const struct netback_queue *q, size_t len)
{
	size_t n = (len + NETBACK_PAGE_SIZE - 1) / NETBACK_PAGE_SIZE;

	if (len == 0 || len > NETBACK_RX_MAX_FRAME || (n > 1 && !q->feat.sg))
		return 0;
	return (unsigned)n;
}

static unsigned posted(struct netback_queue *q, int n)
{
	if (n < 0)
		q->broken = true;
	return n > 0 ? (unsigned)n : 0;
}

unsigned netback_rx_posted(struct netback_queue *q)
{
	if (q->broken)
		return 0;
	return posted(q, netif_rx_back_has_unconsumed_requests(&q->rx));
}

unsigned netback_rx_arm(struct netback_queue *q)
{
	if (q->broken)
		return 0;
	return posted(q, netif_rx_back_final_check_for_requests(&q->rx));
}

/* Slots f needs, 0 if it is to be dropped (GSO, a bad checksum request). */
static unsigned frame_slots(const struct netback_queue *q, const struct netback_rx_frame *f)
{
	const struct virtio_net_hdr *h = f->vhdr;

	if (h && h->gso_type != VIRTIO_NET_HDR_GSO_NONE)
		return 0;
	if (h && (h->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) &&
	    (size_t)h->csum_start + h->csum_offset + 2 > f->len)
		return 0;
	return netback_rx_slots_for(q, f->len);
}

/* Completes the L4 checksum ourselves (feature-no-csum-offload) in the
 * copy: the frame's field holds the pseudo-header sum. */
static void fill_csum(struct netback_queue *q, const struct netback_rx_frame *f, unsigned first)
{
	const struct virtio_net_hdr *h = f->vhdr;
	struct iovec iov = { (void *)f->data, f->len };
	uint16_t c = netback_csum_fold(netback_csum_add(0, &iov, 1, h->csum_start),
				       h->csum_offset == 6);
	size_t at = (size_t)h->csum_start + h->csum_offset;

	for (unsigned b = 0; b < 2; b++, at++) {
		uint8_t *page = q->scr->pages[first + at / NETBACK_PAGE_SIZE];

		page[at % NETBACK_PAGE_SIZE] = (uint8_t)(b == 0 ? c >> 8 : c);
	}
}

static uint16_t csum_flags(struct netback_queue *q, const struct netback_rx_frame *f,
			   unsigned first)
{
	const struct virtio_net_hdr *h = f->vhdr;

	if (!h)
		return 0;
	if (h->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) {
		if (!q->feat.no_csum_offload)
			return NETRXF_csum_blank | NETRXF_data_validated;
		fill_csum(q, f, first);
		return NETRXF_data_validated;
	}
	return h->flags & VIRTIO_NET_HDR_F_DATA_VALID ? NETRXF_data_validated : 0;
}

/* Copies frame f into its mapped slots [first, first + ns), answers them. */
static void copy_frame(struct netback_queue *q, const struct netback_rx_frame *f,
		       unsigned first, unsigned ns)
{
	struct netback_scratch *s = q->scr;
	unsigned bad = 0;
	uint16_t flags0 = 0;

	for (unsigned j = 0; j < ns; j++)
		bad += s->errs[first + j] != 0;
	if (!bad) {
		for (unsigned j = 0; j < ns; j++) {
			size_t off = (size_t)j * NETBACK_PAGE_SIZE, len = f->len - off;

			memcpy(s->pages[first + j], (const uint8_t *)f->data + off,
			       len < NETBACK_PAGE_SIZE ? len : NETBACK_PAGE_SIZE);
		}
		flags0 = csum_flags(q, f, first);
		q->stats.rx_packets++;
		q->stats.rx_bytes += f->len;
	} else {
		q->stats.rx_errors += bad;
		q->stats.rx_dropped++;
	}
	for (unsigned j = 0; j < ns; j++) {
		size_t left = f->len - (size_t)j * NETBACK_PAGE_SIZE;
		struct netif_rx_response rsp = {
			.id = s->rx_ids[first + j],
			.offset = 0,
			.flags = (uint16_t)((j + 1 < ns ? NETRXF_more_data : 0) |
					    (j == 0 ? flags0 : 0)),
			.status = bad ? NETIF_RSP_ERROR
				      : (int16_t)(left < NETBACK_PAGE_SIZE ? left : NETBACK_PAGE_SIZE),
		};

		netif_rx_back_put_response(&q->rx, &rsp);
	}
}

/* Plans frames against avail posted slots; returns frames planned, *used
 * the slots they take. */
static unsigned plan(struct netback_queue *q, const struct netback_rx_frame *f, unsigned n,
		     unsigned avail, unsigned *used)
{
	struct netback_scratch *s = q->scr;
	unsigned nf;

	*used = 0;
	for (nf = 0; nf < n && nf < NB_RING; nf++) {
		unsigned need = frame_slots(q, &f[nf]);

		if (need && *used + need > avail)
			break;
		s->rx_first[nf] = (uint16_t)*used;
		s->rx_nslots[nf] = (uint16_t)need;
		*used += need;
	}
	return nf;
}

int netback_rx_deliver(struct netback_queue *q, const struct netback_rx_frame *f, unsigned n)
{
	struct netback_scratch *s = q->scr;
	unsigned avail = netback_rx_posted(q), used, nf;

	if (q->broken)
		return -EIO;
	nf = plan(q, f, n, avail, &used);
	for (unsigned i = 0; i < used; i++) {
		struct netif_rx_request r;

		/* avail said they are there; the copy is what we use. */
		if (netif_rx_back_get_request(&q->rx, &r) != 1) {
			q->broken = true;
			return -EIO;
		}
		s->rx_ids[i] = r.id;
		s->refs[i] = r.gref;
	}
	if (used)
		q->gops->map_batch(q->gctx, s->refs, used, true, s->pages, s->handles, s->errs);
	for (unsigned i = 0; i < nf; i++) {
		if (s->rx_nslots[i] == 0)
			q->stats.rx_dropped++;
		else
			copy_frame(q, &f[i], s->rx_first[i], s->rx_nslots[i]);
	}
	if (used) {
		netback_unmap_ok(q, used);
		if (netif_rx_back_push_responses_and_check_notify(&q->rx)) {
			q->stats.notify_out++;
			q->notify(q->notify_ctx, NETBACK_DIR_RX);
		}
	}
	return (int)nf;
}
