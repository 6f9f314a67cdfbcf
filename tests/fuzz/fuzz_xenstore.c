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
 * block it, so output queues and stalls get exercised. At the end the
 * store is torn down and CONTROL check must still say OK: LeakSanitizer
 * then catches anything the requests leaked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	struct xs_store st;
	struct fconn fc[3];
	uint32_t ids[3] = { 0, 5, 6 };
	size_t at = 0;
	int i;

	xs_log_set_sink(sink, NULL);
	if (xs_store_init(&st))
		return 0;
	for (i = 0; i < 3; i++) {
		fc[i].blocked = false;
		fc[i].c = xs_conn_new(&st, &f_ops, &fc[i], ids[i], i == 0);
	}
	feed_home(fc[0].c, 5);
	feed_home(fc[0].c, 6);
	while (at < size)
		at += chunk(fc, data + at, size - at);
	for (i = 0; i < 3; i++)
		xs_conn_destroy(fc[i].c);
	if (st.nnodes == 0 || !TAILQ_EMPTY(&st.open_txns))
		abort();
	xs_store_dispose(&st);
	return 0;
}
