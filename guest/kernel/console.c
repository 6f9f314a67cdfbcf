/*
 * Console output: console_io first, then the PV console ring.
 *
 * Ring protocol (io/console.h): the guest produces into out[], advancing
 * out_prod; the backend consumes, advancing out_cons, and notifies the
 * console port. Indices are free-running 32-bit counters; out_prod -
 * out_cons is the fill level. The backend is not trusted: a fill level
 * larger than the ring is treated as "full" (we wait), never as space.
 *
 * Nothing is dropped: while the ring is full we notify the backend and
 * wait on the console port (SCHEDOP_poll with a 10 ms timeout, re-checked
 * in a loop), so a slow backend slows the guest down instead.
 */
#include <stdarg.h>

#include <xen/public/hvm/hvm_op.h>
#include <xen/public/hvm/params.h>
#include <xen/public/io/console.h>
#include <xen/public/sched.h>

#include <minios/console.h>
#include <minios/events.h>
#include <minios/hypercall.h>
#include <minios/lib.h>
#include <minios/minios.h>
#include <minios/time.h>
#include <minios/arch.h>

#define RING_WAIT_NS 10000000ull

static enum console_mode mode = CONSOLE_BOTH;
static struct xencons_interface *ring;
static evtchn_port_t ring_port;

void console_set_mode(enum console_mode m)
{
	mode = m;
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

int console_ring_init(void)
{
	uint64_t pfn = 0, port = 0;
	int rc;

	if (mode == CONSOLE_XEN)
		return 0;
	rc = get_param(HVM_PARAM_CONSOLE_PFN, &pfn);
	if (rc < 0)
		return rc;
	rc = get_param(HVM_PARAM_CONSOLE_EVTCHN, &port);
	if (rc < 0)
		return rc;
	if (!pfn || !port || port >= EVTCHN_2L_NR_CHANNELS)
		return -XEN_ENOENT;
	if (!minios_gpa_mapped(pfn << XEN_PAGE_SHIFT, XEN_PAGE_SIZE))
		return -XEN_EFAULT;
	ring_port = (evtchn_port_t)port;
	ring = (struct xencons_interface *)(uintptr_t)(pfn << XEN_PAGE_SHIFT);
	return 0;
}

/* A new domain may have its console page or port elsewhere: read both
 * again. The ring's indices are in the page and came along with memory:
 * the new backend goes on from them. Without a ring, console_io. */
int console_ring_resume(void)
{
	int rc;

	if (!ring)
		return 0;
	rc = console_ring_init();
	if (rc < 0)
		ring = NULL;
	return rc;
}

int console_ring_active(void)
{
	return ring != NULL;
}

static void ring_wait(void)
{
	uint64_t deadline = time_available() ? time_now_ns() + RING_WAIT_NS : 0;

	evtchn_send(ring_port);
	if (!deadline) {
		sched_op(SCHEDOP_yield, NULL);
		return;
	}
	evtchn_poll(&ring_port, 1, deadline);
	evtchn_clear(ring_port);
}

static void ring_write(const char *buf, size_t len)
{
	while (len) {
		XENCONS_RING_IDX cons = READ_ONCE(ring->out_cons);
		XENCONS_RING_IDX prod = ring->out_prod;
		uint32_t used = prod - cons;
		size_t n = 0;

		rmb(); /* read out_cons before judging the space */
		if (used >= sizeof(ring->out)) {
			ring_wait();
			continue;
		}
		while (n < len && used + n < sizeof(ring->out)) {
			ring->out[MASK_XENCONS_IDX(prod + n, ring->out)] = buf[n];
			n++;
		}
		wmb(); /* the bytes before the producer index that publishes them */
		WRITE_ONCE(ring->out_prod, prod + (XENCONS_RING_IDX)n);
		buf += n;
		len -= n;
		evtchn_send(ring_port);
	}
}

int console_reaches_xen(void)
{
	return !ring || mode == CONSOLE_BOTH;
}

void console_write(const char *buf, size_t len)
{
	if (!len)
		return;
	if (console_reaches_xen())
		console_io(CONSOLEIO_write, (unsigned)len, buf);
	if (ring)
		ring_write(buf, len);
}

int console_read(char *buf, size_t len)
{
	XENCONS_RING_IDX prod, cons;
	size_t n = 0;

	if (!ring)
		return -XEN_ENODEV;
	prod = READ_ONCE(ring->in_prod);
	cons = ring->in_cons;
	rmb(); /* in_prod before the bytes it covers */
	if (prod - cons > sizeof(ring->in))
		return -XEN_EIO;
	while (n < len && cons + n != prod) {
		buf[n] = ring->in[MASK_XENCONS_IDX(cons + n, ring->in)];
		n++;
	}
	mb(); /* done reading before the backend may reuse the space */
	WRITE_ONCE(ring->in_cons, cons + (XENCONS_RING_IDX)n);
	if (n)
		evtchn_send(ring_port);
	return (int)n;
}

evtchn_port_t console_port(void)
{
	return ring ? ring_port : 0;
}

void console_flush(void)
{
	unsigned tries;

	if (!ring)
		return;
	/* Bounded: a dead backend must not keep the domain from ending. */
	for (tries = 0; tries < 100; tries++) {
		if (READ_ONCE(ring->out_cons) == ring->out_prod)
			return;
		ring_wait();
	}
}

void printk(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;
	console_write(buf, (size_t)n);
}
