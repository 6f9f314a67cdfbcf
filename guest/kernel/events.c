/*
 * Event channels: the 2-level ABI, read by polling at CPL3.
 *
 * shared_info lives in a page of our image that XENMEM_add_to_physmap
 * hands to the hypervisor; vcpu_info is registered in another. Every
 * access to those pages races with the hypervisor, so bits change only
 * through locked read-modify-write instructions (fine at CPL3: they run
 * natively) and plain fields are read with READ_ONCE.
 *
 * Invariant while polling: vcpu_info->evtchn_upcall_mask == 1, so the
 * hypervisor sets pending bits (and pending_sel, upcall_pending) but never
 * injects the upcall vector. Ports stay unmasked in evtchn_mask so that
 * pending_sel keeps its Xen meaning for anyone who enables upcalls.
 */
#include <xen/public/memory.h>
#include <xen/public/sched.h>
#include <xen/public/vcpu.h>

#include <minios/arch.h>
#include <minios/console.h>
#include <minios/events.h>
#include <minios/hypercall.h>
#include <minios/lib.h>
#include <minios/platform.h>
#include <minios/time.h>

static uint8_t shared_info_page[XEN_PAGE_SIZE] __attribute__((aligned(XEN_PAGE_SIZE)));
static struct vcpu_info own_vcpu_info __attribute__((aligned(64)));

struct shared_info *shared_info;
struct vcpu_info *vcpu_info;
static int upcalls_on;   /* evtchn_upcall_enable() ran: redo after a resume */

#define PORT_WORD(p) ((p) / 64)
#define PORT_BIT(p)  ((p) % 64)

static int sync_test_and_clear(volatile xen_ulong_t *word, unsigned bit)
{
	uint8_t old;

	__asm__ volatile("lock btrq %2, %1\n\tsetc %0"
			 : "=qm"(old), "+m"(*word)
			 : "Ir"((uint64_t)bit)
			 : "memory", "cc");
	return old;
}

static void sync_clear(volatile xen_ulong_t *word, unsigned bit)
{
	__atomic_fetch_and(word, ~(1ull << bit), __ATOMIC_SEQ_CST);
}

static int port_ok(evtchn_port_t port)
{
	return shared_info && port < EVTCHN_2L_NR_CHANNELS;
}

static int map_and_register(int quiet)
{
	struct xen_add_to_physmap xatp = {
		.domid = DOMID_SELF,
		.space = XENMAPSPACE_shared_info,
		.idx = 0,
		.gpfn = (uintptr_t)shared_info_page >> XEN_PAGE_SHIFT,
	};
	struct vcpu_register_vcpu_info reg = {
		.mfn = (uintptr_t)&own_vcpu_info >> XEN_PAGE_SHIFT,
		.offset = (uintptr_t)&own_vcpu_info & (XEN_PAGE_SIZE - 1),
	};
	long rc;

	rc = memory_op(XENMEM_add_to_physmap, &xatp);
	if (rc < 0)
		return (int)rc;
	shared_info = (struct shared_info *)shared_info_page;
	vcpu_info = &shared_info->vcpu_info[0];
	WRITE_ONCE(vcpu_info->evtchn_upcall_mask, 1);
	own_vcpu_info.evtchn_upcall_mask = 1;
	rc = vcpu_op(VCPUOP_register_vcpu_info, 0, &reg);
	if (rc < 0 && !quiet)
		printk("minios: VCPUOP_register_vcpu_info failed (%ld); using shared_info's\n", rc);
	else
		vcpu_info = &own_vcpu_info;
	/* The hypervisor copied the old vcpu_info over: mask again. */
	WRITE_ONCE(vcpu_info->evtchn_upcall_mask, 1);
	return 0;
}

int events_init(void)
{
	return map_and_register(0);
}

/*
 * After SCHEDOP_shutdown(SHUTDOWN_suspend) returned 0: a new domain, whose
 * hypervisor knows nothing of our shared_info page or vcpu_info (Xen's
 * contract; pvxd may have carried them over, and doing it again is then
 * harmless: add_to_physmap moves the page to where it already is, and a
 * refused second registration leaves the first in place). The pending
 * bits in our copy of shared_info are the old domain's: cleared, so no
 * thread mistakes them for events of the new one. Upcalls are routed
 * again if a program had them on.
 */
int events_resume(void)
{
	struct vcpu_info *registered = vcpu_info;
	int rc = map_and_register(registered == &own_vcpu_info);

	if (rc < 0)
		return rc;
	if (registered == &own_vcpu_info && vcpu_info != &own_vcpu_info) {
		vcpu_info = &own_vcpu_info; /* "already registered": still ours */
		WRITE_ONCE(vcpu_info->evtchn_upcall_mask, 1);
	}
	for (unsigned i = 0; i < ARRAY_SIZE(shared_info->evtchn_pending); i++)
		__atomic_store_n(&shared_info->evtchn_pending[i], 0, __ATOMIC_SEQ_CST);
	evtchn_ack_upcall();
	return upcalls_on ? evtchn_upcall_enable() : 0;
}

/* Sets port's pending bit ourselves: wakes a thread waiting for it to
 * look again (a spurious event, which every waiter must tolerate). */
void evtchn_raise_local(evtchn_port_t port)
{
	if (port_ok(port))
		__atomic_fetch_or(&shared_info->evtchn_pending[PORT_WORD(port)],
				  1ull << PORT_BIT(port), __ATOMIC_SEQ_CST);
}

static int evtchn_op_rc(int cmd, void *arg)
{
	return (int)event_channel_op(cmd, arg);
}

int evtchn_alloc_unbound(domid_t remote, evtchn_port_t *port)
{
	struct evtchn_alloc_unbound op = { .dom = DOMID_SELF, .remote_dom = remote };
	int rc = evtchn_op_rc(EVTCHNOP_alloc_unbound, &op);

	if (rc == 0)
		*port = op.port;
	return rc;
}

int evtchn_bind_interdomain(domid_t remote, evtchn_port_t remote_port,
			    evtchn_port_t *port)
{
	struct evtchn_bind_interdomain op = {
		.remote_dom = remote, .remote_port = remote_port,
	};
	int rc = evtchn_op_rc(EVTCHNOP_bind_interdomain, &op);

	if (rc == 0)
		*port = op.local_port;
	return rc;
}

int evtchn_bind_virq(uint32_t virq, uint32_t vcpu, evtchn_port_t *port)
{
	struct evtchn_bind_virq op = { .virq = virq, .vcpu = vcpu };
	int rc = evtchn_op_rc(EVTCHNOP_bind_virq, &op);

	if (rc == 0)
		*port = op.port;
	return rc;
}

int evtchn_bind_ipi(uint32_t vcpu, evtchn_port_t *port)
{
	struct evtchn_bind_ipi op = { .vcpu = vcpu };
	int rc = evtchn_op_rc(EVTCHNOP_bind_ipi, &op);

	if (rc == 0)
		*port = op.port;
	return rc;
}

int evtchn_send(evtchn_port_t port)
{
	struct evtchn_send op = { .port = port };

	return evtchn_op_rc(EVTCHNOP_send, &op);
}

int evtchn_close(evtchn_port_t port)
{
	struct evtchn_close op = { .port = port };

	return evtchn_op_rc(EVTCHNOP_close, &op);
}

int evtchn_unmask(evtchn_port_t port)
{
	struct evtchn_unmask op = { .port = port };

	return evtchn_op_rc(EVTCHNOP_unmask, &op);
}

int evtchn_pending(evtchn_port_t port)
{
	if (!port_ok(port))
		return 0;
	return (READ_ONCE(shared_info->evtchn_pending[PORT_WORD(port)]) >> PORT_BIT(port)) & 1;
}

int evtchn_test_and_clear(evtchn_port_t port)
{
	if (!port_ok(port) || !evtchn_pending(port))
		return 0;
	return sync_test_and_clear(&shared_info->evtchn_pending[PORT_WORD(port)],
				   PORT_BIT(port));
}

void evtchn_clear(evtchn_port_t port)
{
	if (port_ok(port))
		sync_clear(&shared_info->evtchn_pending[PORT_WORD(port)], PORT_BIT(port));
}

void evtchn_ack_upcall(void)
{
	if (!vcpu_info)
		return;
	WRITE_ONCE(vcpu_info->evtchn_upcall_pending, 0);
	__atomic_exchange_n(&vcpu_info->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
}

int evtchn_poll(const evtchn_port_t *ports, unsigned n, uint64_t deadline_ns)
{
	struct sched_poll op = {
		.ports = (uintptr_t)ports,
		.nr_ports = n,
		.timeout = time_to_hv(deadline_ns),
	};

	return (int)sched_op(SCHEDOP_poll, &op);
}

int evtchn_upcall_enable(void)
{
	int rc;

	if (!vcpu_info)
		return -XEN_ENODEV;
	rc = platform->upcall_route();
	if (rc < 0)
		return rc;
	upcalls_on = 1;
	WRITE_ONCE(vcpu_info->evtchn_upcall_mask, 0);
	mb(); /* unmask before the caller looks for (or raises) events */
	return 0;
}

void evtchn_upcall_disable(void)
{
	upcalls_on = 0;
	if (vcpu_info)
		WRITE_ONCE(vcpu_info->evtchn_upcall_mask, 1);
	mb();
}
