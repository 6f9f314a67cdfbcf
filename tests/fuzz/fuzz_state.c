/*
 * Fuzz target for the state blob's parser (hypervisor/domain/save_state.c,
 * docs/migration-hv.md): a blob reaches SET_STATE from a save file or
 * another host, so any byte string must either be refused with -EINVAL or
 * parse into records that lie inside the blob, one per (type, vCPU), with
 * a domain record and one vCPU record per vCPU. The first input byte
 * picks the receiving domain's shape: guest type (pvh with KVM's record
 * sizes, or pv) and vCPU count.
 *
 * Built by tests/fuzz/fuzz.mk as $(O)/fuzz/fuzz_state (libFuzzer) and
 * $(O)/tests/fuzz-state (tests/fuzz/standalone.c).
 */
#include <stdlib.h>
#include <string.h>

#include "../../hypervisor/domain/save_state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct mig_parsed p;

static void limits(struct mig_limits *l, uint8_t shape)
{
	uint32_t type = shape & 1, vcpus = 1 + (shape >> 1) % 4;

	mig_limits_init(l, type, vcpus, 8192, type ? 0x10000 : 0, 32);
	if (type) {
		l->rec_size[MIG_REC_PV_REGS] = sizeof(struct mig_pv_regs);
		return;
	}
	/* pvh: the sizes of linux/kvm.h on x86-64, written out so the
	 * target needs no kernel header. */
	l->rec_size[MIG_REC_KVM_REGS] = 144;
	l->rec_size[MIG_REC_KVM_SREGS] = 312;
	l->rec_size[MIG_REC_KVM_MSRS] = MIG_SIZE_MSRS;
	l->rec_size[MIG_REC_KVM_XSAVE] = 4096;
	l->rec_size[MIG_REC_KVM_LAPIC] = 1024;
	l->rec_size[MIG_REC_KVM_IRQCHIP] = 3 * 520;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mig_limits l;
	uint8_t *blob;

	if (size < 1 || size > MIG_MAX_BLOB)
		return 0;
	limits(&l, data[0]);
	blob = malloc(size - 1 ? size - 1 : 1); /* aligned, as pvxd's buffer */
	if (!blob)
		return 0;
	memcpy(blob, data + 1, size - 1);
	if (mig_parse(blob, size - 1, &l, &p, NULL, 0) == 0) {
		if (!p.dom || p.nr != p.hdr.nr_recs || p.hdr.total != size - 1)
			abort();
		for (unsigned i = 0; i < p.nr; i++) {
			const struct mig_rec *r = &p.rec[i];

			if (r->data < blob || r->data + r->len > blob + size - 1 ||
			    mig_find(&p, r->type, r->vcpu) != r)
				abort();
		}
		for (uint32_t v = 0; v < l.nr_vcpus; v++)
			if (!mig_find(&p, MIG_REC_VCPU, (uint16_t)v))
				abort();
	}
	free(blob);
	return 0;
}
