/* Stub: replaced by the real fsm.c in the next commit. */
#include "netback.h"

enum netback_action netback_fsm(int be, int fe, bool connected)
{
	(void)be; (void)fe; (void)connected;
	return NETBACK_NONE;
}

const char *netback_action_name(enum netback_action a)
{
	(void)a;
	return "?";
}
