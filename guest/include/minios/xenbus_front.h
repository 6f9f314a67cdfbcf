/*
 * What minios's split-driver frontends (pv-drivers/blk/front/blkfront.c,
 * pv-drivers/net/front/netfront.c) share about xenstore: numbers in
 * keys, the device ids under device/<type>, and the backend's
 * XenbusState, read or waited for. Waiting polls B/state every
 * millisecond (the xenstore client serves one request at a time, and a
 * watch would only save a few reads during a handshake that happens once
 * per device).
 */
#ifndef MINIOS_XENBUS_FRONT_H
#define MINIOS_XENBUS_FRONT_H

#include <stddef.h>
#include <stdint.h>

/* dir/key as an unsigned number: 0, or a negative Xen errno. */
int xbf_read_u64(const char *dir, const char *key, uint64_t *out);

/* The numeric entries of dir (e.g. "device/vbd") that are <= limit, at
 * most max of them, into ids; names is the caller's listing buffer.
 * Returns how many, or a negative Xen errno. */
int xbf_list(const char *dir, char *names, size_t len, uint32_t *ids, unsigned max,
	     uint64_t limit);

/* The backend's state (be/state), or a negative Xen errno. */
int xbf_state(const char *be);

/* Waits up to timeout_ns for be/state == want: 0; -XEN_EIO if the
 * backend closes instead (want below Closing), -XEN_ENODEV if its state
 * node goes, -XEN_ETIMEDOUT. */
int xbf_wait_state(const char *be, int want, uint64_t timeout_ns);

/* Closing: waits until be/state is at least st (Closing also reached by
 * a backend that went straight to Closed), its node is gone, or the
 * clock passes deadline_ns. */
void xbf_wait_past(const char *be, int st, uint64_t deadline_ns);

#endif
