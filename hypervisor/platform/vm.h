/*
 * vm: a domain's memory, and the KVM VM of a pvh domain.
 *
 * Memory is one memfd, mapped once into pvxd (MAP_SHARED) and handed to
 * Dom0 tools with PVX_CTL_GET_MEMFD:
 *
 *   memfd offset                      GPA
 *   [0, ram)                          [0, ram)              slot 0, RAM
 *   [ram, ram + 4 pages)              PVX_SPECIAL_GPA       slot 1, special
 *   [ram + 4 pages, + 1 page)         guest's choice        slot 2, shared_info
 *                                                           (only when placed
 *                                                           outside RAM)
 *
 * The last page is pvxd's own shared_info page ("xpage"). pvxd maps the
 * memfd once, plus the special pages a second time at the address its
 * VM shell registered for slot 1 (vm_pool.h). The VM also gets the
 * in-kernel irqchip and PIT, and the TSS/identity-map pages KVM needs on
 * Intel, placed in the MMIO hole above the special pages.
 */
#ifndef PVXD_VM_H
#define PVXD_VM_H

#include <stddef.h>
#include <stdint.h>

struct vm {
	int fd;
	int memfd;
	uint8_t *mem;         /* whole memfd */
	size_t mem_size;
	uint64_t ram_bytes;
	uint8_t *special;     /* memfd offset ram_bytes, mapped separately */
	uint8_t *xpage;       /* pvxd-owned shared_info page */
	uint64_t xpage_gpa;   /* where slot 2 maps it, 0 = not mapped */
};

#define VM_SLOT_RAM     0
#define VM_SLOT_SPECIAL 1
#define VM_SLOT_XPAGE   2

int vm_create(struct vm *vm, int32_t domid, uint64_t ram_bytes);
/* The memfd alone, no KVM VM (fd -1); special = mem + ram_bytes. */
int vm_mem_create(struct vm *vm, int32_t domid, uint64_t ram_bytes);
void vm_dispose(struct vm *vm); /* idempotent */
/* Maps the xpage at gpa (outside RAM) or unmaps it (gpa 0). */
int vm_map_xpage(struct vm *vm, uint64_t gpa);
/* Releases [gpa, gpa + len) of RAM back to the host (hole punch). */
int vm_release(struct vm *vm, uint64_t gpa, uint64_t len);
int vm_signal_msi(struct vm *vm, uint32_t apic_id, uint8_t vector);

#endif
