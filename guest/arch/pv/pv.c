/*
 * The pv platform's C half (platform.h, pvx/pv.h): minios as a sandboxed
 * host process. entry.asm loaded the boot stack and called pv_start(); we
 * run in 64-bit user mode with the host's flat segments, so there is no
 * GDT, IDT, TSS, page table, LAPIC, CPUID leaf or MSR to set up, and we
 * must never try: any privileged instruction (cli, hlt, in/out, wrmsr,
 * lgdt, ...) faults and the fault ends the domain.
 *
 * Hypercalls: pvxd's read-only page at PVX_PV_HYPERCALL_VA holds Xen's
 * x86-64 PV stubs (`mov $nr,%eax; syscall; ret`); we only call into it.
 * Raw hypercalls (any number) use PVX_PV_RAW_HYPERCALL, `syscall; ret`
 * with the number already in rax. A `syscall` anywhere else is a
 * forbidden host system call.
 *
 * Upcalls: CALLBACKOP_register(CALLBACKTYPE_event, pv_upcall) without
 * CALLBACKF_mask_events. pvxd enters pv_upcall like a C call on the
 * interrupted stack and a trampoline resumes the interrupted code. The
 * handler does what traps.inc's vector handler does on pvh, count and
 * acknowledge; the kernel reads the pending bits at its own pace. We do
 * not ask pvxd to set evtchn_upcall_mask on entry: clearing it again at
 * the end would race with evtchn_upcall_disable() in the interrupted code.
 * Acknowledging = clearing upcall_pending, as the LAPIC EOI does on pvh:
 * a pvxd that re-raises while upcall_pending is set (Xen's level rule)
 * then cannot deliver the same event forever.
 *
 * Mapped memory: RAM from PVX_PV_RAM_FLOOR (the host refuses lower
 * mappings) to the end of RAM, bounded by the low GiB like pvh, and the
 * special pages. The end of RAM comes from start_info's memory map once
 * that is validated; until then the GiB bound applies (a toolstack that
 * points start_info beyond our RAM only crashes this domain).
 */
#include <pvx/ctl.h>
#include <pvx/pv.h>
#include <xen/public/xen.h>

#include <minios/arch.h>
#include <minios/events.h>
#include <minios/hypercall.h>
#include <minios/lib.h>
#include <minios/minios.h>
#include <minios/platform.h>

/*
 * CALLBACKOP_register (hypercall __HYPERVISOR_callback_op). Private names:
 * the same layout as Xen's xen/public/callback.h, which pvx's tree does
 * not have yet.
 */
struct pv_callback_register {
	uint16_t type;
	uint16_t flags;
	uint32_t pad;
	uint64_t address;
};

#define PV_CALLBACKOP_register  0
#define PV_CALLBACKTYPE_event   0
#define PV_MEMMAP_MAX_ENTRIES   64

static uint64_t ram_end = MINIOS_MAPPED_LOW;

static void pv_hypercall_init(int force_self)
{
	(void)force_self; /* the page is pvxd's and read-only */
	hypercall_stubs = (const uint8_t *)(uintptr_t)PVX_PV_HYPERCALL_VA;
	hypercall_raw_entry = (const void *)(uintptr_t)PVX_PV_RAW_HYPERCALL;
}

static void pv_describe_hypercalls(char *buf, size_t len)
{
	snprintf(buf, len, "pv hypercall page at 0x%lx (syscall stubs)",
		 (unsigned long)PVX_PV_HYPERCALL_VA);
}

static int pv_gpa_mapped(uint64_t gpa, uint64_t len)
{
	uint64_t end = gpa + len;

	if (!len || end < gpa)
		return 0;
	if (gpa >= PVX_PV_RAM_FLOOR && end <= ram_end)
		return 1;
	return gpa >= PVX_SPECIAL_GPA &&
	       end <= PVX_SPECIAL_GPA + PVX_SPECIAL_PAGES * (uint64_t)XEN_PAGE_SIZE;
}

/* The end of the highest RAM entry, if the map is readable and has one. */
static void pv_start_info_seen(const struct hvm_start_info *si)
{
	const struct hvm_memmap_table_entry *map;
	uint64_t top = 0;
	uint32_t i, n = si->memmap_entries;

	if (si->version < 1 || !n || n > PV_MEMMAP_MAX_ENTRIES ||
	    !pv_gpa_mapped(si->memmap_paddr, (uint64_t)n * sizeof(*map)))
		return;
	map = (const void *)(uintptr_t)si->memmap_paddr;
	for (i = 0; i < n; i++) {
		uint64_t end = map[i].addr + map[i].size;

		if (map[i].type == XEN_HVM_MEMMAP_TYPE_RAM && end > map[i].addr && end > top)
			top = end;
	}
	if (top > PVX_PV_RAM_FLOOR && top < ram_end)
		ram_end = top;
}

/* The upcall entry: a plain C call on the interrupted stack (pvx/pv.h). */
static void pv_upcall(long sig, void *info, void *frame)
{
	(void)sig;
	(void)info;
	(void)frame;
	upcall_count++; /* no nesting, and the interrupted code only reads it */
	if (vcpu_info)
		WRITE_ONCE(vcpu_info->evtchn_upcall_pending, 0);
}

static int pv_upcall_route(void)
{
	struct pv_callback_register cb = {
		.type = PV_CALLBACKTYPE_event,
		.flags = 0,
		.address = (uintptr_t)pv_upcall,
	};

	return (int)HYPERCALL2(__HYPERVISOR_callback_op, PV_CALLBACKOP_register, &cb);
}

const struct platform_ops platform_pv = {
	.name = "pv",
	.type = MINIOS_PV,
	.hypercall_init = pv_hypercall_init,
	.describe_hypercalls = pv_describe_hypercalls,
	.gpa_mapped = pv_gpa_mapped,
	.start_info_seen = pv_start_info_seen,
	.upcall_route = pv_upcall_route,
	.upcall_how = "CALLBACKOP_register callback",
};

/* entry.asm calls this on the boot stack. */
void pv_start(uint64_t start_info_paddr)
{
	minios_main(&platform_pv, start_info_paddr);
}
