/*
 * vm_pool: VMs made ahead of time, and VMs torn down behind our back.
 *
 * On this machine (kvm_pvm) every KVM VM setup step that replaces
 * kernel state waits for an RCU grace period: the irqchip, the PIT, a
 * memslot take ~4 ms each, closing a VM ~16 ms. Neither belongs on the
 * path of PVX_CTL_CREATE or PVX_CTL_DESTROY, so:
 *
 *  - a warmer thread keeps VM_POOL_SIZE "shells" ready: a VM with its
 *    TSS/identity-map addresses, irqchip, PIT, MSR exits and the special
 *    pages' memslot already registered over reserved address space, which
 *    vm_create later maps the domain's memfd onto (MAP_FIXED; KVM follows
 *    the new mapping through its MMU notifier);
 *  - a reaper thread closes a destroyed domain's fds and unmaps its memory
 *    after the domain has left the table.
 *
 * An empty pool just means vm_create builds a shell itself. Both threads
 * stop (the reaper after draining its queue) in vm_pool_exit.
 */
#ifndef PVXD_VM_POOL_H
#define PVXD_VM_POOL_H

#include <stdint.h>

#define VM_POOL_SIZE 2

struct vm_shell {
	int fd;
	uint8_t *special; /* reserved, registered as the special-pages slot */
};

int vm_pool_init(void);
void vm_pool_exit(void);
/* A ready shell (from the pool, or built now). */
int vm_pool_take(struct vm_shell *s);
int vm_shell_build(struct vm_shell *s);
void vm_shell_dispose(struct vm_shell *s);
/* Runs fn(arg) on the reaper thread (or here, if it is not running). */
void vm_pool_reap(void (*fn)(void *arg), void *arg);

#endif
