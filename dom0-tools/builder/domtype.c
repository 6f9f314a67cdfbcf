/*
 * Choosing a domain's type (pvx/domtype.h). Three inputs: the config's
 * `type` (or none), the types the kernel's entry notes announce, the
 * types the host runs. The rules, in the order they are checked:
 *
 *   config type given   the kernel must have that type's entry note,
 *                       then the host must run it; else one line that
 *                       says which of the two is missing and what to use;
 *   no config type      kernel types & host types, pvh preferred; none
 *                       in common is one line naming both sides.
 *
 * The kernel is checked before the host: a Linux kernel asked to run as
 * pv cannot do so on any host, which is the more useful thing to hear.
 * Messages name the config line to write (`type = "pv"`), because that
 * is what the user can change.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <pvx/domtype.h>

static const char *const type_names[PVX_TYPE_COUNT] = {
	[PVX_TYPE_PVH] = "pvh",
	[PVX_TYPE_PV] = "pv",
};

#define ALL_TYPES ((1u << PVX_TYPE_COUNT) - 1)
#define BIT_PVH PVX_TYPE_BIT(PVX_TYPE_PVH)
#define BIT_PV PVX_TYPE_BIT(PVX_TYPE_PV)

const char *pvx_type_name(uint32_t type)
{
	return type < PVX_TYPE_COUNT ? type_names[type] : NULL;
}

int pvx_type_from_name(const char *name)
{
	for (uint32_t t = 0; t < PVX_TYPE_COUNT; t++)
		if (name && strcmp(name, type_names[t]) == 0)
			return (int)t;
	return -EINVAL;
}

uint32_t pvx_host_types(const struct pvx_ctl_hello_rsp *h)
{
	return h->types ? h->types & ALL_TYPES : BIT_PVH;
}

void pvx_types_str(uint32_t mask, const char *sep, char *buf, size_t len)
{
	size_t o = 0;

	if (len)
		buf[0] = '\0';
	for (uint32_t t = 0; t < PVX_TYPE_COUNT && o < len; t++)
		if (mask & PVX_TYPE_BIT(t))
			o += (size_t)snprintf(buf + o, len - o, "%s%s", o ? sep : "",
					      type_names[t]);
	if (o == 0)
		snprintf(buf, len, "none");
}

/* " (no usable /dev/kvm: REASON)" or "" when pvxd gave no reason. */
static void kvm_note(const char *kvm, char *buf, size_t len)
{
	if (kvm && *kvm)
		snprintf(buf, len, " (no usable /dev/kvm: %s)", kvm);
	else
		snprintf(buf, len, " (no usable /dev/kvm)");
}

static int kernel_lacks(const struct pvx_type_query *q, uint32_t want,
			char *msg, size_t len)
{
	if (want == PVX_TYPE_PV)
		snprintf(msg, len, "kernel '%s' cannot run as type \"pv\": it has no pvx pv "
			 "entry note (\"PVX\" PVX_ELFNOTE_PV_ENTRY)%s%s", q->kernel,
			 q->kernel_linux ? ", and Linux runs only as pvh" : "",
			 q->kernel_types & BIT_PVH ? ": use type = \"pvh\"" : "");
	else
		snprintf(msg, len, "kernel '%s' cannot run as type \"pvh\": it has no PVH "
			 "entry note (Xen note XEN_ELFNOTE_PHYS32_ENTRY)%s", q->kernel,
			 q->kernel_types & BIT_PV ? ": use type = \"pv\"" : "");
	return -ENOEXEC;
}

static int host_lacks(const struct pvx_type_query *q, uint32_t want,
		      char *msg, size_t len)
{
	char kvm[96], host[32];

	if (want == PVX_TYPE_PVH) {
		kvm_note(q->host_kvm, kvm, sizeof(kvm));
		snprintf(msg, len, "type \"pvh\" needs KVM and this host has none%s: "
			 "use type = \"pv\"%s", kvm, q->kernel_types & BIT_PV ? ""
			 : " (with a kernel that has a pvx pv entry note)");
	} else {
		pvx_types_str(q->host_types, ", ", host, sizeof(host));
		snprintf(msg, len, "this host does not run type \"%s\" domains (it runs %s "
			 "only): use type = \"pvh\"", type_names[want], host);
	}
	return -ENODEV;
}

static int none_common(const struct pvx_type_query *q, char *msg, size_t len)
{
	char kt[32], ht[32], kvm[96] = "";

	pvx_types_str(q->kernel_types, ", ", kt, sizeof(kt));
	pvx_types_str(q->host_types, ", ", ht, sizeof(ht));
	if (!(q->host_types & BIT_PVH))
		kvm_note(q->host_kvm, kvm, sizeof(kvm));
	snprintf(msg, len, "kernel '%s' runs as %s%s, this host runs %s%s: no type "
		 "both can run", q->kernel, kt,
		 q->kernel_linux && !(q->kernel_types & BIT_PV) ? " (Linux runs only as pvh)" : "",
		 ht, kvm);
	return -ENODEV;
}

/* Why the automatic choice fell on `type`, in one clause + both sides. */
static void auto_why(const struct pvx_type_query *q, uint32_t type, uint32_t common,
		     char *msg, size_t len)
{
	char kt[32], ht[32];

	pvx_types_str(q->kernel_types, ", ", kt, sizeof(kt));
	pvx_types_str(q->host_types, ", ", ht, sizeof(ht));
	if (common == (BIT_PVH | BIT_PV))
		snprintf(msg, len, "pvh preferred; kernel supports %s; host runs %s", kt, ht);
	else if (type == PVX_TYPE_PV && !(q->host_types & BIT_PVH))
		snprintf(msg, len, "no usable /dev/kvm on this host; kernel supports %s", kt);
	else if (!(q->kernel_types & ~PVX_TYPE_BIT(type)))
		snprintf(msg, len, "kernel supports %s only; host runs %s", kt, ht);
	else
		snprintf(msg, len, "host runs %s only; kernel supports %s", ht, kt);
}

int pvx_type_choose(const struct pvx_type_query *q, uint32_t *type,
		    char *msg, size_t len)
{
	uint32_t common = q->kernel_types & q->host_types & ALL_TYPES;

	if (q->want >= 0) {
		uint32_t want = (uint32_t)q->want;

		if (want >= PVX_TYPE_COUNT)
			return snprintf(msg, len, "unknown domain type %u", want), -EINVAL;
		if (!(q->kernel_types & PVX_TYPE_BIT(want)))
			return kernel_lacks(q, want, msg, len);
		if (!(q->host_types & PVX_TYPE_BIT(want)))
			return host_lacks(q, want, msg, len);
		*type = want;
		snprintf(msg, len, "from the config");
		return 0;
	}
	if (!common)
		return none_common(q, msg, len);
	*type = common & BIT_PVH ? PVX_TYPE_PVH : PVX_TYPE_PV;
	auto_why(q, *type, common, msg, len);
	return 0;
}

void pvx_type_enodev_msg(uint32_t type, const char *host_kvm, char *msg, size_t len)
{
	const char *name = pvx_type_name(type);

	if (type == PVX_TYPE_PVH)
		snprintf(msg, len, "pvxd cannot run type \"pvh\" domains on this host "
			 "(kvm: %s): use type = \"pv\"",
			 host_kvm && *host_kvm ? host_kvm : "unavailable");
	else
		snprintf(msg, len, "pvxd cannot run type \"%s\" domains on this host: "
			 "use type = \"pvh\"", name ? name : "?");
}
