/*
 * vcpu: a vCPU's generic part and its thread (vcpu.c); how it executes
 * is its domain's platform (platform.h).
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
/* Signal used to kick vCPU threads out of the guest or a blocking wait. */
int vcpu_signal_init(void);

#endif
