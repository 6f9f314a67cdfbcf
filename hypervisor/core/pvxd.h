/*
 * pvxd: constants every pvxd module shares.
 */
#ifndef PVXD_H
#define PVXD_H

#include <stdint.h>

#define PVX_XEN_MAJOR        4
#define PVX_XEN_MINOR        17
#define PVX_XEN_EXTRAVERSION ".0-pvx"
#define PVX_HYPERCALL_MSR    0x40000000u

/* Guest-physical map (besides RAM at 0 and the special pages, ctl.h). */
#define PVX_RAM_MAX          0xC0000000ull /* RAM must end below the MMIO hole */
#define PVX_MMIO_HOLE        0xFEC00000ull /* IOAPIC, LAPIC, special, TSS */
#define PVX_TSS_GPA          0xFEFFC000ull /* 3 pages for KVM_SET_TSS_ADDR */
#define PVX_IDMAP_GPA        0xFEFFF000ull /* KVM_SET_IDENTITY_MAP_ADDR */
#define PVX_GPA_LIMIT        (1ull << 40)  /* highest GPA a guest may name */
#define PVX_LEGACY_HOLE      0xA0000ull    /* E820 reserved 0xA0000-0xFFFFF */
#define PVX_LEGACY_HOLE_END  0x100000ull

#define PVX_MAX_DOMAINS      1024 /* domids 1..1023; 0 is Dom0 */
#define PVX_DOM0             0
#define PVX_DOM_LOG_BYTES    (64 * 1024)

#define PVX_LAPIC_MSI_ADDR   0xFEE00000u

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
