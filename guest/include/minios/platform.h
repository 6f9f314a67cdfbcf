/*
 * The platform layer: what differs between the two ways minios runs.
 *
 * One ELF carries both entries (docs/minios.md):
 *   pvh  guest/arch/pvh/: a KVM VM. boot.asm builds page tables, GDT,
 *        IDT and TSS, drops to CPL3 and calls pvh_start(); hypercalls are
 *        `out` to PVX_HYPERCALL_PORT from a page in our .bss (filled by
 *        the VMM through the Xen MSR, or by us); upcalls are an IDT vector
 *        set with HVMOP_set_evtchn_upcall_vector; a fault is reported by
 *        traps.inc + trap_report().
 *   pv   guest/arch/pv/: a sandboxed host process (pvx/pv.h). entry.asm
 *        only loads a stack and calls pv_start(); hypercalls are `syscall`
 *        stubs in pvxd's read-only page at PVX_PV_HYPERCALL_VA; upcalls are
 *        a C function registered with CALLBACKOP_register; a fault ends
 *        the process and pvxd logs it (nothing to do here).
 * Everything above (kernel/, front/, programs/) is shared and must never
 * execute a privileged instruction (cli, sti, hlt, in, out, wrmsr, lgdt,
 * ...) outside a platform file or a `platform_is_pvh()` branch: at CPL3
 * on pv it kills the domain.
 *
 * Each entry calls minios_main(&its_platform, start_info) as its very
 * first C code; minios_main stores the pointer in `platform` before it
 * makes any hypercall.
 */
#ifndef MINIOS_PLATFORM_H
#define MINIOS_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

#include <xen/public/hvm/start_info.h>

enum minios_platform_type { MINIOS_PVH, MINIOS_PV };

struct platform_ops {
	const char *name;                  /* "pvh" or "pv" */
	enum minios_platform_type type;
	/* Makes hypercall_stubs and hypercall_raw_entry usable (hypercall.h).
	 * force_self: hcpage=self (pvh only: pv never writes its page). */
	void (*hypercall_init)(int force_self);
	/* "hypervisor's hypercall page (cpuid base ...)" for the banner. */
	void (*describe_hypercalls)(char *buf, size_t len);
	/* Is [gpa, gpa+len) mapped for us to read and write? */
	int (*gpa_mapped)(uint64_t gpa, uint64_t len);
	/* The validated start_info (pv learns where RAM ends from its map). */
	void (*start_info_seen)(const struct hvm_start_info *si);
	/* Routes event upcalls to the platform's handler (which bumps
	 * upcall_count); the caller then clears evtchn_upcall_mask.
	 * 0 or a negative Xen errno. */
	int (*upcall_route)(void);
	/* How upcalls arrive, for program output ("vector 0xf3"). */
	const char *upcall_how;
};

extern const struct platform_ops *platform;
extern const struct platform_ops platform_pvh, platform_pv;

static inline int platform_is_pv(void)
{
	return platform->type == MINIOS_PV;
}

static inline int platform_is_pvh(void)
{
	return platform->type == MINIOS_PVH;
}

/* The boot thread's stack, shared by both entries (main.c). */
#define MINIOS_BOOT_STACK_SIZE 65536
extern uint8_t minios_boot_stack[MINIOS_BOOT_STACK_SIZE];

/* Entry points from the platforms' assembly into C. */
void pvh_start(uint64_t start_info_paddr) __attribute__((noreturn));
void pv_start(uint64_t start_info_paddr) __attribute__((noreturn));

#endif /* MINIOS_PLATFORM_H */
