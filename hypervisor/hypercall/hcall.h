/*
 * hcall: the hypercall trap, dispatch tables and guest-memory helpers.
 *
 * A guest issues `out %eax, $PVX_HYPERCALL_PORT` (directly or through the
 * hypercall page) with Xen's 64-bit convention: rax = number, rdi, rsi,
 * rdx, r10, r8 = arguments, result in rax; nothing else is touched. Any
 * CPL may call (minios runs its kernel at CPL3, ARCHITECTURE D12).
 *
 * One designated-initializer table maps numbers to handlers with a
 * per-entry policy; hcall_dispatch does the range, -ENOSYS and privilege
 * checks so handlers never repeat them. Sub-op tables (sched_op,
 * memory_op, ...) have the same shape and go through hc_subop_dispatch.
 *
 * Handlers copy guest structures in once (hc_copy_from), validate the
 * copy, and only then change state (validate, then commit).
 */
#ifndef PVXD_HCALL_H
#define PVXD_HCALL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gva.h"

struct domain;
struct vcpu;

struct hc_ctx {
	struct domain *d;
	struct vcpu *v;
	uint64_t nr;
	uint64_t arg[5];
	bool have_mode;
	struct gva_mode mode;
};

enum hc_policy {
	HC_UNSET = 0,  /* no handler: -ENOSYS */
	HC_ANY,        /* any domain */
	HC_PRIV,       /* privileged domains only: -EPERM for a DomU */
};

typedef long (*hc_fn)(struct hc_ctx *c);
typedef long (*hc_subfn)(struct hc_ctx *c, uint64_t arg);

struct hc_entry {
	hc_fn fn;
	enum hc_policy policy;
};

struct hc_subop {
	hc_subfn fn;
	enum hc_policy policy;
};

#define HC_TABLE_SIZE 64

extern const struct hc_entry hc_table[HC_TABLE_SIZE];

long hcall_dispatch(struct hc_ctx *c);
long hc_subop_dispatch(struct hc_ctx *c, const struct hc_subop *t, size_t n,
		       uint64_t cmd, uint64_t arg);

/* Guest memory through the caller's page tables. */
int hc_copy_from(struct hc_ctx *c, void *dst, uint64_t gva, size_t len);
int hc_copy_to(struct hc_ctx *c, uint64_t gva, const void *src, size_t len);
void *hc_guest_ptr(struct hc_ctx *c, uint64_t gva, size_t len, bool write);
/* Resolves DOMID_SELF / the caller's own id; other ids need privilege. */
int hc_self_domid(struct hc_ctx *c, uint32_t domid);

/* Handlers, one file each (hc_*.c). */
long hc_xen_version(struct hc_ctx *c);
long hc_console_io(struct hc_ctx *c);
long hc_sched_op(struct hc_ctx *c);
long hc_callback_op(struct hc_ctx *c);
long hc_memory_op(struct hc_ctx *c);
long hc_hvm_op(struct hc_ctx *c);
long hc_vcpu_op(struct hc_ctx *c);
long hc_set_timer_op(struct hc_ctx *c);
long hc_event_channel_op(struct hc_ctx *c);
long hc_grant_table_op(struct hc_ctx *c);
long hc_privileged(struct hc_ctx *c);
long hc_privileged_sub(struct hc_ctx *c, uint64_t arg);

/* What a handler returns to make the vCPU thread leave (destroy). */
#define HC_EXIT_THREAD (-(long)0x7FFF0000)

#endif
