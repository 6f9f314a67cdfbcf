/*
 * Fuzz target for pvx-consoled's console ring consumer (dom0-tools/
 * consoled/ring.c): the guest owns the whole page and may write anything
 * there at any time. The input is a series of ops on one page: the guest
 * produces output honestly, sets out_prod or in_cons to any value,
 * scribbles a byte anywhere in the page; the backend reads (any cap),
 * writes input (any length) or restarts (cons_ring_init on the page as
 * it is). What must hold: a read returns at most its cap and never more
 * than the ring holds, a write at most its length and never overfills
 * the guest's view of `in`; and while the guest has behaved (no raw index
 * and no scribble yet), the bytes read are exactly those it wrote, in
 * order (a shadow FIFO), and no read reports corruption.
 *
 * Built by tests/fuzz/fuzz.mk as $(O)/fuzz/fuzz_console (libFuzzer) and
 * $(O)/tests/fuzz-console (tests/fuzz/standalone.c).
 */
#include <stdlib.h>
#include <string.h>

#include "../../dom0-tools/consoled/consoled.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define OUT_SIZE sizeof(((struct xencons_interface *)0)->out)
#define IN_SIZE  sizeof(((struct xencons_interface *)0)->in)

static uint8_t page[4096] __attribute__((aligned(4096)));

struct shadow {
	char fifo[OUT_SIZE];
	size_t head, len;
	bool honest;
};

static uint32_t u32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* The guest's output, written the way a correct frontend writes it. */
static void guest_write(struct xencons_interface *intf, struct shadow *sh,
			const uint8_t *p, size_t n)
{
	XENCONS_RING_IDX prod = intf->out_prod, cons = intf->out_cons;

	if (prod - cons > OUT_SIZE)
		return;
	if (n > OUT_SIZE - (prod - cons))
		n = OUT_SIZE - (prod - cons);
	for (size_t i = 0; i < n; i++) {
		intf->out[MASK_XENCONS_IDX(prod + i, intf->out)] = (char)p[i];
		if (sh->honest)
			sh->fifo[(sh->head + sh->len++) % OUT_SIZE] = (char)p[i];
	}
	intf->out_prod = prod + (XENCONS_RING_IDX)n;
}

static void backend_read(struct cons_ring *r, struct shadow *sh, size_t cap)
{
	char buf[OUT_SIZE + 64];
	bool corrupt;
	size_t n = cons_ring_read(r, buf, cap, &corrupt);

	if (n > cap || n > OUT_SIZE)
		abort();
	if (!sh->honest)
		return;
	if (corrupt || n > sh->len)
		abort(); /* an honest guest's ring is never corrupt */
	for (size_t i = 0; i < n; i++)
		if (buf[i] != sh->fifo[(sh->head + i) % OUT_SIZE])
			abort(); /* bytes lost, duplicated or reordered */
	sh->head = (sh->head + n) % OUT_SIZE;
	sh->len -= n;
}

static void backend_write(struct cons_ring *r, const uint8_t *p, size_t n)
{
	struct xencons_interface *intf = r->intf;
	bool corrupt;
	size_t w = cons_ring_write(r, (const char *)p, n, &corrupt);

	if (w > n || (XENCONS_RING_IDX)(intf->in_prod - intf->in_cons) > IN_SIZE)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xencons_interface *intf = (void *)page;
	static struct shadow sh;
	struct cons_ring r;
	size_t at = 8, len;

	if (size < at)
		return 0;
	memset(page, 0, sizeof(page));
	/* Start anywhere in index space, the wrap at 2^32 included. */
	intf->out_cons = intf->out_prod = u32(data);
	intf->in_cons = intf->in_prod = u32(data + 4);
	sh.head = sh.len = 0;
	sh.honest = true;
	cons_ring_init(&r, intf);
	while (size - at >= 2) {
		unsigned op = data[at], arg = data[at + 1];

		at += 2;
		switch (op % 8) {
		case 0: /* guest output: the next arg bytes of the input */
		case 1:
			len = arg < size - at ? arg : size - at;
			guest_write(intf, &sh, data + at, len);
			at += len;
			break;
		case 2:
			backend_read(&r, &sh, (size_t)arg * 5 % (OUT_SIZE + 32));
			break;
		case 3:
			len = arg < size - at ? arg : size - at;
			backend_write(&r, data + at, len);
			at += len;
			break;
		case 4: /* the guest sets an index to anything */
			if (size - at < 4)
				return 0;
			if (arg & 1)
				intf->out_prod = u32(data + at);
			else
				intf->in_cons = u32(data + at);
			at += 4;
			sh.honest = false;
			break;
		case 5: /* the guest scribbles anywhere in the page */
			page[(size_t)arg * 16 % sizeof(page)] ^= 0xA5;
			sh.honest = false;
			break;
		case 6: /* the guest consumes its input */
			intf->in_cons = intf->in_prod;
			break;
		default: /* the backend restarts on the page as it is */
			cons_ring_init(&r, intf);
			break;
		}
	}
	return 0;
}
