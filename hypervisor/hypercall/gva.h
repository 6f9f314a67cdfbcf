/*
 * gva: guest pointers -> pvxd pointers, as pure functions over a memory
 * view, so unit tests can feed them crafted page tables.
 *
 * Hypercall pointer arguments are guest *virtual* addresses (Linux passes
 * kernel stack and percpu addresses). We walk the guest's 4-level page
 * tables from CR3 (2 MiB and 1 GiB pages too); with paging off GVA = GPA.
 * Every table entry and every byte of data must lie inside one region of
 * the view (RAM, special pages, shared_info page), else -EFAULT. Legacy
 * 32-bit paging and 5-level paging are refused with -EFAULT.
 *
 * Access rights follow the caller: at CPL3 every level must have U/S set;
 * writes need R/W at every level when the caller is at CPL3 or CR0.WP is
 * set. A copy to the guest translates every page before writing any, so
 * a fault leaves guest memory unchanged.
 */
#ifndef PVXD_GVA_H
#define PVXD_GVA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct gmem_region {
	uint64_t gpa;
	uint64_t len;
	uint8_t *host;
};

#define GMEM_MAX_REGIONS 4

struct gmem_view {
	struct gmem_region r[GMEM_MAX_REGIONS];
	unsigned n;
};

struct gva_mode {
	uint64_t cr0, cr3, cr4, efer;
	unsigned cpl;
};

#define X86_CR0_PE   (1ull << 0)
#define X86_CR0_WP   (1ull << 16)
#define X86_CR0_PG   (1ull << 31)
#define X86_CR4_PAE  (1ull << 5)
#define X86_CR4_LA57 (1ull << 12)
#define X86_EFER_LME (1ull << 8)
#define X86_EFER_LMA (1ull << 10)

/* Host pointer for [gpa, gpa + len) if it lies inside one region. */
void *gmem_ptr(const struct gmem_view *v, uint64_t gpa, size_t len);
int gva_translate(const struct gmem_view *v, const struct gva_mode *m,
		  uint64_t gva, bool write, uint64_t *gpa);
int gva_copy_from(const struct gmem_view *v, const struct gva_mode *m,
		  void *dst, uint64_t gva, size_t len);
int gva_copy_to(const struct gmem_view *v, const struct gva_mode *m,
		uint64_t gva, const void *src, size_t len);
/* Host pointer for a len-byte object at gva that must not cross a page
 * (used for vcpu_info registration and other long-lived mappings). */
void *gva_ptr(const struct gmem_view *v, const struct gva_mode *m,
	      uint64_t gva, size_t len, bool write);

#endif
