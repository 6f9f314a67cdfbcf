/*
 * platform_pvh: the `pvh` platform's own parts, shared by its files
 * (platform_pvh.c, platform_pvh_vcpu.c, exit_io.c, exit_msr.c). A pvh
 * vCPU is a KVM vCPU: v->fd and v->run belong to this platform only.
 */
#ifndef PVXD_PLATFORM_PVH_H
#define PVXD_PLATFORM_PVH_H

#include <stddef.h>
#include <stdint.h>

struct vcpu;

int pvh_vcpu_init(struct vcpu *v);
void pvh_vcpu_dispose(struct vcpu *v);
int pvh_vcpu_set_boot(struct vcpu *v, uint64_t entry, uint64_t ebx);
void pvh_vcpu_thread_init(struct vcpu *v);
int pvh_vcpu_run(struct vcpu *v, char *why, size_t len);

/* Exit handlers (exit_io.c, exit_msr.c); return 0 or a crash reason. */
int exit_io(struct vcpu *v);
int exit_mmio(struct vcpu *v);
int exit_msr(struct vcpu *v);
void pvh_dump_regs(struct vcpu *v, const char *why);

#endif
