/*
 * xenstore client: requests and replies over the store ring.
 *
 * The ring (io/xs_wire.h) is two 1 KiB byte queues with free-running
 * 32-bit indices; the server advances req_cons and rsp_prod and notifies
 * the store port after each update, as we do for req_prod and rsp_cons.
 * The server is not trusted: an index pair further apart than the ring
 * is -XEN_EIO, a header is copied out of the ring before its length is
 * checked, and payloads are bounded by XENSTORE_PAYLOAD_MAX.
 *
 * One request is in flight at a time (`busy`; other threads yield until
 * it is done). Replies carry our req_id; anything else on the ring is a
 * watch event (queued for xs_read_watch, oldest dropped when full) or a
 * stale reply (ignored).
 */
#include <xen/public/hvm/hvm_op.h>
#include <xen/public/hvm/params.h>
#include <xen/public/io/xs_wire.h>

#include <minios/arch.h>
#include <minios/events.h>
#include <minios/hypercall.h>
#include <minios/lib.h>
#include <minios/minios.h>
#include <minios/sched.h>
#include <minios/time.h>
#include <minios/xenstore.h>

#define XS_TIMEOUT_NS 5000000000ull
#define XS_EVENTS     8

struct xs_event {
	char path[256];
	char token[64];
};

static struct xenstore_domain_interface *ring;
static evtchn_port_t port;
static uint32_t next_req_id = 1;
static int busy;
static struct xs_event events[XS_EVENTS];
static unsigned ev_head, ev_count;
static char payload[XENSTORE_PAYLOAD_MAX + 1];

static int get_param(uint32_t index, uint64_t *value)
{
	struct xen_hvm_param p = { .domid = DOMID_SELF, .index = index };
	long rc = hvm_op(HVMOP_get_param, &p);

	if (rc < 0)
		return (int)rc;
	*value = p.value;
	return 0;
}

int xs_init(void)
{
	uint64_t pfn = 0, evtchn = 0;
	int rc;

	rc = get_param(HVM_PARAM_STORE_PFN, &pfn);
	if (rc == 0)
		rc = get_param(HVM_PARAM_STORE_EVTCHN, &evtchn);
	if (rc < 0)
		return rc;
	if (!pfn || !evtchn || evtchn >= EVTCHN_2L_NR_CHANNELS)
		return -XEN_ENOENT;
	if (!minios_gpa_mapped(pfn << XEN_PAGE_SHIFT, XEN_PAGE_SIZE))
		return -XEN_EFAULT;
	ring = (struct xenstore_domain_interface *)(uintptr_t)(pfn << XEN_PAGE_SHIFT);
	port = (evtchn_port_t)evtchn;
	return 0;
}

static int wait_event(uint64_t deadline)
{
	return evtchn_wait_until(port, deadline) ? 0 : -XEN_ETIMEDOUT;
}

static int ring_put(const void *data, size_t len, uint64_t deadline)
{
	const char *p = data;

	while (len) {
		XENSTORE_RING_IDX cons = READ_ONCE(ring->req_cons), prod = ring->req_prod;
		uint32_t used = prod - cons;
		size_t n = 0;
		int rc;

		rmb(); /* req_cons before judging the space */
		if (used > XENSTORE_RING_SIZE)
			return -XEN_EIO;
		if (used == XENSTORE_RING_SIZE) {
			rc = wait_event(deadline);
			if (rc < 0)
				return rc;
			continue;
		}
		while (n < len && used + n < XENSTORE_RING_SIZE) {
			ring->req[MASK_XENSTORE_IDX(prod + n)] = p[n];
			n++;
		}
		wmb(); /* the bytes before the index that publishes them */
		WRITE_ONCE(ring->req_prod, prod + (XENSTORE_RING_IDX)n);
		evtchn_send(port);
		p += n;
		len -= n;
	}
	return 0;
}

static int ring_get(void *data, size_t len, uint64_t deadline)
{
	char *p = data;

	while (len) {
		XENSTORE_RING_IDX prod = READ_ONCE(ring->rsp_prod), cons = ring->rsp_cons;
		uint32_t avail = prod - cons;
		size_t n = 0;
		int rc;

		rmb(); /* rsp_prod before the bytes it covers */
		if (avail > XENSTORE_RING_SIZE)
			return -XEN_EIO;
		if (!avail) {
			rc = wait_event(deadline);
			if (rc < 0)
				return rc;
			continue;
		}
		while (n < len && n < avail) {
			p[n] = ring->rsp[MASK_XENSTORE_IDX(cons + n)];
			n++;
		}
		mb(); /* finish reading before the server may reuse the space */
		WRITE_ONCE(ring->rsp_cons, cons + (XENSTORE_RING_IDX)n);
		evtchn_send(port);
		p += n;
		len -= n;
	}
	return 0;
}

/* Reads one message into hdr and payload (NUL-terminated). */
static int recv_msg(struct xsd_sockmsg *hdr, uint64_t deadline)
{
	int rc = ring_get(hdr, sizeof(*hdr), deadline);

	if (rc < 0)
		return rc;
	if (hdr->len > XENSTORE_PAYLOAD_MAX)
		return -XEN_EIO;
	rc = ring_get(payload, hdr->len, deadline);
	if (rc < 0)
		return rc;
	payload[hdr->len] = '\0';
	return 0;
}

static void queue_event(uint32_t len)
{
	struct xs_event *e;
	size_t plen = strnlen(payload, len);

	if (plen + 1 >= len)
		return; /* no token: malformed, dropped */
	if (ev_count == XS_EVENTS) {
		ev_head = (ev_head + 1) % XS_EVENTS;
		ev_count--;
	}
	e = &events[(ev_head + ev_count++) % XS_EVENTS];
	snprintf(e->path, sizeof(e->path), "%s", payload);
	snprintf(e->token, sizeof(e->token), "%s", payload + plen + 1);
}

static int error_of(const char *name)
{
	unsigned i;

	for (i = 0; i < XSD_ERRORS_COUNT; i++)
		if (!strcmp(name, xsd_errors[i].errstring))
			return -xsd_errors[i].errnum;
	return -XEN_EINVAL;
}

struct xs_part {
	const void *p;
	size_t len;
};

static int send_request(uint32_t type, uint32_t tx, const struct xs_part *parts,
			unsigned n, uint32_t req_id, uint64_t deadline)
{
	struct xsd_sockmsg hdr = { .type = type, .req_id = req_id, .tx_id = tx };
	unsigned i;
	int rc;

	for (i = 0; i < n; i++)
		hdr.len += (uint32_t)parts[i].len;
	if (hdr.len > XENSTORE_PAYLOAD_MAX)
		return -XEN_E2BIG;
	rc = ring_put(&hdr, sizeof(hdr), deadline);
	for (i = 0; rc == 0 && i < n; i++)
		rc = ring_put(parts[i].p, parts[i].len, deadline);
	return rc;
}

/* One request; the reply payload is left in `payload`. Returns its
 * length or a negative Xen errno. */
static int talk(uint32_t type, uint32_t tx, const struct xs_part *parts, unsigned n)
{
	uint64_t deadline = time_now_ns() + XS_TIMEOUT_NS;
	uint32_t req_id = next_req_id++;
	struct xsd_sockmsg hdr;
	int rc;

	if (!ring)
		return -XEN_ENODEV;
	while (busy)
		thread_yield();
	busy = 1;
	rc = send_request(type, tx, parts, n, req_id, deadline);
	while (rc == 0) {
		rc = recv_msg(&hdr, deadline);
		if (rc < 0)
			break;
		if (hdr.type == XS_WATCH_EVENT)
			queue_event(hdr.len);
		else if (hdr.req_id == req_id)
			break;
	}
	busy = 0;
	if (rc < 0)
		return rc;
	if (hdr.type == XS_ERROR)
		return error_of(payload);
	return (int)hdr.len;
}

static int talk_path(uint32_t type, uint32_t tx, const char *path)
{
	struct xs_part p = { path, strlen(path) + 1 };

	return talk(type, tx, &p, 1);
}

int xs_read(uint32_t tx, const char *path, char *buf, size_t len)
{
	int n = talk_path(XS_READ, tx, path);

	if (n < 0)
		return n;
	if ((size_t)n >= len)
		return -XEN_E2BIG;
	memcpy(buf, payload, (size_t)n);
	buf[n] = '\0';
	return n;
}

int xs_write(uint32_t tx, const char *path, const char *value)
{
	struct xs_part p[2] = { { path, strlen(path) + 1 }, { value, strlen(value) } };
	int n = talk(XS_WRITE, tx, p, 2);

	return n < 0 ? n : 0;
}

int xs_rm(uint32_t tx, const char *path)
{
	int n = talk_path(XS_RM, tx, path);

	return n < 0 ? n : 0;
}

int xs_directory(uint32_t tx, const char *path, char *buf, size_t len)
{
	int n = talk_path(XS_DIRECTORY, tx, path), count = 0, i;

	if (n < 0)
		return n;
	if ((size_t)n > len)
		return -XEN_E2BIG;
	memcpy(buf, payload, (size_t)n);
	for (i = 0; i < n; i++)
		count += buf[i] == '\0';
	return count;
}

int xs_transaction_start(uint32_t *tx)
{
	struct xs_part p = { "", 1 };
	uint64_t id;
	int n = talk(XS_TRANSACTION_START, 0, &p, 1);

	if (n < 0)
		return n;
	if (parse_u64(payload, &id) < 0 || !id || id > UINT32_MAX)
		return -XEN_EIO;
	*tx = (uint32_t)id;
	return 0;
}

int xs_transaction_end(uint32_t tx, int commit)
{
	struct xs_part p = { commit ? "T" : "F", 2 };
	int n = talk(XS_TRANSACTION_END, tx, &p, 1);

	return n < 0 ? n : 0;
}

static int watch_op(uint32_t type, const char *path, const char *token)
{
	struct xs_part p[2] = { { path, strlen(path) + 1 }, { token, strlen(token) + 1 } };
	int n = talk(type, 0, p, 2);

	return n < 0 ? n : 0;
}

int xs_watch(const char *path, const char *token)
{
	return watch_op(XS_WATCH, path, token);
}

int xs_unwatch(const char *path, const char *token)
{
	return watch_op(XS_UNWATCH, path, token);
}

static void pop_event(char *path, size_t plen, char *token, size_t tlen)
{
	struct xs_event *e = &events[ev_head];

	snprintf(path, plen, "%s", e->path);
	snprintf(token, tlen, "%s", e->token);
	ev_head = (ev_head + 1) % XS_EVENTS;
	ev_count--;
}

int xs_read_watch(char *path, size_t plen, char *token, size_t tlen,
		  uint64_t deadline_ns)
{
	struct xsd_sockmsg hdr;
	int rc = 0;

	if (!ring)
		return -XEN_ENODEV;
	while (!ev_count && rc == 0) {
		while (busy)
			thread_yield();
		/* Start a message only once bytes are there, then allow the
		 * full timeout for the rest: a message read half way would
		 * desynchronise the stream. */
		if (READ_ONCE(ring->rsp_prod) == ring->rsp_cons) {
			rc = wait_event(deadline_ns);
			continue;
		}
		busy = 1;
		rc = recv_msg(&hdr, time_now_ns() + XS_TIMEOUT_NS);
		busy = 0;
		if (rc == 0 && hdr.type == XS_WATCH_EVENT)
			queue_event(hdr.len);
	}
	if (!ev_count)
		return rc == -XEN_ETIMEDOUT ? 0 : rc;
	pop_event(path, plen, token, tlen);
	return 1;
}
