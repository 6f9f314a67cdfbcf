/*
 * The pvh platform's C half (platform.h): minios as a KVM VM, entered by
 * boot.asm at CPL3 after it built its own tables.
 *
 * Hypercall page. boot.asm wrote the page's address to the Xen hypercall
 * MSR (CPUID leaf base+2) at CPL0; a hypervisor that traps that MSR has
 * filled the page with one 32-byte stub per hypercall number:
 *     b8 NN NN NN NN    mov $nr, %eax
 *     e7 PP             out %eax, $PVX_HYPERCALL_PORT
 *     c3                ret
 * If the page is still empty (the MSR write #GP'd and was skipped, or the
 * VMM ignores the MSR), or the command line says hcpage=self, minios
 * writes the very same stubs itself: the one switch between the two.
 * Raw hypercalls (any number) go through pvh_hypercall_raw, a bare
 * `out; ret` in boot.asm.
 *
 * Upcalls: HVMOP_set_evtchn_upcall_vector with MINIOS_UPCALL_VECTOR, whose
 * CPL0 handler (traps.inc) counts, EOIs the LAPIC and returns.
 *
 * Mapped memory: what boot.asm's page tables map, the low GiB except
 * page 0, and the special pages.
 */
#include <pvx/ctl.h>
#include <xen/public/hvm/hvm_op.h>

#include <minios/arch.h>
#include <minios/hypercall.h>
#include <minios/lib.h>
#include <minios/minios.h>
#include <minios/platform.h>

/* boot.asm */
extern uint8_t hypercall_page[4096];
extern uint32_t boot_xen_base, boot_hcall_msr;
extern uint8_t boot_hcall_msr_gp;
extern const uint8_t pvh_hypercall_raw[];

#define PVH_STR_(x) #x
#define PVH_STR(x)  PVH_STR_(x)

static enum { HCPAGE_VMM, HCPAGE_SELF } page_source;

static void fill_page(void)
{
	unsigned nr;

	memset(hypercall_page, 0xCC, sizeof(hypercall_page)); /* int3 */
	for (nr = 0; nr < HYPERCALL_NR_STUBS; nr++) {
		uint8_t *p = hypercall_page + nr * HYPERCALL_STUB_SIZE;

		p[0] = 0xB8;
		p[1] = nr & 0xFF;
		p[2] = (nr >> 8) & 0xFF;
		p[3] = 0;
		p[4] = 0;
		p[5] = 0xE7;
		p[6] = PVX_HYPERCALL_PORT;
		p[7] = 0xC3;
	}
}

static void pvh_hypercall_init(int force_self)
{
	boot_info.xen_cpuid_base = boot_xen_base;
	boot_info.hypercall_msr = boot_hcall_msr;
	hypercall_stubs = hypercall_page;
	hypercall_raw_entry = pvh_hypercall_raw;
	/* Stub 0 must at least start with "mov $imm32, %eax". */
	if (!force_self && hypercall_page[0] == 0xB8) {
		page_source = HCPAGE_VMM;
		return;
	}
	fill_page();
	page_source = HCPAGE_SELF;
}

static void pvh_describe_hypercalls(char *buf, size_t len)
{
	snprintf(buf, len, "%s hypercall page (cpuid base 0x%x, msr 0x%x%s)",
		 page_source == HCPAGE_VMM ? "hypervisor's" : "own",
		 boot_info.xen_cpuid_base, boot_info.hypercall_msr,
		 boot_hcall_msr_gp ? ": #GP" : "");
}

static int pvh_gpa_mapped(uint64_t gpa, uint64_t len)
{
	uint64_t end = gpa + len;

	if (!len || end < gpa)
		return 0;
	if (gpa >= XEN_PAGE_SIZE && end <= MINIOS_MAPPED_LOW)
		return 1;
	return gpa >= PVX_SPECIAL_GPA &&
	       end <= PVX_SPECIAL_GPA + PVX_SPECIAL_PAGES * (uint64_t)XEN_PAGE_SIZE;
}

static void pvh_start_info_seen(const struct hvm_start_info *si)
{
	(void)si;
}

static int pvh_upcall_route(void)
{
	struct xen_hvm_evtchn_upcall_vector uv = {
		.vcpu = 0, .vector = MINIOS_UPCALL_VECTOR,
	};

	return (int)hvm_op(HVMOP_set_evtchn_upcall_vector, &uv);
}

const struct platform_ops platform_pvh = {
	.name = "pvh",
	.type = MINIOS_PVH,
	.hypercall_init = pvh_hypercall_init,
	.describe_hypercalls = pvh_describe_hypercalls,
	.gpa_mapped = pvh_gpa_mapped,
	.start_info_seen = pvh_start_info_seen,
	.upcall_route = pvh_upcall_route,
	.upcall_how = "vector " PVH_STR(MINIOS_UPCALL_VECTOR),
};

/* boot.asm's iretq lands here, at CPL3 on the boot stack. */
void pvh_start(uint64_t start_info_paddr)
{
	minios_main(&platform_pvh, start_info_paddr);
}
