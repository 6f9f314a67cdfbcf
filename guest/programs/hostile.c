/*
 * hostile: wild hypercalls, each of which must fail with an error return
 * and leave the guest (and the hypervisor) running: bad numbers, wild,
 * non-canonical and unmapped pointers, huge counts, unbound ports, bad
 * vcpu ids, other domains' resources. One table row per call. After the
 * battery the guest checks that it still works (a hypercall, an event to
 * itself, the clock) and prints PASS only if every call failed with the
 * errno its row expects (Xen's), so a row cannot pass on an error that
 * some earlier, unrelated check returned.
 *
 * Rows never pass a pointer that would make a call succeed with side
 * effects (e.g. a valid decrease_reservation would really free memory).
 * Not here on purpose: alloc_unbound for a domain that does not exist
 * yet, which Xen allows (the ping-pong test relies on it).
 */
#include <xen/public/errno.h>
#include <xen/public/event_channel.h>
#include <xen/public/grant_table.h>
#include <xen/public/hvm/hvm_op.h>
#include <xen/public/hvm/params.h>
#include <xen/public/memory.h>
#include <xen/public/sched.h>
#include <xen/public/vcpu.h>
#include <xen/public/version.h>

#include <minios/console.h>
#include <minios/events.h>
#include <minios/hypercall.h>
#include <minios/lib.h>
#include <minios/platform.h>
#include <minios/program.h>
#include <minios/time.h>

#include "programs.h"

#define NONCANON  0x8000000000000000ull  /* not a canonical address */
#define KERNELISH 0xFFFF800000000000ull  /* canonical, not mapped by us */
#define UNMAPPED  0x40000000ull          /* above the GiB our tables map */
#define NOT_RAM   0x3FFFF000ull          /* mapped, but far above our RAM */
#define NULLPAGE  0x10ull                /* page 0 is not present */
#define BADVCPU   99
/* "Another domain": never ours. It was 5, and a hostile guest that was
 * itself domain 5 (the soak test's 396th: pvxd hands out ids round robin
 * below PVX_MAX_DOMAINS, 1024, and wraps) named itself, which Xen allows:
 * its add_to_physmap moved its own shared_info to gpfn 0x200 and its
 * self-sent event then landed there, unseen. The largest ordinary domid
 * is never a pvx domain's. */
#define OTHERDOM  0x7FEF

/* err: the Xen errno the call must fail with (negated); err_pv: the one
 * on the pv platform where it differs (0: the same). Any other error
 * means the call was refused for another reason than the row names. */
struct wild {
	const char *what;
	uint64_t nr, a1, a2, a3;
	int err, err_pv;
};

static uint8_t buf[64];
static struct evtchn_send send_big = { .port = 1u << 20 };
static struct evtchn_send send_unbound = { .port = 4095 };
static struct evtchn_close close_unbound = { .port = 4000 };
static struct evtchn_unmask unmask_big = { .port = 99999 };
static struct evtchn_bind_virq virq_bad = { .virq = 999 };
static struct evtchn_bind_virq virq_badvcpu = { .virq = VIRQ_TIMER, .vcpu = BADVCPU };
static struct evtchn_bind_virq virq_again = { .virq = VIRQ_TIMER, .vcpu = 0 };
static struct evtchn_bind_ipi ipi_badvcpu = { .vcpu = BADVCPU };
static struct evtchn_bind_vcpu bindvcpu_bad = { .port = 1, .vcpu = BADVCPU };
static struct evtchn_alloc_unbound alloc_other = { .dom = OTHERDOM, .remote_dom = 0 };
static struct evtchn_bind_interdomain bind_baddom = { .remote_dom = DOMID_INVALID, .remote_port = 1 };
static struct evtchn_bind_interdomain bind_badport = { .remote_dom = 0, .remote_port = 99999 };
static struct evtchn_status status_big = { .dom = DOMID_SELF, .port = 99999 };
static struct sched_poll poll_wild = { .ports = NONCANON, .nr_ports = 1 };
static struct sched_poll poll_huge = { .nr_ports = 1u << 20 };
static struct sched_shutdown shutdown_bad = { .reason = 99 };
static struct sched_remote_shutdown remote_dom0 = { .domain_id = 0, .reason = SHUTDOWN_poweroff };
static struct vcpu_register_vcpu_info vi_cross = { .offset = 4090 };
static struct vcpu_set_singleshot_timer sst = { .timeout_abs_ns = 1 };
static struct xen_hvm_param param_bad = { .domid = DOMID_SELF, .index = 9999 };
static struct xen_hvm_param param_other = { .domid = OTHERDOM, .index = HVM_PARAM_STORE_PFN };
static struct xen_hvm_param param_set_other = { .domid = OTHERDOM, .index = HVM_PARAM_CALLBACK_IRQ };
static struct xen_hvm_evtchn_upcall_vector uv_badvcpu = { .vcpu = BADVCPU, .vector = 0xF3 };
static struct xen_hvm_evtchn_upcall_vector uv_lowvec = { .vcpu = 0, .vector = 5 };
static struct xen_add_to_physmap xatp_space = { .domid = DOMID_SELF, .space = 99 };
static struct xen_add_to_physmap xatp_gpfn = { .domid = DOMID_SELF, .space = XENMAPSPACE_shared_info, .gpfn = 0xFFFFFFFFFFFull };
static struct xen_add_to_physmap xatp_other = { .domid = OTHERDOM, .space = XENMAPSPACE_shared_info, .gpfn = 0x200 };
static struct xen_memory_map mmap_wild = { .nr_entries = 1u << 30, .buffer = NONCANON };

#define P(x) ((uint64_t)(uintptr_t)(x))

static const struct wild calls[] = {
	{ "hypercall 63 (unassigned)", 63, 0, 0, 0, XEN_ENOSYS, 0 },
	{ "hypercall 64 (past the table)", 64, 0, 0, 0, XEN_ENOSYS, 0 },
	{ "hypercall 200", 200, 0, 0, 0, XEN_ENOSYS, 0 },
	{ "hypercall 0xffffffff", 0xFFFFFFFFull, 0, 0, 0, XEN_ENOSYS, 0 },
	{ "set_trap_table (PV only)", __HYPERVISOR_set_trap_table, NULLPAGE, 0, 0, XEN_ENOSYS, 0 },
	{ "mmu_update (PV only)", __HYPERVISOR_mmu_update, NONCANON, 1u << 30, 0, XEN_ENOSYS, 0 },
	{ "multicall wild", __HYPERVISOR_multicall, NONCANON, 1000000, 0, XEN_ENOSYS, 0 },
	{ "console_io write non-canonical", __HYPERVISOR_console_io, CONSOLEIO_write, 16, NONCANON, XEN_EFAULT, 0 },
	{ "console_io write kernel half", __HYPERVISOR_console_io, CONSOLEIO_write, 16, KERNELISH, XEN_EFAULT, 0 },
	{ "console_io write unmapped", __HYPERVISOR_console_io, CONSOLEIO_write, 16, UNMAPPED, XEN_EFAULT, 0 },
	{ "console_io write beyond RAM", __HYPERVISOR_console_io, CONSOLEIO_write, 16, NOT_RAM, XEN_EFAULT, 0 },
	{ "console_io write null page", __HYPERVISOR_console_io, CONSOLEIO_write, 16, NULLPAGE, XEN_EFAULT, 0 },
	{ "console_io write huge count", __HYPERVISOR_console_io, CONSOLEIO_write, 0xFFFFFFFFull, P(buf), XEN_EINVAL, 0 },
	{ "console_io read (privileged)", __HYPERVISOR_console_io, CONSOLEIO_read, 16, P(buf), XEN_EPERM, 0 },
	{ "console_io bad command", __HYPERVISOR_console_io, 99, 1, P(buf), XEN_ENOSYS, 0 },
	{ "xen_version extraversion wild", __HYPERVISOR_xen_version, XENVER_extraversion, NONCANON, 0, XEN_EFAULT, 0 },
	{ "xen_version get_features null", __HYPERVISOR_xen_version, XENVER_get_features, NULLPAGE, 0, XEN_EFAULT, 0 },
	{ "xen_version bad command", __HYPERVISOR_xen_version, 999, P(buf), 0, XEN_ENOSYS, 0 },
	{ "memory_op add_to_physmap wild", __HYPERVISOR_memory_op, XENMEM_add_to_physmap, NONCANON, 0, XEN_EFAULT, 0 },
	{ "memory_op add_to_physmap bad space", __HYPERVISOR_memory_op, XENMEM_add_to_physmap, P(&xatp_space), 0, XEN_ENOSYS, 0 },
	{ "memory_op add_to_physmap huge gpfn", __HYPERVISOR_memory_op, XENMEM_add_to_physmap, P(&xatp_gpfn), 0, XEN_EINVAL, 0 },
	{ "memory_op add_to_physmap other domain", __HYPERVISOR_memory_op, XENMEM_add_to_physmap, P(&xatp_other), 0, XEN_EPERM, 0 },
	{ "memory_op memory_map wild buffer", __HYPERVISOR_memory_op, XENMEM_memory_map, P(&mmap_wild), 0, XEN_EFAULT, 0 },
	{ "memory_op decrease_reservation wild", __HYPERVISOR_memory_op, XENMEM_decrease_reservation, UNMAPPED, 0, XEN_EFAULT, 0 },
	{ "memory_op bad command", __HYPERVISOR_memory_op, 999, P(buf), 0, XEN_ENOSYS, 0 },
	{ "evtchn send wild pointer", __HYPERVISOR_event_channel_op, EVTCHNOP_send, NONCANON, 0, XEN_EFAULT, 0 },
	{ "evtchn send port 2^20", __HYPERVISOR_event_channel_op, EVTCHNOP_send, P(&send_big), 0, XEN_EINVAL, 0 },
	{ "evtchn send unbound port", __HYPERVISOR_event_channel_op, EVTCHNOP_send, P(&send_unbound), 0, XEN_EINVAL, 0 },
	{ "evtchn close unbound port", __HYPERVISOR_event_channel_op, EVTCHNOP_close, P(&close_unbound), 0, XEN_EINVAL, 0 },
	{ "evtchn unmask port 99999", __HYPERVISOR_event_channel_op, EVTCHNOP_unmask, P(&unmask_big), 0, XEN_EINVAL, 0 },
	{ "evtchn bind_virq 999", __HYPERVISOR_event_channel_op, EVTCHNOP_bind_virq, P(&virq_bad), 0, XEN_EINVAL, 0 },
	{ "evtchn bind_virq bad vcpu", __HYPERVISOR_event_channel_op, EVTCHNOP_bind_virq, P(&virq_badvcpu), 0, XEN_ENOENT, 0 },
	{ "evtchn bind_virq TIMER twice", __HYPERVISOR_event_channel_op, EVTCHNOP_bind_virq, P(&virq_again), 0, XEN_EEXIST, 0 },
	{ "evtchn bind_ipi bad vcpu", __HYPERVISOR_event_channel_op, EVTCHNOP_bind_ipi, P(&ipi_badvcpu), 0, XEN_ENOENT, 0 },
	{ "evtchn bind_vcpu bad vcpu", __HYPERVISOR_event_channel_op, EVTCHNOP_bind_vcpu, P(&bindvcpu_bad), 0, XEN_ENOENT, 0 },
	{ "evtchn alloc_unbound for another domain", __HYPERVISOR_event_channel_op, EVTCHNOP_alloc_unbound, P(&alloc_other), 0, XEN_EPERM, 0 },
	{ "evtchn bind_interdomain invalid domain", __HYPERVISOR_event_channel_op, EVTCHNOP_bind_interdomain, P(&bind_baddom), 0, XEN_ESRCH, 0 },
	{ "evtchn bind_interdomain dom0 port 99999", __HYPERVISOR_event_channel_op, EVTCHNOP_bind_interdomain, P(&bind_badport), 0, XEN_EINVAL, 0 },
	{ "evtchn status port 99999", __HYPERVISOR_event_channel_op, EVTCHNOP_status, P(&status_big), 0, XEN_EINVAL, 0 },
	{ "evtchn bad command", __HYPERVISOR_event_channel_op, 999, P(buf), 0, XEN_ENOSYS, 0 },
	{ "sched_op poll wild ports", __HYPERVISOR_sched_op, SCHEDOP_poll, P(&poll_wild), 0, XEN_EFAULT, 0 },
	{ "sched_op poll 2^20 ports", __HYPERVISOR_sched_op, SCHEDOP_poll, P(&poll_huge), 0, XEN_EINVAL, 0 },
	{ "sched_op shutdown wild", __HYPERVISOR_sched_op, SCHEDOP_shutdown, NONCANON, 0, XEN_EFAULT, 0 },
	{ "sched_op shutdown reason 99", __HYPERVISOR_sched_op, SCHEDOP_shutdown, P(&shutdown_bad), 0, XEN_EINVAL, 0 },
	{ "sched_op remote_shutdown dom0", __HYPERVISOR_sched_op, SCHEDOP_remote_shutdown, P(&remote_dom0), 0, XEN_EPERM, 0 },
	{ "sched_op bad command", __HYPERVISOR_sched_op, 999, P(buf), 0, XEN_ENOSYS, 0 },
	{ "vcpu_op is_up bad vcpu", __HYPERVISOR_vcpu_op, VCPUOP_is_up, BADVCPU, 0, XEN_ENOENT, 0 },
	{ "vcpu_op register_vcpu_info wild", __HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 0, NONCANON, XEN_EFAULT, 0 },
	{ "vcpu_op register_vcpu_info crossing a page", __HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 0, P(&vi_cross), XEN_EINVAL, 0 },
	{ "vcpu_op singleshot bad vcpu", __HYPERVISOR_vcpu_op, VCPUOP_set_singleshot_timer, BADVCPU, P(&sst), XEN_ENOENT, 0 },
	{ "vcpu_op singleshot wild", __HYPERVISOR_vcpu_op, VCPUOP_set_singleshot_timer, 0, KERNELISH, XEN_EFAULT, 0 },
	{ "vcpu_op bad command", __HYPERVISOR_vcpu_op, 999, 0, P(buf), XEN_ENOSYS, 0 },
	{ "hvm_op get_param wild", __HYPERVISOR_hvm_op, HVMOP_get_param, NONCANON, 0, XEN_EFAULT, 0 },
	{ "hvm_op get_param index 9999", __HYPERVISOR_hvm_op, HVMOP_get_param, P(&param_bad), 0, XEN_EINVAL, 0 },
	{ "hvm_op get_param other domain", __HYPERVISOR_hvm_op, HVMOP_get_param, P(&param_other), 0, XEN_EPERM, 0 },
	{ "hvm_op set_param other domain", __HYPERVISOR_hvm_op, HVMOP_set_param, P(&param_set_other), 0, XEN_EPERM, 0 },
	{ "hvm_op upcall vector bad vcpu", __HYPERVISOR_hvm_op, HVMOP_set_evtchn_upcall_vector, P(&uv_badvcpu), 0, XEN_ENOENT, XEN_EOPNOTSUPP },
	{ "hvm_op upcall vector 5", __HYPERVISOR_hvm_op, HVMOP_set_evtchn_upcall_vector, P(&uv_lowvec), 0, XEN_EINVAL, XEN_EOPNOTSUPP },
	{ "hvm_op bad command", __HYPERVISOR_hvm_op, 999, P(buf), 0, XEN_ENOSYS, 0 },
	{ "grant_table_op query_size wild", __HYPERVISOR_grant_table_op, GNTTABOP_query_size, NONCANON, 1, XEN_EFAULT, 0 },
	{ "grant_table_op huge count", __HYPERVISOR_grant_table_op, GNTTABOP_query_size, P(buf), 1u << 31, XEN_EINVAL, 0 },
};

static int survived(void)
{
	evtchn_port_t port;
	int ok;

	if (xen_version(XENVER_version, NULL) <= 0)
		return fail("hostile: xen_version fails after the battery");
	if (evtchn_bind_ipi(0, &port) < 0)
		return fail("hostile: cannot bind an IPI port after the battery");
	evtchn_send(port);
	ok = evtchn_test_and_clear(port);
	evtchn_close(port);
	if (!ok)
		return fail("hostile: an event to ourselves did not arrive after the battery");
	if (time_available() && !time_now_ns())
		return fail("hostile: the clock stopped");
	return 0;
}

int prog_hostile(int argc, char **argv)
{
	unsigned i, bad = 0;

	(void)argc;
	(void)argv;
	for (i = 0; i < ARRAY_SIZE(calls); i++) {
		const struct wild *w = &calls[i];
		long rc = hypercall_raw(w->nr, w->a1, w->a2, w->a3, 0, 0);
		long want = -(long)(platform_is_pv() && w->err_pv ? w->err_pv : w->err);

		if (rc >= 0)
			printk("hostile: %-44s -> %ld  (NOT AN ERROR)\n", w->what, rc);
		else if (rc != want)
			printk("hostile: %-44s -> %ld  (WRONG ERROR, want %ld)\n", w->what, rc, want);
		else
			printk("hostile: %-44s -> %ld\n", w->what, rc);
		if (rc != want)
			bad++;
	}
	if (survived())
		return 1;
	if (bad)
		return fail("hostile: %u of %u wild hypercalls did not fail with their errno",
			    bad, (unsigned)ARRAY_SIZE(calls));
	return pass("hostile: all %u wild hypercalls failed with their errno; guest alive",
		    (unsigned)ARRAY_SIZE(calls));
}
