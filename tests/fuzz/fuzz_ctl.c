/*
 * Fuzz target for pvxd's control-socket protocol (hypervisor/ctl/): the
 * decoding a datagram from any local client goes through before an op
 * runs. The input is a series of datagrams, each [flags][len16][bytes]:
 * flags bit 0 says the socket truncated it, bit 1 forces the right magic
 * and bit 2 a header len that matches the bytes, so inputs reach past
 * the header checks quickly. Each datagram goes through ctl_check against
 * the real op table, as ctl.c's handle() does; then the side-effect-free
 * decoders of its payload run (ctl_check_create, ctl_check_name on a
 * rename, the LIST paging request) and the ops that need no domain and no
 * connection (list, dmesg) run into a reply buffer. Ops that create
 * domains or touch a connection are decoded only. A reply is checked
 * against the protocol's bound: it never exceeds PVX_CTL_MAX_PAYLOAD.
 *
 * Built by tests/fuzz/fuzz.mk as $(O)/fuzz/fuzz_ctl (libFuzzer) and
 * $(O)/tests/fuzz-ctl (tests/fuzz/standalone.c).
 */
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "pvxd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t rx[sizeof(struct pvx_ctl_hdr) + PVX_CTL_MAX_PAYLOAD + 1];
static uint8_t tx[PVX_CTL_MAX_PAYLOAD];

static void payload_decoders(const struct pvx_ctl_hdr *h, const void *payload)
{
	struct pvx_ctl_create_req cr;
	struct pvx_ctl_rename_req rn;
	struct ctl_reply rep = { .buf = tx };
	struct ctl_list_page pg;

	switch (h->op) {
	case PVX_CTL_CREATE:
		memcpy(&cr, payload, sizeof(cr));
		ctl_check_create(&cr, 4u << 20);
		ctl_check_create(&cr, 0);
		break;
	case PVX_CTL_RENAME:
		memcpy(&rn, payload, sizeof(rn));
		ctl_check_name(rn.name, sizeof(rn.name));
		break;
	case PVX_CTL_LIST:
		if (ctl_list_page_init(&pg, &rep, payload, h->len) == 0 &&
		    pg.max * sizeof(struct pvx_ctl_dominfo) > PVX_CTL_MAX_PAYLOAD)
			abort(); /* a page larger than one reply */
		break;
	default:
		break;
	}
}

static void datagram(const uint8_t *d, size_t n, unsigned flags)
{
	struct pvx_ctl_hdr h;
	struct ctl_reply rep = { .buf = tx };
	struct ctl_req rq = { .hdr = &h, .payload = rx + sizeof(h) };
	const struct ctl_op *op = NULL;
	int r;

	memcpy(rx, d, n);
	if (n >= sizeof(h)) {
		memcpy(&h, rx, sizeof(h));
		if (flags & 2)
			h.magic = PVX_CTL_MAGIC;
		if (flags & 4)
			h.len = (uint32_t)(n - sizeof(h));
		memcpy(rx, &h, sizeof(h));
	}
	r = ctl_check(rx, n, flags & 1, ctl_ops, PVX_CTL_OP_COUNT, &op);
	if (r < 0)
		return;
	if (!op || op != &ctl_ops[h.op] || n - sizeof(h) < op->req_size)
		abort(); /* accepted a payload shorter than the op reads */
	payload_decoders(&h, rq.payload);
	if (h.op == PVX_CTL_LIST || h.op == PVX_CTL_DMESG) {
		r = op->fn(&rq, &rep);
		if (r == 0 && rep.len > PVX_CTL_MAX_PAYLOAD)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t at = 0;

	while (size - at >= 3) {
		unsigned flags = data[at];
		size_t len = (size_t)data[at + 1] | (size_t)data[at + 2] << 8;

		at += 3;
		if (len > size - at)
			len = size - at;
		if (len > sizeof(rx))
			len = sizeof(rx);
		datagram(data + at, len, flags);
		at += len;
	}
	return 0;
}
