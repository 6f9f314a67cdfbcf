/*
 * Domain types in the toolstack (pvx/ctl.h enum pvx_dom_type): their
 * names, what a host runs, and which type a domain is built as.
 *
 * The choice (docs/config.md, "Domain type"): the config's `type` if it
 * has one, else the types the kernel's ELF notes announce intersected
 * with the types the host runs (PVX_CTL_HELLO), pvh preferred when both
 * allow it. Everything here is pure (no pvxd, no files), so the whole
 * table of kernel x host x config cases is unit tested.
 */
#ifndef PVX_DOMTYPE_H
#define PVX_DOMTYPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <pvx/ctl.h>

/* "pvh", "pv"; NULL for a value outside enum pvx_dom_type. */
const char *pvx_type_name(uint32_t type);
/* The enum value of "pvh" / "pv", or -EINVAL. */
int pvx_type_from_name(const char *name);
/* The types a host runs, from its HELLO: unknown bits dropped; a pvxd
 * that predates types (types == 0) runs pvh only. */
uint32_t pvx_host_types(const struct pvx_ctl_hello_rsp *h);
/* The types of mask as "pvh, pv" (joined by sep), "none" if empty. */
void pvx_types_str(uint32_t mask, const char *sep, char *buf, size_t len);

struct pvx_type_query {
	int want;                /* the config's type, or -1: choose */
	const char *kernel;      /* its path, for messages */
	uint32_t kernel_types;   /* pvx_elf_image.types */
	bool kernel_linux;       /* XEN_ELFNOTE_GUEST_OS "linux" */
	uint32_t host_types;     /* pvx_host_types() */
	const char *host_kvm;    /* hello.kvm: KVM's flavour, or why none */
};

/* 0 with *type and, in msg, why it was chosen (for "type = X (msg)");
 * or -ENOEXEC (the kernel cannot run as the config's type) / -ENODEV
 * (the host cannot, or no type suits both) with one line in msg. */
int pvx_type_choose(const struct pvx_type_query *q, uint32_t *type,
		    char *msg, size_t len);
/* One line for pvxd answering -ENODEV to a create of `type`. */
void pvx_type_enodev_msg(uint32_t type, const char *host_kvm, char *msg, size_t len);

#endif /* PVX_DOMTYPE_H */
