/*
 * The backend's half of the XenbusState handshake, as a pure function:
 * given our published state, the frontend's state (or that the frontend
 * is gone) and whether we hold a live ring, what must happen next. vbd.c
 * performs the action and writes the new state; this file decides, so
 * the whole table is unit-tested without xenstore (tests/unit/blk).
 *
 *   be \ fe        gone   1       2      3/4       5        6
 *   1 (or 0)       -      INITW   INITW  INITW     INITW    INITW
 *   2 InitWait     CLOSE  -       -      CONNECT   CLOSING  CLOSED
 *   4 Connected    CLOSE  RESET   RESET  (1)       CLOSING  CLOSED
 *   5 Closing      CLOSE  RESET   -      -         -        CLOSED
 *   6 Closed       -      RESET   -      -         -        -
 *   (1) CONNECT (re-attach) if we hold no ring, e.g. after a restart.
 *
 * INITW publishes the features and goes to InitWait; CONNECT maps the
 * ring, writes the geometry and goes to Connected; CLOSING drains and
 * unmaps, then goes Closing and stays there until the frontend is Closed
 * (Xen's order); CLOSED does the same work if still needed and goes
 * Closed; CLOSE (frontend gone) does it all, Closing then Closed, and
 * frees the vbd if the domain is gone too; RESET does CLOSE's work and goes
 * back to InitWait (a frontend that restarted, e.g. a rebooted guest or a
 * second program). A backend directory that vanished is REMOVE.
 */
#include "blkback.h"

/* A frontend at Closing gets our Closing and waits for it (Linux at
 * shutdown reads B/state in the watch event and must see 5, not 6, or
 * it waits out 5 s); Closed (or anything past it) gets our Closed. */
static enum blkback_action closing(int fe)
{
	return fe == XenbusStateClosing ? BLKBACK_CLOSING : BLKBACK_CLOSED;
}

enum blkback_action blkback_fsm(int be, int fe, bool connected)
{
	if (be == XenbusStateUnknown || be == XenbusStateInitialising)
		return fe < 0 ? BLKBACK_NONE : BLKBACK_INITWAIT;
	if (fe < 0)
		return be == XenbusStateClosed ? BLKBACK_NONE : BLKBACK_CLOSE;
	switch (be) {
	case XenbusStateInitWait:
		if (fe == XenbusStateInitialised || fe == XenbusStateConnected)
			return BLKBACK_CONNECT;
		return fe >= XenbusStateClosing ? closing(fe) : BLKBACK_NONE;
	case XenbusStateConnected:
		if (fe <= XenbusStateInitWait)
			return BLKBACK_RESET;
		if (fe >= XenbusStateClosing)
			return closing(fe);
		return connected ? BLKBACK_NONE : BLKBACK_CONNECT;
	case XenbusStateClosing:
		if (fe == XenbusStateInitialising)
			return BLKBACK_RESET;
		return fe > XenbusStateClosing ? BLKBACK_CLOSED : BLKBACK_NONE;
	case XenbusStateClosed:
		return fe == XenbusStateInitialising ? BLKBACK_RESET : BLKBACK_NONE;
	default:
		return BLKBACK_NONE; /* Initialised/Reconfiguring are not ours */
	}
}
