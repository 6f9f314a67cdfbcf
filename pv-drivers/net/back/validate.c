/* Stub: replaced by the real validate.c in the next commit. */
#include "netback.h"
#include <errno.h>

const char *netback_tx_rule_name(enum netback_tx_rule rule)
{
	(void)rule;
	return "?";
}

int netback_tx_chain_len(const union netif_tx_any_request *slots, unsigned avail)
{
	(void)slots; (void)avail;
	return -E2BIG;
}

enum netback_tx_rule netback_tx_validate(const union netif_tx_any_request *slots, unsigned n,
					 struct netback_tx_pkt *out)
{
	(void)slots; (void)n;
	out->rule = NETBACK_TX_TOO_MANY_SLOTS;
	return out->rule;
}
