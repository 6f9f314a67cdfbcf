/*
 * libFuzzer target for pvxstored's message parser and request handling.
 *
 * Each input is a script of chunks fed to one of three connections of a
 * fresh store (dom0's socket, guest 5, guest 6, with libxl's home-directory
 * layout for the guests), through the real xs_conn_feed -> xs_dispatch
 * path. A chunk is either raw bytes (any header at all, split anywhere)
 * or a well-formed header built from a few bytes, so the fuzzer reaches
 * deep into the handlers (transactions, watches, permissions) quickly.
 * Replies are discarded by a fake transport, except that a chunk may
 * block it, so output queues and stalls get exercised. A fourth target is
 * guest 7's store ring (conn_ring.c on an in-memory page): chunks write
 * request bytes, set the guest-owned indices to anything, or ask for a
 * reconnection, then the ring is serviced. At the end the
 * store is torn down and CONTROL check must still say OK: LeakSanitizer
 * then catches anything the requests leaked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "../../xenbus/store/ring.h"
#include "../../xenbus/store/xs_core.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fconn {
	struct xs_conn *c;
	bool blocked;
};

static ssize_t f_write(struct xs_conn *c, const void *buf, size_t len)
{
	struct fconn *f = c->priv;

	(void)buf;
	return f->blocked ? 0 : (ssize_t)len;
}

static void f_kick(struct xs_conn *c)
{
	xs_conn_flush(c);
}

static const struct xs_conn_ops f_ops = { .kind = "fuzz", .write = f_write,
					  .kick = f_kick };

static char page[4096] __attribute__((aligned(4096)));
static struct xenstore_domain_interface *const intf = (void *)page;

static int r_map(void *ctx, uint32_t domid, uint64_t gfn,
		 struct xenstore_domain_interface **out, void **handle)
{
	(void)ctx; (void)domid; (void)gfn;
	*out = intf;
	*handle = page;
	return 0;
}

static void r_unmap(void *ctx, void *handle) { (void)ctx; (void)handle; }

static int r_bind(void *ctx, uint32_t domid, uint32_t port, int *ev, int *nt,
		  void **handle)
{
	(void)ctx; (void)domid; (void)port;
	*ev = eventfd(0, EFD_NONBLOCK);
	*nt = eventfd(0, EFD_NONBLOCK);
	*handle = (void *)(intptr_t)(*ev << 16 | *nt);
	return 0;
}

static void r_unbind(void *ctx, void *handle)
{
	intptr_t h = (intptr_t)handle;

	(void)ctx;
	close((int)(h >> 16));
	close((int)(h & 0xffff));
}

static const struct xs_ring_backend ring_fake = { r_map, r_unmap, r_bind, r_unbind, NULL };

static uint32_t u32(const uint8_t *d)
{
	return (uint32_t)d[0] | (uint32_t)d[1] << 8 | (uint32_t)d[2] << 16 |
	       (uint32_t)d[3] << 24;
}

/* A ring chunk: [sel][op][4 bytes][len][bytes...]. */
static size_t ring_chunk(struct xs_store *st, const uint8_t *d, size_t n)
{
	struct xs_domain *dom = domain_get(st, 7, false);
	size_t len, i;

	if (n < 7 || !dom || !dom->conn)
		return n;
	len = d[6] < n - 7 ? d[6] : n - 7;
	switch (d[1] % 4) {
	case 0: /* a well-behaved producer */
		for (i = 0; i < len; i++)
			intf->req[MASK_XENSTORE_IDX(intf->req_prod + i)] = (char)d[7 + i];
		intf->req_prod += len;
		break;
	case 1:
		intf->req_prod = u32(d + 2);
		break;
	case 2:
		intf->rsp_cons = u32(d + 2);
		break;
	default:
		intf->connection = d[2] & 1;
		break;
	}
	ring_conn_service(dom->conn);
	return 7 + len;
}

static void sink(const char *line, void *arg)
{
	(void)line;
	(void)arg;
}

static void feed_home(struct xs_conn *c, uint32_t domid)
{
	char buf[128];
	struct xsd_sockmsg *h = (void *)buf;
	int n;

	n = snprintf(buf + sizeof(*h), sizeof(buf) - sizeof(*h),
		     "/local/domain/%u/data%c", domid, 0);
	*h = (struct xsd_sockmsg){ XS_MKDIR, 1, 0, (uint32_t)n };
	xs_conn_feed(c, buf, sizeof(*h) + n);
	n = snprintf(buf + sizeof(*h), sizeof(buf) - sizeof(*h),
		     "/local/domain/%u/data%cn%u%c", domid, 0, domid, 0);
	*h = (struct xsd_sockmsg){ XS_SET_PERMS, 2, 0, (uint32_t)n };
	xs_conn_feed(c, buf, sizeof(*h) + n);
}

static size_t chunk(struct fconn *fc, const uint8_t *d, size_t n)
{
	static char msg[sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX];
	struct fconn *f = &fc[d[0] % 3];
	struct xsd_sockmsg h;
	size_t len;

	if (d[0] % 4 == 3)
		return ring_chunk(fc[0].c->st, d, n);
	f->blocked = d[0] & 0x40;
	if (!f->blocked)
		xs_conn_flush(f->c);
	if (d[0] & 0x80) {
		/* Raw: the next byte says how many bytes to pass through. */
		len = n > 1 ? d[1] : 0;
		len = len < n - 2 ? len : (n > 2 ? n - 2 : 0);
		xs_conn_feed(f->c, d + 2, len);
		return 2 + len;
	}
	if (n < 4)
		return n;
	/* Structured: type, tx id (small), payload length (one byte). */
	len = d[3] < n - 4 ? d[3] : n - 4;
	h = (struct xsd_sockmsg){ d[1] % (XS_TYPE_COUNT + 1), d[0], d[2] & 3,
				  (uint32_t)len };
	memcpy(msg, &h, sizeof(h));
	memcpy(msg + sizeof(h), d + 4, len);
	xs_conn_feed(f->c, msg, sizeof(h) + len);
	return 4 + len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct event_base *base;
	struct xs_store st;
	struct fconn fc[3];
	uint32_t ids[3] = { 0, 5, 6 };
	size_t at = 0;
	int i;

	pvx_log_set_sink(sink, NULL);
	if (!base && !(base = event_base_new()))
		return 0;
	if (xs_store_init(&st))
		return 0;
	st.base = base;
	st.ring_backend = &ring_fake;
	memset(page, 0, sizeof(page));
	for (i = 0; i < 3; i++) {
		fc[i].blocked = false;
		fc[i].c = xs_conn_new(&st, &f_ops, &fc[i], ids[i], i == 0);
	}
	feed_home(fc[0].c, 5);
	feed_home(fc[0].c, 6);
	feed_home(fc[0].c, 7);
	if (xs_domain_introduce(&st, 7, 1, 1))
		abort();
	while (at < size)
		at += chunk(fc, data + at, size - at);
	if (domain_get(&st, 7, false))
		xs_domain_release(&st, domain_get(&st, 7, false));
	for (i = 0; i < 3; i++)
		xs_conn_destroy(fc[i].c);
	if (st.nnodes == 0 || !TAILQ_EMPTY(&st.open_txns))
		abort();
	xs_store_dispose(&st);
	return 0;
}
