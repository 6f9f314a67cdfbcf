/*
 * XenbusState: the value of every front/back `state` node in xenstore
 * (written as a decimal string). The usual handshake is
 *
 *   FE Initialising(1)                 BE Initialising(1)
 *                                      BE InitWait(2)    (features written)
 *   FE Initialised(3)  (ring keys written)
 *                                      BE Connected(4)   (ring mapped)
 *   FE Connected(4)
 *   ... Closing(5) -> Closed(6) on teardown, either side first.
 */
#ifndef XEN_PUBLIC_IO_XENBUS_H
#define XEN_PUBLIC_IO_XENBUS_H

enum xenbus_state {
	XenbusStateUnknown      = 0,
	XenbusStateInitialising = 1,
	XenbusStateInitWait     = 2, /* backend waits for frontend details */
	XenbusStateInitialised  = 3, /* frontend published its details */
	XenbusStateConnected    = 4,
	XenbusStateClosing      = 5,
	XenbusStateClosed       = 6,
	XenbusStateReconfiguring = 7,
	XenbusStateReconfigured = 8,
};
typedef enum xenbus_state XenbusState;

#endif /* XEN_PUBLIC_IO_XENBUS_H */
