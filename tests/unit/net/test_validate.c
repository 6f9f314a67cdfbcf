/*
 * netback_tx_chain_len and netback_tx_validate: a table with a case for
 * every rule of the tx contract (and the edges either side of each
 * limit), then the long chains built in code.
 */
#include <errno.h>

#include "harness.h"

#define MD NETTXF_more_data
#define EI NETTXF_extra_info
#define CB NETTXF_csum_blank
#define DV NETTXF_data_validated
#define R(gref, off, fl, id, size) { .req = { (gref), (off), (fl), (id), (size) } }
#define X(ty, fl) { .extra = { .type = (ty), .flags = (fl) } }
#define XMORE XEN_NETIF_EXTRA_FLAG_MORE

struct vcase {
	const char *name;
	unsigned n;                       /* slots given */
	union netif_tx_any_request s[6];
	int chain;                        /* netback_tx_chain_len(s, n) */
	enum netback_tx_rule rule;
	uint32_t len;                     /* frame length when OK */
	uint16_t frag0;                   /* first slot's own length when OK */
	uint32_t extra_mask;
};

static const struct vcase cases[] = {
	{ "one slot", 1, { R(8, 0, 0, 1, 60) }, 1, NETBACK_TX_OK, 60, 60, 0 },
	{ "eth header only", 1, { R(8, 0, 0, 1, 14) }, 1, NETBACK_TX_OK, 14, 14, 0 },
	{ "13 bytes", 1, { R(8, 0, 0, 1, 13) }, 1, NETBACK_TX_TOO_SHORT, 0, 0, 0 },
	{ "0 bytes", 1, { R(8, 0, 0, 1, 0) }, 1, NETBACK_TX_TOO_SHORT, 0, 0, 0 },
	{ "max frame", 1, { R(8, 0, 0, 1, PVX_NET_MAX_PACKET) }, 1, NETBACK_TX_OK,
	  PVX_NET_MAX_PACKET, PVX_NET_MAX_PACKET, 0 },
	{ "max frame + 1", 1, { R(8, 0, 0, 1, PVX_NET_MAX_PACKET + 1) }, 1,
	  NETBACK_TX_TOO_BIG, 0, 0, 0 },
	/* 802.1Q-tagged full-MTU frame: ETH_HLEN + 4 + 1500; one more is refused. */
	{ "1518 (vlan-tagged 1500)", 1, { R(8, 0, 0, 1, 1518) }, 1, NETBACK_TX_OK, 1518, 1518, 0 },
	{ "1519", 1, { R(8, 0, 0, 1, 1519) }, 1, NETBACK_TX_TOO_BIG, 0, 0, 0 },
	{ "1515 (untagged max + 1)", 1, { R(8, 0, 0, 1, 1515) }, 1, NETBACK_TX_OK, 1515, 1515, 0 },
	{ "65535", 1, { R(8, 0, 0, 1, 65535) }, 1, NETBACK_TX_TOO_BIG, 0, 0, 0 },
	{ "three slots", 3, { R(8, 100, MD, 1, 1000), R(9, 0, MD, 2, 300), R(10, 0, 0, 3, 200) },
	  3, NETBACK_TX_OK, 1000, 500, 0 },
	{ "later sizes = first", 2, { R(8, 0, MD, 1, 100), R(9, 0, 0, 2, 100) }, 2,
	  NETBACK_TX_OK, 100, 0, 0 },
	{ "later sizes > first", 2, { R(8, 0, MD, 1, 100), R(9, 0, 0, 2, 200) }, 2,
	  NETBACK_TX_FRAG_SUM, 0, 0, 0 },
	{ "first crosses page", 1, { R(8, 4000, 0, 1, 100) }, 1, NETBACK_TX_CROSSES_PAGE,
	  0, 0, 0 },
	{ "first ends at page end", 1, { R(8, 4036, 0, 1, 60) }, 1, NETBACK_TX_OK, 60, 60, 0 },
	{ "first ends 1 past page end", 1, { R(8, 4037, 0, 1, 60) }, 1, NETBACK_TX_CROSSES_PAGE,
	  0, 0, 0 },
	{ "later ends 1 past page end", 2, { R(8, 0, MD, 1, 500), R(9, 3897, 0, 2, 200) }, 2,
	  NETBACK_TX_CROSSES_PAGE, 0, 0, 0 },
	{ "offset beyond page", 1, { R(8, 65535, 0, 1, 60) }, 1, NETBACK_TX_CROSSES_PAGE,
	  0, 0, 0 },
	{ "later crosses page", 2, { R(8, 0, MD, 1, 500), R(9, 4000, 0, 2, 200) }, 2,
	  NETBACK_TX_CROSSES_PAGE, 0, 0, 0 },
	{ "first part crosses", 2, { R(8, 4000, MD, 1, 500), R(9, 0, 0, 2, 200) }, 2,
	  NETBACK_TX_CROSSES_PAGE, 0, 0, 0 },
	{ "unknown flag", 1, { R(8, 0, 0x10, 1, 60) }, 1, NETBACK_TX_BAD_FLAGS, 0, 0, 0 },
	{ "unknown flag later", 2, { R(8, 0, MD, 1, 60), R(9, 0, 0x8000, 2, 10) }, 2,
	  NETBACK_TX_BAD_FLAGS, 0, 0, 0 },
	{ "csum flags", 1, { R(8, 0, CB | DV, 1, 60) }, 1, NETBACK_TX_OK, 60, 60, 0 },
	{ "gso extra", 2, { R(8, 0, EI, 1, 60), X(XEN_NETIF_EXTRA_TYPE_GSO, 0) }, 2,
	  NETBACK_TX_EXTRA_GSO, 0, 0, 2 },
	{ "mcast extra ignored", 2, { R(8, 0, EI, 1, 60), X(XEN_NETIF_EXTRA_TYPE_MCAST_ADD, 0) },
	  2, NETBACK_TX_OK, 60, 60, 2 },
	{ "two extras", 3, { R(8, 0, EI, 1, 60), X(XEN_NETIF_EXTRA_TYPE_MCAST_ADD, XMORE),
	  X(XEN_NETIF_EXTRA_TYPE_MCAST_DEL, 0) }, 3, NETBACK_TX_OK, 60, 60, 6 },
	{ "extras then data", 3, { R(8, 0, EI | MD, 1, 100),
	  X(XEN_NETIF_EXTRA_TYPE_MCAST_DEL, 0), R(9, 0, 0, 2, 40) }, 3, NETBACK_TX_OK,
	  100, 60, 2 },
	{ "repeated extra", 3, { R(8, 0, EI, 1, 60), X(XEN_NETIF_EXTRA_TYPE_MCAST_ADD, XMORE),
	  X(XEN_NETIF_EXTRA_TYPE_MCAST_ADD, 0) }, 3, NETBACK_TX_EXTRA_TYPE, 0, 0, 6 },
	{ "extra type none", 2, { R(8, 0, EI, 1, 60), X(XEN_NETIF_EXTRA_TYPE_NONE, 0) }, 2,
	  NETBACK_TX_EXTRA_TYPE, 0, 0, 2 },
	{ "extra type hash", 2, { R(8, 0, EI, 1, 60), X(XEN_NETIF_EXTRA_TYPE_HASH, 0) }, 2,
	  NETBACK_TX_EXTRA_TYPE, 0, 0, 2 },
	{ "extra type 200", 2, { R(8, 0, EI, 1, 60), X(200, 0) }, 2, NETBACK_TX_EXTRA_TYPE,
	  0, 0, 2 },
	{ "extra on a later slot", 3, { R(8, 0, MD, 1, 100), R(9, 0, EI, 2, 40),
	  X(XEN_NETIF_EXTRA_TYPE_MCAST_ADD, 0) }, 3, NETBACK_TX_EXTRA_POS, 0, 0, 4 },
	{ "chain not complete", 2, { R(8, 0, MD, 1, 100), R(9, 0, MD, 2, 40) }, 0,
	  NETBACK_TX_TOO_MANY_SLOTS, 0, 0, 0 },
	{ "extras not complete", 2, { R(8, 0, EI, 1, 100),
	  X(XEN_NETIF_EXTRA_TYPE_MCAST_ADD, XMORE) }, 0, NETBACK_TX_TOO_MANY_SLOTS, 0, 0, 2 },
};

START_TEST(table)
{
	const struct vcase *c = &cases[_i];
	struct netback_tx_pkt p;
	enum netback_tx_rule got;

	ck_assert_msg(netback_tx_chain_len(c->s, c->n) == c->chain, "%s: chain %d", c->name,
		      netback_tx_chain_len(c->s, c->n));
	got = netback_tx_validate(c->s, c->n, &p);
	ck_assert_msg(got == c->rule && p.rule == c->rule, "%s: %s, want %s", c->name,
		      netback_tx_rule_name(got), netback_tx_rule_name(c->rule));
	ck_assert_uint_eq(p.nr_slots, c->n);
	ck_assert_msg(p.extra_mask == c->extra_mask, "%s: extra mask %x", c->name,
		      p.extra_mask);
	for (unsigned k = 0, last = 0; k < c->n; k++) {
		/* An extra is answered with the id of the request before it. */
		if (!(c->extra_mask >> k & 1))
			last = c->s[k].req.id;
		ck_assert_uint_eq(p.id[k], last);
	}
	if (c->rule != NETBACK_TX_OK)
		return;
	ck_assert_uint_eq(p.len, c->len);
	ck_assert_uint_eq(p.frag[0].len, c->frag0);
	ck_assert_uint_eq(p.frag[0].gref, c->s[0].req.gref);
	ck_assert_uint_eq(p.frag[0].offset, c->s[0].req.offset);
	ck_assert(p.csum_blank == !!(c->s[0].req.flags & CB));
	ck_assert(p.data_validated == !!(c->s[0].req.flags & DV));
}
END_TEST

/* n data slots chained; the last without more_data unless open. */
static void chain(union netif_tx_any_request *s, unsigned n, bool open)
{
	for (unsigned k = 0; k < n; k++)
		s[k] = (union netif_tx_any_request){ .req = {
			.gref = 8 + k, .offset = 0, .id = (uint16_t)k,
			.flags = (uint16_t)(k + 1 < n || open ? MD : 0),
			.size = (uint16_t)(k == 0 ? 14 * n : 14) } };
}

START_TEST(max_slots)
{
	union netif_tx_any_request s[NETBACK_TX_MAX_CHAIN + 8];
	struct netback_tx_pkt p;

	chain(s, PVX_NET_MAX_TX_SLOTS, false);
	ck_assert_int_eq(netback_tx_chain_len(s, PVX_NET_MAX_TX_SLOTS), PVX_NET_MAX_TX_SLOTS);
	ck_assert_int_eq(netback_tx_validate(s, PVX_NET_MAX_TX_SLOTS, &p), NETBACK_TX_OK);
	ck_assert_uint_eq(p.nr_frags, PVX_NET_MAX_TX_SLOTS);
	ck_assert_uint_eq(p.frag[0].len, 14);

	chain(s, PVX_NET_MAX_TX_SLOTS + 1, false);
	ck_assert_int_eq(netback_tx_chain_len(s, 40), PVX_NET_MAX_TX_SLOTS + 1);
	ck_assert_int_eq(netback_tx_validate(s, PVX_NET_MAX_TX_SLOTS + 1, &p),
			 NETBACK_TX_TOO_MANY_SLOTS);
	ck_assert_uint_eq(p.id[PVX_NET_MAX_TX_SLOTS], PVX_NET_MAX_TX_SLOTS);
}
END_TEST

START_TEST(over_long_chain)
{
	union netif_tx_any_request s[NETBACK_TX_MAX_CHAIN + 8];
	struct netback_tx_pkt p;

	chain(s, NETBACK_TX_MAX_CHAIN + 8, true);
	ck_assert_int_eq(netback_tx_chain_len(s, NETBACK_TX_MAX_CHAIN - 1), 0);
	ck_assert_int_eq(netback_tx_chain_len(s, NETBACK_TX_MAX_CHAIN), -E2BIG);
	ck_assert_int_eq(netback_tx_chain_len(s, NETBACK_TX_MAX_CHAIN + 8), -E2BIG);
	ck_assert_int_eq(netback_tx_validate(s, NETBACK_TX_MAX_CHAIN + 8, &p),
			 NETBACK_TX_TOO_MANY_SLOTS);
	ck_assert_uint_eq(p.nr_slots, NETBACK_TX_MAX_CHAIN);
	/* A chain of exactly the maximum, with extras, is complete. */
	chain(s, NETBACK_TX_MAX_CHAIN, false);
	ck_assert_int_eq(netback_tx_chain_len(s, NETBACK_TX_MAX_CHAIN), NETBACK_TX_MAX_CHAIN);
}
END_TEST

START_TEST(rule_names)
{
	for (int r = 0; r < NETBACK_TX_NR_RULES; r++)
		ck_assert_str_ne(netback_tx_rule_name(r), "?");
	ck_assert_str_eq(netback_tx_rule_name(NETBACK_TX_NR_RULES), "?");
	ck_assert_str_eq(netback_tx_rule_name(NETBACK_TX_TOO_SHORT), "too_short");
}
END_TEST

Suite *make_validate_suite(void)
{
	Suite *s = suite_create("validate");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, table, 0, (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(tc, max_slots);
	tcase_add_test(tc, over_long_chain);
	tcase_add_test(tc, rule_names);
	suite_add_tcase(s, tc);
	return s;
}
