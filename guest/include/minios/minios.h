/*
 * Kernel-wide state of minios: what the boot found, and how it ends.
 */
#ifndef MINIOS_MINIOS_H
#define MINIOS_MINIOS_H

#include <stdint.h>

#include <xen/public/hvm/start_info.h>

#define MINIOS_CMDLINE_MAX 1024
#define MINIOS_MAX_ARGS    16

struct boot_info {
	const struct hvm_start_info *start_info;  /* NULL if invalid */
	char cmdline[MINIOS_CMDLINE_MAX];         /* private copy */
	uint32_t xen_cpuid_base;                  /* 0: no Xen leaves */
	uint32_t hypercall_msr;
	uint32_t xen_version;                     /* major << 16 | minor */
	uint32_t features;                        /* XENVER_get_features submap 0 */
};

extern struct boot_info boot_info;

struct platform_ops;

/* Entered from the platform's entry (pvh_start, pv_start) with its ops
 * and the address of struct hvm_start_info. */
void minios_main(const struct platform_ops *p, uint64_t start_info_paddr)
	__attribute__((noreturn));

/* SCHEDOP_shutdown with reason (SHUTDOWN_*); flushes the console first.
 * Never returns: if the hypervisor refuses, the vCPU parks in a poll loop. */
void minios_shutdown(unsigned reason) __attribute__((noreturn));
/* Records code with SCHEDOP_shutdown_code, then shuts down with reason. */
void minios_shutdown_code(unsigned code, unsigned reason) __attribute__((noreturn));

/* minios uses at most the low GiB of RAM (pvh maps no more), plus the
 * special pages. */
#define MINIOS_MAPPED_LOW  (1ull << 30)
/* Can minios read and write [gpa, gpa+len)? The platform decides. */
int minios_gpa_mapped(uint64_t gpa, uint64_t len);

#endif /* MINIOS_MINIOS_H */
