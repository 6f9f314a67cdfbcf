/*
 * The backend's half of the vif's XenbusState handshake (netif.h's state
 * diagram), as a pure function: given our published state, the
 * frontend's (or that F is gone) and whether we hold live rings, what the
 * daemon does next. The daemon performs the action and writes the state;
 * the whole table is unit-tested here (tests/unit/net/test_fsm.c).
 *
 *   be \ fe        gone   1       2      3/4       5        6
 *   1 (or 0)       -      INITW   INITW  INITW     INITW    INITW
 *   2 InitWait     CLOSE  -       -      CONNECT   CLOSING  CLOSED
 *   4 Connected    CLOSE  RESET   RESET  (1)       CLOSING  CLOSED
 *   5 Closing      CLOSE  RESET   -      -         -        CLOSED
 *   6 Closed       -      RESET   -      -         -        -
 *   (1) nothing, or CONNECT (re-attach) if we hold no rings: a daemon
 *       restarted after kill -9 finds B/state = 4 and maps them again.
 *
 * A frontend at 5 or 6 while we are at 1 still gets INITWAIT: it moves
 * back to 1 once it sees us (Linux's netfront waits for B/state 1 or 2).
 * Until F exists nothing happens: the toolstack writes B first, then F.
 * States a backend never publishes (3, 7) and garbage: nothing.
 *
 * Closing follows Xen: a frontend at 5 gets CLOSING (rings unmapped,
 * ports closed, B/state = 5) and we stay at 5 until it writes 6, which
 * gets CLOSED (B/state = 6). CLOSE, for a frontend that is gone, goes
 * 5 then 6 at once and removes B if the domain is gone too.
 */
#include "netback.h"

/* A frontend at Closing gets our Closing and waits for it (Linux at
 * shutdown reads B/state in the watch event and must see 5, not 6, or
 * it waits out 5 s); Closed (or anything past it) gets our Closed. */
static enum netback_action closing(int fe)
{
	return fe == XenbusStateClosing ? NETBACK_CLOSING : NETBACK_CLOSED;
}

enum netback_action netback_fsm(int be, int fe, bool connected)
{
	if (be == XenbusStateUnknown || be == XenbusStateInitialising)
		return fe < 0 ? NETBACK_NONE : NETBACK_INITWAIT;
	if (fe < 0)
		return be == XenbusStateClosed ? NETBACK_NONE : NETBACK_CLOSE;
	switch (be) {
	case XenbusStateInitWait:
		if (fe == XenbusStateInitialised || fe == XenbusStateConnected)
			return NETBACK_CONNECT;
		return fe >= XenbusStateClosing ? closing(fe) : NETBACK_NONE;
	case XenbusStateConnected:
		if (fe <= XenbusStateInitWait)
			return NETBACK_RESET;
		if (fe >= XenbusStateClosing)
			return closing(fe);
		return connected ? NETBACK_NONE : NETBACK_CONNECT;
	case XenbusStateClosing:
		if (fe == XenbusStateInitialising)
			return NETBACK_RESET;
		return fe > XenbusStateClosing ? NETBACK_CLOSED : NETBACK_NONE;
	case XenbusStateClosed:
		return fe == XenbusStateInitialising ? NETBACK_RESET : NETBACK_NONE;
	default:
		return NETBACK_NONE;
	}
}

const char *netback_action_name(enum netback_action a)
{
	static const char *const names[] = { "none", "initwait", "connect", "close", "reset",
					     "closing", "closed" };

	return (unsigned)a < sizeof(names) / sizeof(names[0]) ? names[a] : "?";
}
