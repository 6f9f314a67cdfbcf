/*
 * save_state: the hypervisor-state blob of PVX_CTL_GET_STATE/SET_STATE
 * (docs/migration-hv.md has the layout; tools carry it verbatim).
 *
 * A blob is a header then typed, length-prefixed records, each padded
 * to 8 bytes. This file is the codec alone: a writer that appends
 * records, and a parser that checks every length, count, port, frame
 * and vCPU number against the receiving domain's limits before anything
 * is applied (unit tested with malformed blobs). Applying the parsed
 * records is dom_mig.c's and the platform's job (platform.h).
 */
#ifndef PVXD_SAVE_STATE_H
#define PVXD_SAVE_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MIG_MAGIC      0x53585650u /* "PVXS" */
#define MIG_VERSION    1
#define MIG_MAX_BLOB   (4u << 20)  /* far above what 32 vCPUs need */
#define MIG_MAX_RECS   512
#define MIG_NO_VCPU    0xFFFFu
#define MIG_NO_GFN     (~0ull)

struct mig_hdr {
	uint32_t magic;
	uint16_t version;
	uint16_t type;        /* enum pvx_dom_type */
	uint32_t nr_vcpus;
	uint32_t nr_recs;
	uint64_t total;       /* bytes, header included */
};

struct mig_rec_hdr {
	uint16_t type;        /* enum mig_rec_type */
	uint16_t vcpu;        /* MIG_NO_VCPU for domain records */
	uint32_t len;         /* payload bytes (padding not counted) */
};

enum mig_rec_type {
	/* Domain records (vcpu = MIG_NO_VCPU). */
	MIG_REC_DOM = 1,      /* struct mig_dom, required */
	MIG_REC_HVM_PARAMS,   /* uint64_t[MIG_HVM_PARAMS] */
	MIG_REC_BALLOON,      /* bitmap of released RAM pages, ram_pages bits */
	MIG_REC_GNTTAB,       /* struct mig_gnttab + uint64_t gfn[nr_frames] */
	MIG_REC_EVTCHN,       /* struct mig_evtchn[n] */
	MIG_REC_XPAGE,        /* shared_info's 4096 bytes when outside RAM */
	/* Per-vCPU, every platform. */
	MIG_REC_VCPU = 8,     /* struct mig_vcpu, required per vCPU */
	/* pvh (KVM structures as the host's linux/kvm.h defines them). */
	MIG_REC_KVM_REGS = 16,
	MIG_REC_KVM_SREGS,
	MIG_REC_KVM_MSRS,     /* struct mig_msr[n] */
	MIG_REC_KVM_XSAVE,    /* struct kvm_xsave */
	MIG_REC_KVM_FPU,      /* struct kvm_fpu, when XSAVE is missing */
	MIG_REC_KVM_LAPIC,
	MIG_REC_KVM_MP_STATE,
	MIG_REC_KVM_XCRS,
	MIG_REC_KVM_EVENTS,
	MIG_REC_KVM_IRQCHIP = 32, /* domain: struct kvm_irqchip[3] (PIC x2, IOAPIC) */
	MIG_REC_KVM_PIT,      /* domain: struct kvm_pit_state2 */
	/* pv: the process's registers (vCPU 0). */
	MIG_REC_PV_REGS = 48, /* struct mig_pv_regs */
	MIG_REC_TYPE_MAX = 64,
};

#define MIG_HVM_PARAMS 39    /* HVM_NR_PARAMS */

#define MIG_DOM_SUSPENDED (1u << 0) /* saved in SHUTDOWN_suspend */

struct mig_dom {
	uint64_t system_time_ns;  /* guest time at save: continues from there */
	uint64_t wallclock_ns;    /* host UTC at save (diagnostics) */
	uint64_t shinfo_gpa;      /* 0: shared_info never placed */
	uint64_t ram_pages;       /* RAM layout: must equal the new domain's */
	uint64_t nr_pages;        /* reservation: ram_pages - released */
	uint64_t maxmem_bytes;
	uint32_t flags;           /* MIG_DOM_* */
	uint32_t suspend_vcpu;    /* who called SCHEDOP_shutdown(suspend) */
	uint32_t max_grant_frames;
	uint32_t pad;
};

struct mig_gnttab {
	uint32_t version;         /* 1 */
	uint32_t nr_frames;       /* 1..max_grant_frames */
	/* uint64_t gfn[nr_frames]: MIG_NO_GFN = not placed */
};

struct mig_evtchn {
	uint32_t port;            /* 1..EVTCHN_MAX_PORTS-1 */
	uint8_t state;            /* EVTCHNSTAT_unbound/interdomain/virq/ipi */
	uint8_t pad;
	uint16_t remote_dom;
	uint32_t remote_port;
	uint32_t vcpu;
	uint32_t virq;
	uint32_t pad2;
};

struct mig_vcpu {
	uint64_t timer_deadline;  /* system time ns, 0 = stopped */
	uint64_t vcpu_info_gpa;   /* 0: the legacy shared_info slot */
	uint8_t upcall_vector;    /* pvh: 0 = none */
	uint8_t pad[7];
};

struct mig_msr {
	uint32_t index;
	uint32_t pad;
	uint64_t data;
};
#define MIG_MAX_MSRS 64

/* x86-64 user registers in the kernel's user_regs_struct order, then
 * the fxsave area (user_fpregs_struct) and the event callback. */
struct mig_pv_regs {
	uint64_t gpr[27];
	uint8_t fxsave[512];
	uint64_t callback;
	uint32_t callback_flags;
	uint32_t pad;
};

/* What the receiving domain allows. */
struct mig_limits {
	uint32_t type;
	uint32_t nr_vcpus;
	uint64_t ram_pages;
	uint64_t ram_floor;       /* RAM below is not the guest's (pv) */
	uint32_t max_grant_frames;
	uint32_t nr_virqs;
	uint32_t max_ports;
	uint32_t hvm_params;
	/* Platform records: exact payload size by type, 0 = not allowed,
	 * MIG_SIZE_MSRS = a mig_msr array. */
	uint32_t rec_size[MIG_REC_TYPE_MAX];
};
#define MIG_SIZE_MSRS 0xFFFFFFFFu

struct mig_rec {
	uint16_t type;
	uint16_t vcpu;
	uint32_t len;
	const uint8_t *data;
};

struct mig_parsed {
	struct mig_hdr hdr;
	unsigned nr;
	struct mig_rec rec[MIG_MAX_RECS];
	const struct mig_dom *dom;    /* copies are aligned: the blob is */
};

/* Writer: a growing buffer. */
struct mig_writer {
	uint8_t *buf;
	size_t len, cap;
	uint32_t nr_recs;
	int err;                  /* sticky -ENOMEM / -E2BIG */
};

void mig_writer_init(struct mig_writer *w, uint32_t type, uint32_t nr_vcpus);
void mig_put(struct mig_writer *w, uint16_t type, uint16_t vcpu,
	     const void *data, uint32_t len);
/* Finishes the header: 0 and the blob in w->buf (caller frees), or -errno. */
int mig_writer_finish(struct mig_writer *w);
void mig_writer_dispose(struct mig_writer *w);

/* The limits of a domain's generic records; the platform adds its own
 * record sizes. */
void mig_limits_init(struct mig_limits *l, uint32_t type, uint32_t nr_vcpus,
		     uint64_t ram_pages, uint64_t ram_floor, uint32_t max_grant_frames);
/* 0, or -EINVAL with what was wrong in why (for pvxd's log). */
int mig_parse(const uint8_t *blob, size_t len, const struct mig_limits *l,
	      struct mig_parsed *p, char *why, size_t why_len);
/* The record of type (and vcpu), or NULL. */
const struct mig_rec *mig_find(const struct mig_parsed *p, uint16_t type,
			       uint16_t vcpu);

#endif
