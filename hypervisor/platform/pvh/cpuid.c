/*
 * cpuid: the CPUID a domain's vCPU sees.
 *
 * Start from KVM_GET_SUPPORTED_CPUID, then:
 *  - drop KVM's own hypervisor leaves (0x40000000..0x400000FF): Linux
 *    picks the highest hypervisor base it finds, and KVM's would win;
 *  - add the Xen leaves 0x40000000..0x40000004: signature
 *    "XenVMMXenVMM", version, one hypercall page at MSR 0x40000000, and
 *    the HVM leaf advertising the per-vCPU upcall vector and the vcpu id;
 *  - put the vCPU's APIC id into leaf 1 and leaf 0xB;
 *  - hide XSAVE (and what needs it: AVX, leaf 0xD): kvm_pvm cannot
 *    emulate XSAVE/XRSTOR in guest kernels (docs/pvxd.md). Guests fall
 *    back to FXSAVE, which hardware KVM runs just as well;
 *  - on kvm_pvm only, the workarounds in cpuid_pvm.c;
 *  - leaf 0x15 (TSC / crystal ratio) from KVM_GET_TSC_KHZ: Linux on
 *    Intel then knows the TSC rate without calibrating against the PIT,
 *    which fails when guest CPL0 code is emulated as slowly as on kvm_pvm
 *    ("tsc: Unable to calibrate against PIT"); correct on hardware KVM
 *    too. The "crystal" is the TSC itself (ratio 1): Linux multiplies
 *    crystal kHz by the numerator in 32 bits, so a 1 GHz crystal with a
 *    ratio overflows. Linux also takes the crystal as the LAPIC timer
 *    rate, which it uses only without TSC-deadline (KVM offers it).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <xen/public/arch-x86/cpuid.h>

#include "kvm.h"
#include "pvxd.h"

#define CPUID_HV_FIRST 0x40000000u
#define CPUID_HV_LAST  0x400000FFu
#define XEN_LEAVES     5

#define CPUID1_ECX_XSAVE   (1u << 26)
#define CPUID1_ECX_OSXSAVE (1u << 27)
#define CPUID1_ECX_AVX     (1u << 28)
#define CPUID1_ECX_HV      (1u << 31)
#define CPUID7_EBX_AVX2    (1u << 5)
#define CPUID7_EBX_AVX512F (1u << 16)

static void fix_entry(struct kvm_cpuid_entry2 *e, unsigned vcpu_id)
{
	switch (e->function) {
	case 1:
		e->ebx = (e->ebx & 0x00FFFFFFu) | (vcpu_id << 24);
		e->ecx &= ~(CPUID1_ECX_XSAVE | CPUID1_ECX_OSXSAVE | CPUID1_ECX_AVX);
		e->ecx |= CPUID1_ECX_HV;
		break;
	case 7:
		if (e->index == 0)
			e->ebx &= ~(CPUID7_EBX_AVX2 | CPUID7_EBX_AVX512F);
		break;
	case 0xB:
	case 0x1F:
		e->edx = vcpu_id;
		break;
	default:
		break;
	}
}

static void put(struct kvm_cpuid_entry2 *e, uint32_t fn, uint32_t a,
		uint32_t b, uint32_t c, uint32_t d)
{
	memset(e, 0, sizeof(*e));
	e->function = fn;
	e->eax = a;
	e->ebx = b;
	e->ecx = c;
	e->edx = d;
}

static unsigned add_xen_leaves(struct kvm_cpuid_entry2 *e, unsigned vcpu_id)
{
	const uint32_t base = XEN_CPUID_FIRST_LEAF;

	/* "XenVMMXenVMM" in ebx, ecx, edx */
	put(&e[0], base, base + 4, 0x566e6558u, 0x65584d4du, 0x4d4d566eu);
	put(&e[1], base + 1, (PVX_XEN_MAJOR << 16) | PVX_XEN_MINOR, 0, 0, 0);
	/* one hypercall page, written through MSR base + 0 */
	put(&e[2], base + 2, 1, PVX_HYPERCALL_MSR, 0, 0);
	put(&e[3], base + 3, 0, 0, 0, 0);
	put(&e[4], base + 4,
	    XEN_HVM_CPUID_VCPU_ID_PRESENT | XEN_HVM_CPUID_UPCALL_VECTOR,
	    vcpu_id, 0, 0);
	return XEN_LEAVES;
}

/* Leaf 0x15: TSC Hz = crystal Hz (ecx) * ebx / eax; ecx must fit. */
static void put_tsc_leaf(struct kvm_cpuid_entry2 *e, uint32_t tsc_khz)
{
	uint64_t hz = (uint64_t)tsc_khz * 1000 * cpuid_pvm_time_scale();
	uint32_t mul = 1;

	/* hz is a multiple of 1000: a divisor is found well before 10^6. */
	while ((hz / mul > UINT32_MAX || (hz % mul)) && mul < 1000000)
		mul++;
	put(e, 0x15, 1, mul, (uint32_t)(hz / mul), 0);
}

struct kvm_cpuid2 *cpuid_for_vcpu(unsigned vcpu_id, uint32_t tsc_khz)
{
	const struct kvm_cpuid2 *src = kvm_host.cpuid;
	struct kvm_cpuid2 *c;
	unsigned n = 0;

	c = calloc(1, sizeof(*c) + (src->nent + XEN_LEAVES + 1) * sizeof(c->entries[0]));
	if (!c)
		return NULL;
	for (unsigned i = 0; i < src->nent; i++) {
		const struct kvm_cpuid_entry2 *e = &src->entries[i];

		if (e->function >= CPUID_HV_FIRST && e->function <= CPUID_HV_LAST)
			continue;
		if (e->function == 0xD) /* XSAVE state enumeration */
			continue;
		if (e->function == 0x15 && tsc_khz)
			continue; /* ours below */
		c->entries[n] = *e;
		if (e->function == 0 && tsc_khz && c->entries[n].eax < 0x15)
			c->entries[n].eax = 0x15;
		fix_entry(&c->entries[n], vcpu_id);
		if (kvm_host.pvm_quirks)
			cpuid_pvm_quirks(&c->entries[n]);
		n++;
	}
	if (tsc_khz)
		put_tsc_leaf(&c->entries[n++], tsc_khz);
	n += add_xen_leaves(&c->entries[n], vcpu_id);
	c->nent = n;
	return c;
}
