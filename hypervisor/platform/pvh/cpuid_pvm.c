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
 * PVXD_PVM_TIME_SCALE=N (2..64, any host, default 1) claims a TSC N
 * times faster than it is in leaf 0x15: the guest's clock then runs N
 * times slow and its periodic tick comes N times less often in real
 * time. On kvm_pvm a Linux tick costs milliseconds of emulated CPL0, and
 * under host load HZ=250 alone can take a whole vCPU (docs/linux-boot.md);
 * this trades guest time accuracy for progress. Off unless asked.
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

uint32_t cpuid_pvm_time_scale(void)
{
	const char *e = getenv("PVXD_PVM_TIME_SCALE");
	char *end;
	unsigned long v;

	if (!e || !*e)
		return 1;
	v = strtoul(e, &end, 10);
	return *end || v < 1 || v > 64 ? 1 : (uint32_t)v;
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
