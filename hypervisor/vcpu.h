/*
 * vcpu: one KVM vCPU and the thread that runs it (run loop in vcpu.c,
 * exits in exit_*.c).
 */
#ifndef PVXD_VCPU_H
#define PVXD_VCPU_H

#include <stdint.h>

struct domain;
struct vcpu;

int vcpu_init(struct vcpu *v, struct domain *d, unsigned id);
int vcpu_start(struct vcpu *v);
void vcpu_join(struct vcpu *v);
void vcpu_dispose(struct vcpu *v); /* idempotent; after vcpu_join */
uint64_t vcpu_cpu_ns(const struct vcpu *v);
int vcpu_set_boot(struct vcpu *v, uint64_t entry, uint64_t ebx);
/* Signal used to kick vCPU threads out of KVM_RUN. */
int vcpu_signal_init(void);

/* Exit handlers (exit_io.c, exit_msr.c); return 0 or a crash reason. */
int exit_io(struct vcpu *v);
int exit_mmio(struct vcpu *v);
int exit_msr(struct vcpu *v);
void vcpu_dump_regs(struct vcpu *v, const char *why);

#endif
