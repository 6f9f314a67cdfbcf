/*
 * xenstore client: requests and replies over the store ring.
 *
 * The ring (io/xs_wire.h) is two 1 KiB byte queues with free-running
 * 32-bit indices; the server advances req_cons and rsp_prod and notifies
 * the store port after each update, as we do for req_prod and rsp_cons.
 * The server is not trusted: an index pair further apart than the ring
 * is -XEN_EIO (the ring is then dead for good), a header is copied out
 * of the ring before its length is checked, and payloads are bounded by
 * XENSTORE_PAYLOAD_MAX.
 *
 * Threads. Only the "xenbus" reader thread consumes the response ring
 * and only it waits on the store port, so no event is ever eaten by the
 * wrong waiter. A requester takes a reply slot (XS_SLOTS of them: that
 * many requests may be outstanding), writes its request under the
 * `sending` flag (so two requests never interleave on the ring), then
 * sleeps in thread_wait_cond until the reader has copied its reply into
 * the slot. A request that times out frees its slot; its reply, should
 * it come, matches no slot and is dropped. Watch events go to
 * xs_deliver_event (xenstore_watch.c). Writers waiting for ring space
 * wait on a condition too: the reader wakes on every server event, so
 * the scheduler re-evaluates it.
 *
 * A request is written only once the whole of it (or, if longer, a full
 * ring) fits, so a timed-out writer never leaves half a message behind
 * to desynchronise the stream when a restarted server reads on.
 *
 * Suspend (suspend.c): xs_suspend() closes a gate that new requests wait
 * at and waits (bounded) for the outstanding ones to be answered.
 * xs_resume(): when the suspend was cancelled (same domain, same
 * server) it opens the gate and notifies the server. In a new domain it
 * reads the store page and port again, asks the server for clean rings
 * (connection = XENSTORE_RECONNECT, if it offers that), writes again
 * every request still unanswered (each slot keeps a copy), opens the
 * gate and has every watch registered again (xenstore_watch.c): the new
 * server has none of the old one's.
 */
#include <xen/public/hvm/hvm_op.h>
#include <xen/public/hvm/params.h>
#include <xen/public/io/xs_wire.h>

#include <minios/arch.h>
#include <minios/console.h>
#include <minios/events.h>
#include <minios/hypercall.h>
#include <minios/lib.h>
#include <minios/minios.h>
#include <minios/sched.h>
#include <minios/time.h>
#include <minios/xenstore.h>

#define XS_TIMEOUT_NS 5000000000ull
#define XS_SLOTS      8
#define XS_MSG_MAX    (sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX)
#define XS_RECONNECT_NS 5000000000ull

struct slot {
	int used, done, sent;
	uint32_t req_id, type, len;
	char data[XENSTORE_PAYLOAD_MAX + 1];
	uint32_t req_len;            /* the request as written, for a resend */
	char req[XS_MSG_MAX];
};

static struct xenstore_domain_interface *ring;
static evtchn_port_t port;
static int init_rc = 1;          /* 1: not tried yet */
static int dead;                 /* < 0: the ring is unusable */
static uint32_t next_req_id = 1;
static int sending;
static int gated;                /* suspending: new requests wait */
static struct slot slots[XS_SLOTS];
static char rx[XENSTORE_PAYLOAD_MAX + 1];

int xs_ring_state(void)
{
	return dead;
}

uint32_t xs_store_port(void)
{
	return ring ? port : 0;
}

static int get_param(uint32_t index, uint64_t *value)
{
	struct xen_hvm_param p = { .domid = DOMID_SELF, .index = index };
	long rc = hvm_op(HVMOP_get_param, &p);

	if (rc < 0)
		return (int)rc;
	*value = p.value;
	return 0;
}

/* Reader side: bytes from rsp[], waiting on the port for more. */
static int ring_get(void *data, size_t len)
{
	char *p = data;

	while (len) {
		XENSTORE_RING_IDX prod = READ_ONCE(ring->rsp_prod), cons = ring->rsp_cons;
		uint32_t avail = prod - cons;
		size_t n = 0;

		rmb(); /* rsp_prod before the bytes it covers */
		if (avail > XENSTORE_RING_SIZE)
			return -XEN_EIO;
		if (!avail) {
			evtchn_wait(port);
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

static void deliver_reply(const struct xsd_sockmsg *hdr)
{
	for (unsigned i = 0; i < XS_SLOTS; i++) {
		struct slot *s = &slots[i];

		if (!s->used || s->done || s->req_id != hdr->req_id)
			continue;
		memcpy(s->data, rx, hdr->len + 1);
		s->type = hdr->type;
		s->len = hdr->len;
		s->done = 1;
		return;
	}
	/* A reply nobody waits for any more (timed out): dropped. */
}

static void reader_main(void *arg)
{
	struct xsd_sockmsg hdr;
	int rc;

	(void)arg;
	for (;;) {
		rc = ring_get(&hdr, sizeof(hdr));
		if (rc == 0 && hdr.len > XENSTORE_PAYLOAD_MAX)
			rc = -XEN_EIO;
		if (rc == 0)
			rc = ring_get(rx, hdr.len);
		if (rc < 0)
			break;
		rx[hdr.len] = '\0';
		if (hdr.type == XS_WATCH_EVENT)
			xs_deliver_event(rx, hdr.len);
		else
			deliver_reply(&hdr);
	}
	dead = rc;
	printk("minios: xenstore: ring unusable (%d), client stopped\n", rc);
}

int xs_init(void)
{
	uint64_t pfn = 0, evtchn = 0;
	int rc;

	if (init_rc <= 0)
		return init_rc;
	rc = get_param(HVM_PARAM_STORE_PFN, &pfn);
	if (rc == 0)
		rc = get_param(HVM_PARAM_STORE_EVTCHN, &evtchn);
	if (rc == 0 && (!pfn || !evtchn || evtchn >= EVTCHN_2L_NR_CHANNELS))
		rc = -XEN_ENOENT;
	if (rc == 0 && !minios_gpa_mapped(pfn << XEN_PAGE_SHIFT, XEN_PAGE_SIZE))
		rc = -XEN_EFAULT;
	if (rc == 0 && (!thread_create("xenbus", reader_main, NULL) ||
			xs_watch_start_thread() < 0))
		rc = -XEN_ENOMEM;
	if (rc == 0) {
		ring = (struct xenstore_domain_interface *)(uintptr_t)(pfn << XEN_PAGE_SHIFT);
		port = (evtchn_port_t)evtchn;
	}
	init_rc = rc;
	return rc;
}

static int ring_space_for(void *arg)
{
	uint32_t want = (uint32_t)(uintptr_t)arg;
	uint32_t used = READ_ONCE(ring->req_prod) - READ_ONCE(ring->req_cons);

	return dead || used > XENSTORE_RING_SIZE || XENSTORE_RING_SIZE - used >= want;
}

static int ring_put(const void *data, size_t len, uint64_t deadline)
{
	const char *p = data;

	while (len) {
		uint32_t want = (uint32_t)MIN(len, (size_t)XENSTORE_RING_SIZE);
		XENSTORE_RING_IDX cons, prod;
		size_t n = 0;

		if (!thread_wait_cond(ring_space_for, (void *)(uintptr_t)want, deadline))
			return -XEN_ETIMEDOUT;
		if (dead)
			return dead;
		cons = READ_ONCE(ring->req_cons);
		prod = ring->req_prod;
		rmb(); /* req_cons before judging the space */
		if (prod - cons > XENSTORE_RING_SIZE)
			return -XEN_EIO;
		while (n < len && prod - cons + n < XENSTORE_RING_SIZE) {
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

static int not_sending(void *arg)
{
	(void)arg;
	return !sending;
}

static int send_request(uint32_t type, uint32_t tx, const struct xs_part *parts,
			unsigned n, struct slot *s, uint64_t deadline)
{
	char *msg = s->req;
	struct xsd_sockmsg hdr = { .type = type, .req_id = s->req_id, .tx_id = tx };
	size_t off = sizeof(hdr);
	int rc = 0;

	for (unsigned i = 0; i < n; i++)
		hdr.len += (uint32_t)parts[i].len;
	if (hdr.len > XENSTORE_PAYLOAD_MAX)
		return -XEN_E2BIG;
	if (!thread_wait_cond(not_sending, NULL, deadline))
		return -XEN_ETIMEDOUT;
	sending = 1; /* msg is ours until we clear it */
	memcpy(msg, &hdr, sizeof(hdr));
	for (unsigned i = 0; i < n; i++) {
		memcpy(msg + off, parts[i].p, parts[i].len);
		off += parts[i].len;
	}
	s->req_len = (uint32_t)off;
	rc = ring_put(msg, off, deadline);
	s->sent = rc == 0;
	sending = 0;
	return rc;
}

static int not_gated(void *arg)
{
	(void)arg;
	return !gated;
}

static int free_slot(void *arg)
{
	(void)arg;
	for (unsigned i = 0; i < XS_SLOTS; i++)
		if (!slots[i].used)
			return 1;
	return 0;
}

static int slot_done(void *arg)
{
	return ((struct slot *)arg)->done || dead;
}

static struct slot *take_slot(void)
{
	for (unsigned i = 0; i < XS_SLOTS; i++)
		if (!slots[i].used) {
			slots[i].used = 1;
			slots[i].done = slots[i].sent = 0;
			slots[i].req_id = next_req_id++;
			return &slots[i];
		}
	return NULL;
}

/* One request. On success (>= 0, the reply length) *out is the slot
 * holding the reply: the caller reads it and calls put_slot(). */
static int talk(uint32_t type, uint32_t tx, const struct xs_part *parts, unsigned n,
		struct slot **out)
{
	uint64_t deadline = time_now_ns() + XS_TIMEOUT_NS;
	struct slot *s;
	int rc;

	if (!ring)
		return init_rc < 0 ? init_rc : -XEN_ENODEV;
	if (dead)
		return dead;
	if (!thread_wait_cond(not_gated, NULL, deadline) ||
	    !thread_wait_cond(free_slot, NULL, deadline))
		return -XEN_ETIMEDOUT;
	s = take_slot();
	rc = send_request(type, tx, parts, n, s, deadline);
	if (rc == 0 && !thread_wait_cond(slot_done, s, deadline))
		rc = -XEN_ETIMEDOUT;
	if (rc == 0 && !s->done)
		rc = dead;
	if (rc == 0 && s->type == XS_ERROR)
		rc = error_of(s->data);
	if (rc < 0) {
		s->used = 0;
		return rc;
	}
	*out = s;
	return (int)s->len;
}

static void put_slot(struct slot *s)
{
	s->used = 0;
}

/* A request whose reply carries nothing we need. */
static int talk_void(uint32_t type, uint32_t tx, const struct xs_part *parts, unsigned n)
{
	struct slot *s;
	int rc = talk(type, tx, parts, n, &s);

	if (rc < 0)
		return rc;
	put_slot(s);
	return 0;
}

int xs_read(uint32_t tx, const char *path, char *buf, size_t len)
{
	struct xs_part p = { path, strlen(path) + 1 };
	struct slot *s;
	int n = talk(XS_READ, tx, &p, 1, &s);

	if (n < 0)
		return n;
	if ((size_t)n >= len) {
		put_slot(s);
		return -XEN_E2BIG;
	}
	memcpy(buf, s->data, (size_t)n);
	buf[n] = '\0';
	put_slot(s);
	return n;
}

int xs_write(uint32_t tx, const char *path, const char *value)
{
	struct xs_part p[2] = { { path, strlen(path) + 1 }, { value, strlen(value) } };

	return talk_void(XS_WRITE, tx, p, 2);
}

int xs_rm(uint32_t tx, const char *path)
{
	struct xs_part p = { path, strlen(path) + 1 };

	return talk_void(XS_RM, tx, &p, 1);
}

int xs_directory(uint32_t tx, const char *path, char *buf, size_t len)
{
	struct xs_part p = { path, strlen(path) + 1 };
	struct slot *s;
	int n = talk(XS_DIRECTORY, tx, &p, 1, &s), count = 0, i;

	if (n < 0)
		return n;
	if ((size_t)n > len) {
		put_slot(s);
		return -XEN_E2BIG;
	}
	memcpy(buf, s->data, (size_t)n);
	put_slot(s);
	for (i = 0; i < n; i++)
		count += buf[i] == '\0';
	return count;
}

int xs_transaction_start(uint32_t *tx)
{
	struct xs_part p = { "", 1 };
	struct slot *s;
	uint64_t id;
	int n = talk(XS_TRANSACTION_START, 0, &p, 1, &s);

	if (n < 0)
		return n;
	n = parse_u64(s->data, &id) < 0 || !id || id > UINT32_MAX ? -XEN_EIO : 0;
	put_slot(s);
	if (n == 0)
		*tx = (uint32_t)id;
	return n;
}

int xs_transaction_end(uint32_t tx, int commit)
{
	struct xs_part p = { commit ? "T" : "F", 2 };

	return talk_void(XS_TRANSACTION_END, tx, &p, 1);
}

int xs_transaction_run(int (*fn)(uint32_t tx, void *arg), void *arg,
		       unsigned max_tries)
{
	int rc = -XEN_EAGAIN;

	for (unsigned i = 0; i < (max_tries ? max_tries : 100) && rc == -XEN_EAGAIN; i++) {
		uint32_t tx;
		int res;

		rc = xs_transaction_start(&tx);
		if (rc < 0)
			return rc;
		res = fn(tx, arg);
		if (res < 0) {
			xs_transaction_end(tx, 0);
			rc = res;
			continue; /* -EAGAIN from fn: run it again */
		}
		rc = xs_transaction_end(tx, 1);
		if (rc == 0)
			return res;
	}
	return rc;
}

int xs_watch_op(uint32_t type, const char *path, const char *token)
{
	struct xs_part p[2] = { { path, strlen(path) + 1 }, { token, strlen(token) + 1 } };

	return talk_void(type, 0, p, 2);
}

/* ---- suspend and resume (suspend.c) ---------------------------------- */

static int nothing_outstanding(void *arg)
{
	(void)arg;
	for (unsigned i = 0; i < XS_SLOTS; i++)
		if (slots[i].used && !slots[i].done)
			return dead != 0;
	return 1;
}

int xs_suspend(uint64_t deadline_ns)
{
	int left = 0;

	if (!ring)
		return 0;
	gated = 1;
	thread_wait_cond(nothing_outstanding, NULL, deadline_ns);
	for (unsigned i = 0; i < XS_SLOTS; i++)
		left += slots[i].used && !slots[i].done;
	return left;
}

static int read_ring_params(void)
{
	uint64_t pfn = 0, evtchn = 0;
	int rc = get_param(HVM_PARAM_STORE_PFN, &pfn);

	if (rc == 0)
		rc = get_param(HVM_PARAM_STORE_EVTCHN, &evtchn);
	if (rc == 0 && (!pfn || !evtchn || evtchn >= EVTCHN_2L_NR_CHANNELS))
		rc = -XEN_ENOENT;
	if (rc == 0 && !minios_gpa_mapped(pfn << XEN_PAGE_SHIFT, XEN_PAGE_SIZE))
		rc = -XEN_EFAULT;
	if (rc < 0)
		return rc;
	ring = (struct xenstore_domain_interface *)(uintptr_t)(pfn << XEN_PAGE_SHIFT);
	port = (evtchn_port_t)evtchn;
	return 0;
}

/* Clean rings from the (new) server, if it offers that: 1 done, 0 not
 * offered (the server then goes on from the indices in the page), or a
 * negative errno. */
static int reconnect(void)
{
	uint64_t deadline = time_now_ns() + XS_RECONNECT_NS;

	if (!(READ_ONCE(ring->server_features) & XENSTORE_SERVER_FEATURE_RECONNECTION))
		return 0;
	WRITE_ONCE(ring->connection, XENSTORE_RECONNECT);
	mb(); /* the request before the event that makes the server look */
	evtchn_send(port);
	while (READ_ONCE(ring->connection) != XENSTORE_CONNECTED) {
		if (time_now_ns() >= deadline)
			return -XEN_ETIMEDOUT;
		msleep(1);
	}
	return 1;
}

/* Writes again, oldest first, every request the old server never
 * answered (sent = 1); marks each sent = 2 so it is taken once. */
static int resend(uint64_t deadline)
{
	int n = 0;

	for (;;) {
		struct slot *next = NULL;

		for (unsigned i = 0; i < XS_SLOTS; i++) {
			struct slot *s = &slots[i];

			if (s->used && !s->done && s->sent == 1 &&
			    (!next || s->req_id < next->req_id))
				next = s;
		}
		if (!next)
			return n;
		next->sent = 2;
		if (ring_put(next->req, next->req_len, deadline) < 0)
			return -XEN_EIO;
		n++;
	}
}

int xs_resume(int new_domain)
{
	int rc = 0, n;

	if (!ring) {
		gated = 0;
		return 0;
	}
	if (!new_domain) {
		gated = 0;
		evtchn_send(port);
		return 0;
	}
	rc = read_ring_params();
	/* The xenbus reader waits on the old port: wake it to wait on the new. */
	sched_wake_port_waiters();
	if (rc == 0 && dead == 0)
		rc = reconnect();
	/* Only emptied rings get the unanswered requests again: a server
	 * that adopted the old indices reads what is still in the ring. */
	if (rc == 1 && dead == 0) {
		sending = 1;
		n = resend(time_now_ns() + XS_TIMEOUT_NS);
		sending = 0;
		if (n > 0)
			printk("minios: xenstore: %d unanswered request(s) sent again\n", n);
		rc = n;
	}
	rc = rc < 0 ? rc : 0;
	for (unsigned i = 0; i < XS_SLOTS; i++)
		if (slots[i].sent == 2)
			slots[i].sent = 1;
	gated = 0;
	evtchn_send(port);
	if (rc < 0)
		return rc;
	return xs_watch_resume();
}
