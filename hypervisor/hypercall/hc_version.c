/*
 * xen_version (17): version, strings and feature bits.
 *
 * Feature submap 0 advertises what a PVH guest on pvx gets:
 * writable_page_tables, writable_descriptor_tables,
 * auto_translated_physmap (mandatory: gfn = pfn, grants via
 * add_to_physmap), supervisor_mode_kernel and hvm_callback_vector. Not
 * hvm_safe_pvclock, so Linux keeps native timekeeping (TSC, LAPIC, PIT,
 * CMOS; linux-pvh-abi.md §0.4), not hvm_pirqs, not dom0.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <xen/public/features.h>
#include <xen/public/version.h>

#include "dom.h"
#include "hcall.h"
#include "pvxd.h"

#define PVX_FEATURES ((1u << XENFEAT_writable_page_tables) | \
		      (1u << XENFEAT_writable_descriptor_tables) | \
		      (1u << XENFEAT_auto_translated_physmap) | \
		      (1u << XENFEAT_supervisor_mode_kernel) | \
		      (1u << XENFEAT_hvm_callback_vector))

static long ver_version(struct hc_ctx *c, uint64_t arg)
{
	(void)c;
	(void)arg;
	return (PVX_XEN_MAJOR << 16) | PVX_XEN_MINOR;
}

static long ver_extraversion(struct hc_ctx *c, uint64_t arg)
{
	xen_extraversion_t s = { 0 };

	strncpy(s, PVX_XEN_EXTRAVERSION, sizeof(s) - 1);
	return hc_copy_to(c, arg, s, sizeof(s));
}

static long ver_compile_info(struct hc_ctx *c, uint64_t arg)
{
	struct xen_compile_info ci;

	memset(&ci, 0, sizeof(ci));
	strncpy(ci.compiler, "gcc " __VERSION__, sizeof(ci.compiler) - 1);
	strncpy(ci.compile_by, "pvx", sizeof(ci.compile_by) - 1);
	strncpy(ci.compile_domain, "pvx", sizeof(ci.compile_domain) - 1);
	strncpy(ci.compile_date, __DATE__, sizeof(ci.compile_date) - 1);
	return hc_copy_to(c, arg, &ci, sizeof(ci));
}

static long ver_capabilities(struct hc_ctx *c, uint64_t arg)
{
	xen_capabilities_info_t s;

	memset(s, 0, sizeof(s));
	snprintf(s, sizeof(s), "%s", c->d->plat->xen_caps);
	return hc_copy_to(c, arg, s, sizeof(s));
}

static long ver_changeset(struct hc_ctx *c, uint64_t arg)
{
	xen_changeset_info_t s = "pvx";

	return hc_copy_to(c, arg, s, sizeof(s));
}

static long ver_get_features(struct hc_ctx *c, uint64_t arg)
{
	struct xen_feature_info fi;
	int r = hc_copy_from(c, &fi, arg, sizeof(fi));

	if (r < 0)
		return r;
	if (fi.submap_idx >= XENFEAT_NR_SUBMAPS)
		return -EINVAL;
	fi.submap = PVX_FEATURES;
	return hc_copy_to(c, arg, &fi, sizeof(fi));
}

static long ver_pagesize(struct hc_ctx *c, uint64_t arg)
{
	(void)c;
	(void)arg;
	return PVX_PAGE_SIZE;
}

static long ver_guest_handle(struct hc_ctx *c, uint64_t arg)
{
	return hc_copy_to(c, arg, c->d->uuid, sizeof(c->d->uuid));
}

static const struct hc_subop version_ops[] = {
	[XENVER_version]      = { ver_version,      HC_ANY },
	[XENVER_extraversion] = { ver_extraversion, HC_ANY },
	[XENVER_compile_info] = { ver_compile_info, HC_ANY },
	[XENVER_capabilities] = { ver_capabilities, HC_ANY },
	[XENVER_changeset]    = { ver_changeset,    HC_ANY },
	[XENVER_get_features] = { ver_get_features, HC_ANY },
	[XENVER_pagesize]     = { ver_pagesize,     HC_ANY },
	[XENVER_guest_handle] = { ver_guest_handle, HC_ANY },
};

long hc_xen_version(struct hc_ctx *c)
{
	return hc_subop_dispatch(c, version_ops, ARRAY_SIZE(version_ops),
				 c->arg[0], c->arg[1]);
}
