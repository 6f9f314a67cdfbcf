/*
 * cpuid_pvm: CPUID choices made only because this host's /dev/kvm is
 * kvm_pvm (software virtualization, docs/kvm-pvm.md), kept apart from
 * cpuid.c so that what hardware KVM needs stays readable there.
 *
 * kvm_pvm interprets guest CPL0 code with an instruction emulator that
 * lacks some instructions; a guest kernel that uses one stops with
 * KVM_EXIT_INTERNAL_ERROR ("kvm-pvm: INTERNAL_ERROR in batch emul").
 * Linux 6.1 picks those instructions from CPUID, so hiding a feature
 * (or claiming one) steers it around them:
 *  - SMAP (leaf 7 EBX[20]): `clac`/`stac` on every user access;
 *  - SMEP (leaf 7 EBX[7]): goes with SMAP in Linux's CR4 setup;
 *  - POPCNT (leaf 1 ECX[23]): Linux patches `popcnt` into hweight;
 *  - XSAVEERPTR (leaf 0x80000008 EBX[2]) is *claimed*: without it
 *    Linux's AMD FXSAVE-leak workaround runs `fnclex` (x87) on every
 *    FPU restore (linux-pvh-abi.md §9.3).
 * kvm_pvm may force some leaf-1 bits back on (XSAVE does come back), so
 * Linux guests also carry `noxsave clearcpuid=...` on their command line
 * (guest-patches/). Minios uses none of these instructions.
 *
 * Applied when the host runs kvm_pvm (/sys/module/kvm_pvm) unless
 * PVXD_PVM_QUIRKS=0; PVXD_PVM_QUIRKS=1 forces them on any host.
 */
#include <stdlib.h>
#include <unistd.h>

#include "kvm.h"

#define CPUID1_ECX_POPCNT     (1u << 23)
#define CPUID7_EBX_SMEP       (1u << 7)
#define CPUID7_EBX_SMAP       (1u << 20)
#define CPUID8_EBX_XSAVEERPTR (1u << 2)

bool cpuid_pvm_wanted(void)
{
	const char *e = getenv("PVXD_PVM_QUIRKS");

	if (e && *e)
		return *e != '0';
	return access("/sys/module/kvm_pvm", F_OK) == 0;
}

void cpuid_pvm_quirks(struct kvm_cpuid_entry2 *e)
{
	switch (e->function) {
	case 1:
		e->ecx &= ~CPUID1_ECX_POPCNT;
		break;
	case 7:
		if (e->index == 0)
			e->ebx &= ~(CPUID7_EBX_SMEP | CPUID7_EBX_SMAP);
		break;
	case 0x80000008:
		e->ebx |= CPUID8_EBX_XSAVEERPTR;
		break;
	default:
		break;
	}
}
