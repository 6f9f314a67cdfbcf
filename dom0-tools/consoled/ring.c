/*
 * The PV console ring (struct xencons_interface), backend side.
 *
 * Two byte rings with free-running 32-bit indices. We consume `out` and
 * produce `in`. The guest can scribble on the whole page at any time, so:
 *   - the indices we own (out_cons, in_prod) are kept privately and only
 *     published to the page, never read back from it;
 *   - the guest's indices (out_prod, in_cons) are read exactly once per
 *     call, then validated: prod - cons must not exceed the ring size.
 *     If it does, the ring is corrupt: we report it and resynchronise
 *     (skip to the guest's producer index / treat `in` as empty), so a
 *     hostile guest loses its own output and nothing else;
 *   - data bytes are copied out of the page before anything uses them.
 * Sizes are powers of two, so unsigned wrap-around of the indices at
 * UINT32_MAX needs no special case.
 */
#include <string.h>

#include "consoled.h"

#define OUT_SIZE sizeof(((struct xencons_interface *)0)->out)
#define IN_SIZE  sizeof(((struct xencons_interface *)0)->in)

void cons_ring_init(struct cons_ring *r, struct xencons_interface *intf)
{
	r->intf = intf;
	/* Take over where a previous backend (or a fresh zero page) left. */
	r->out_cons = __atomic_load_n(&intf->out_cons, __ATOMIC_ACQUIRE);
	r->in_prod = __atomic_load_n(&intf->in_prod, __ATOMIC_ACQUIRE);
}

/* Copies up to cap bytes of guest output into buf. */
size_t cons_ring_read(struct cons_ring *r, char *buf, size_t cap, bool *corrupt)
{
	struct xencons_interface *intf = r->intf;
	XENCONS_RING_IDX prod, avail, idx;
	size_t n, first;

	*corrupt = false;
	/* Read out_prod before the bytes it covers (acquire). */
	prod = __atomic_load_n(&intf->out_prod, __ATOMIC_ACQUIRE);
	avail = prod - r->out_cons;
	if (avail > OUT_SIZE) {
		*corrupt = true;
		r->out_cons = prod;
		__atomic_store_n(&intf->out_cons, r->out_cons, __ATOMIC_RELEASE);
		return 0;
	}
	n = avail < cap ? avail : cap;
	idx = MASK_XENCONS_IDX(r->out_cons, intf->out);
	first = OUT_SIZE - idx < n ? OUT_SIZE - idx : n;
	memcpy(buf, intf->out + idx, first);
	memcpy(buf + first, intf->out, n - first);
	r->out_cons += (XENCONS_RING_IDX)n;
	/* Finish reading the bytes before giving their space back (release). */
	__atomic_store_n(&intf->out_cons, r->out_cons, __ATOMIC_RELEASE);
	return n;
}

/* Copies up to len bytes of input into the guest's ring; returns how
 * many fitted. */
size_t cons_ring_write(struct cons_ring *r, const char *buf, size_t len,
		       bool *corrupt)
{
	struct xencons_interface *intf = r->intf;
	XENCONS_RING_IDX cons, used, idx;
	size_t n, first;

	*corrupt = false;
	/* Read in_cons before overwriting the space it frees (acquire). */
	cons = __atomic_load_n(&intf->in_cons, __ATOMIC_ACQUIRE);
	used = r->in_prod - cons;
	if (used > IN_SIZE) {
		*corrupt = true;
		r->in_prod = cons;
		used = 0;
	}
	n = IN_SIZE - used < len ? IN_SIZE - used : len;
	idx = MASK_XENCONS_IDX(r->in_prod, intf->in);
	first = IN_SIZE - idx < n ? IN_SIZE - idx : n;
	memcpy(intf->in + idx, buf, first);
	memcpy(intf->in, buf + first, n - first);
	r->in_prod += (XENCONS_RING_IDX)n;
	/* Write the bytes before publishing in_prod (release). */
	__atomic_store_n(&intf->in_prod, r->in_prod, __ATOMIC_RELEASE);
	return n;
}
