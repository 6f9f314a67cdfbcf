/*
 * The hypervisor CPUID leaves a Xen guest probes. The base leaf returns
 * the signature "XenVMMXenVMM" and the highest leaf; guests scan bases
 * 0x40000000..0x4000FF00 in 0x100 steps and need (max - base) >= 2.
 *
 *   base+1: eax = (major << 16) | minor
 *   base+2: eax = hypercall pages, ebx = hypercall-page MSR
 *   base+3: TSC mode / frequency (sub-leaves)
 *   base+4: eax = XEN_HVM_CPUID_* flags, ebx = vcpu id, ecx = domid
 */
#ifndef XEN_PUBLIC_ARCH_X86_CPUID_H
#define XEN_PUBLIC_ARCH_X86_CPUID_H

#define XEN_CPUID_FIRST_LEAF      0x40000000u
#define XEN_CPUID_LEAF(i)         (XEN_CPUID_FIRST_LEAF + (i))
#define XEN_CPUID_MAX_NUM_LEAVES  5

/* "XenVMMXenVMM" in ebx, ecx, edx. */
#define XEN_CPUID_SIGNATURE_EBX   0x566e6558u /* "XenV" */
#define XEN_CPUID_SIGNATURE_ECX   0x65584d4du /* "MMXe" */
#define XEN_CPUID_SIGNATURE_EDX   0x4d4d566eu /* "nVMM" */

/* Leaf base+4, eax. */
#define XEN_HVM_CPUID_APIC_ACCESS_VIRT  (1u << 0)
#define XEN_HVM_CPUID_X2APIC_VIRT       (1u << 1)
#define XEN_HVM_CPUID_IOMMU_MAPPINGS    (1u << 2)
#define XEN_HVM_CPUID_VCPU_ID_PRESENT   (1u << 3) /* ebx holds the vcpu id */
#define XEN_HVM_CPUID_DOMID_PRESENT     (1u << 4) /* ecx holds the domid */
#define XEN_HVM_CPUID_EXT_DEST_ID       (1u << 5)
#define XEN_HVM_CPUID_UPCALL_VECTOR     (1u << 6) /* HVMOP_set_evtchn_upcall_vector works */

#endif /* XEN_PUBLIC_ARCH_X86_CPUID_H */
