/*
 * xen_version hypercall (17): sub-operation in arg 1, buffer GVA in arg 2.
 * XENVER_version returns (major << 16) | minor directly in rax; the others
 * fill the buffer and return 0.
 */
#ifndef XEN_PUBLIC_VERSION_H
#define XEN_PUBLIC_VERSION_H

#include <stdint.h>
#include "xen.h"

#define XENVER_version             0
#define XENVER_extraversion        1
#define XENVER_compile_info        2
#define XENVER_capabilities        3
#define XENVER_changeset           4
#define XENVER_platform_parameters 5
#define XENVER_get_features        6
#define XENVER_pagesize            7
#define XENVER_guest_handle        8
#define XENVER_commandline         9
#define XENVER_build_id           10

/* XENVER_extraversion: NUL-terminated, e.g. ".0-pvx". */
typedef char xen_extraversion_t[16];
#define XEN_EXTRAVERSION_LEN (sizeof(xen_extraversion_t))
struct xen_extraversion {
	xen_extraversion_t extraversion;
};

/* XENVER_compile_info: 144 bytes of NUL-terminated strings. */
struct xen_compile_info {
	char compiler[64];
	char compile_by[16];
	char compile_domain[32];
	char compile_date[32];
};

/* XENVER_capabilities: space-separated, e.g. "hvm-3.0-x86_64". */
typedef char xen_capabilities_info_t[1024];
#define XEN_CAPABILITIES_INFO_LEN (sizeof(xen_capabilities_info_t))

/* XENVER_changeset: source revision string. */
typedef char xen_changeset_info_t[64];
#define XEN_CHANGESET_INFO_LEN (sizeof(xen_changeset_info_t))

/* XENVER_platform_parameters: start of the hypervisor's VA hole (PV). */
struct xen_platform_parameters {
	xen_ulong_t virt_start;
};

/* XENVER_get_features: IN submap_idx, OUT the 32 XENFEAT bits of it. */
struct xen_feature_info {
	uint32_t submap_idx;
	uint32_t submap;
};

/* XENVER_guest_handle writes a xen_domain_handle_t (16 bytes). */

/* XENVER_commandline: the hypervisor command line. */
typedef char xen_commandline_t[1024];

/* XENVER_build_id: IN len = buffer size, OUT len = id length, then bytes. */
struct xen_build_id {
	uint32_t len;
	uint8_t buf[];
};

#endif /* XEN_PUBLIC_VERSION_H */
