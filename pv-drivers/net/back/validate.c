/*
 * The tx contract (netif.h), checked on private copies of the ring slots.
 *
 * A packet is a chain: a request, the extra_info slots it announces
 * (NETTXF_extra_info, then while XEN_NETIF_EXTRA_FLAG_MORE), and further
 * requests while NETTXF_more_data is set. The walk looks at flags only, so
 * that every slot of even a malformed packet is found and answered and the
 * next packet starts where the frontend meant it to. The checks then
 * decide OKAY or ERROR for the whole packet; the first rule broken, in the
 * order below, is the one reported:
 *   - unknown NETTXF bits; extra_info on a slot other than the first
 *   - extras: GSO refused (we offer no feature-gso-*), MCAST_ADD/DEL
 *     ignored (no feature-multicast-control: Linux sends none), NONE,
 *     HASH, unknown types and a type given twice refused
 *   - at most PVX_NET_MAX_TX_SLOTS data slots
 *   - first size (the frame) in [PVX_NET_ETH_HLEN, PVX_NET_MAX_PACKET]
 *   - later sizes add up to at most the first size; the first slot holds
 *     the remainder
 *   - no slot crosses its page: offset + length <= 4096
 */
#include <errno.h>
#include <string.h>

#include "netback.h"

#define TXF_KNOWN (NETTXF_csum_blank | NETTXF_data_validated | NETTXF_more_data | \
		   NETTXF_extra_info)

static const char *const rule_names[NETBACK_TX_NR_RULES] = {
	[NETBACK_TX_OK] = "ok",
	[NETBACK_TX_TOO_SHORT] = "too_short",
	[NETBACK_TX_TOO_BIG] = "too_big",
	[NETBACK_TX_TOO_MANY_SLOTS] = "too_many_slots",
	[NETBACK_TX_FRAG_SUM] = "frag_sum",
	[NETBACK_TX_CROSSES_PAGE] = "crosses_page",
	[NETBACK_TX_BAD_FLAGS] = "bad_flags",
	[NETBACK_TX_EXTRA_POS] = "extra_pos",
	[NETBACK_TX_EXTRA_GSO] = "extra_gso",
	[NETBACK_TX_EXTRA_TYPE] = "extra_type",
	[NETBACK_TX_BAD_GRANT] = "bad_grant",
	[NETBACK_TX_CSUM] = "csum",
};

const char *netback_tx_rule_name(enum netback_tx_rule rule)
{
	if ((unsigned)rule >= NETBACK_TX_NR_RULES)
		return "?";
	return rule_names[rule];
}

bool netback_tx_walk_step(struct netback_tx_walk *w, const union netif_tx_any_request *s)
{
	if (w->extra_next) {
		w->extra_next = s->extra.flags & XEN_NETIF_EXTRA_FLAG_MORE;
		return true;
	}
	w->more = s->req.flags & NETTXF_more_data;
	w->extra_next = s->req.flags & NETTXF_extra_info;
	return false;
}

int netback_tx_chain_len(const union netif_tx_any_request *slots, unsigned avail)
{
	struct netback_tx_walk w = { .more = true };
	unsigned k = 0;

	while (!netback_tx_walk_done(&w)) {
		if (k >= NETBACK_TX_MAX_CHAIN)
			return -E2BIG;
		if (k >= avail)
			return 0;
		netback_tx_walk_step(&w, &slots[k++]);
	}
	return (int)k;
}

/* Keeps the first rule broken. */
static void fail(enum netback_tx_rule *rule, enum netback_tx_rule r)
{
	if (*rule == NETBACK_TX_OK)
		*rule = r;
}

static enum netback_tx_rule check_extra(const struct netif_extra_info *e, unsigned *seen)
{
	if (e->type == XEN_NETIF_EXTRA_TYPE_GSO)
		return NETBACK_TX_EXTRA_GSO;
	if (e->type != XEN_NETIF_EXTRA_TYPE_MCAST_ADD &&
	    e->type != XEN_NETIF_EXTRA_TYPE_MCAST_DEL)
		return NETBACK_TX_EXTRA_TYPE;
	if (*seen & (1u << e->type))
		return NETBACK_TX_EXTRA_TYPE;
	*seen |= 1u << e->type;
	return NETBACK_TX_OK;
}

/* The size rules, once the data slots are known. */
static enum netback_tx_rule check_sizes(struct netback_tx_pkt *p)
{
	uint32_t first = p->frag[0].len, rest = 0;

	if (first < PVX_NET_ETH_HLEN)
		return NETBACK_TX_TOO_SHORT;
	if (first > PVX_NET_MAX_PACKET)
		return NETBACK_TX_TOO_BIG;
	for (unsigned i = 1; i < p->nr_frags; i++)
		rest += p->frag[i].len;
	if (rest > first)
		return NETBACK_TX_FRAG_SUM;
	p->frag[0].len = (uint16_t)(first - rest);
	p->len = first;
	for (unsigned i = 0; i < p->nr_frags; i++)
		if ((uint32_t)p->frag[i].offset + p->frag[i].len > NETBACK_PAGE_SIZE)
			return NETBACK_TX_CROSSES_PAGE;
	return NETBACK_TX_OK;
}

enum netback_tx_rule netback_tx_validate(const union netif_tx_any_request *slots, unsigned n,
					 struct netback_tx_pkt *out)
{
	struct netback_tx_walk w = { .more = true };
	enum netback_tx_rule rule = NETBACK_TX_OK;
	unsigned seen = 0;
	uint16_t last_id = 0;

	if (n > NETBACK_TX_MAX_CHAIN)
		n = NETBACK_TX_MAX_CHAIN;
	memset(out, 0, offsetof(struct netback_tx_pkt, id));
	out->nr_slots = (uint16_t)n;
	for (unsigned k = 0; k < n; k++) {
		const struct netif_tx_request *r = &slots[k].req;

		if (netback_tx_walk_step(&w, &slots[k])) {
			out->extra_mask |= 1u << k;
			out->id[k] = last_id;
			fail(&rule, check_extra(&slots[k].extra, &seen));
			continue;
		}
		out->id[k] = last_id = r->id;
		if (r->flags & ~TXF_KNOWN)
			fail(&rule, NETBACK_TX_BAD_FLAGS);
		if (k > 0 && (r->flags & NETTXF_extra_info))
			fail(&rule, NETBACK_TX_EXTRA_POS);
		if (out->nr_frags == PVX_NET_MAX_TX_SLOTS) {
			fail(&rule, NETBACK_TX_TOO_MANY_SLOTS);
			continue;
		}
		out->frag[out->nr_frags++] = (struct netback_tx_frag){
			.gref = r->gref, .offset = r->offset, .len = r->size };
	}
	if (n == 0 || !netback_tx_walk_done(&w))
		fail(&rule, n == 0 ? NETBACK_TX_TOO_SHORT : NETBACK_TX_TOO_MANY_SLOTS);
	if (rule == NETBACK_TX_OK)
		rule = check_sizes(out);
	if (n > 0) {
		out->csum_blank = slots[0].req.flags & NETTXF_csum_blank;
		out->data_validated = slots[0].req.flags & NETTXF_data_validated;
	}
	out->rule = rule;
	return rule;
}
