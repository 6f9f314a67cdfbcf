/*
 * gva: guest page-table walk and bounded copies (see gva.h).
 */
#include <errno.h>
#include <string.h>

#include "gva.h"

#define PAGE_SIZE     4096ull
#define PTE_P         (1ull << 0)
#define PTE_RW        (1ull << 1)
#define PTE_US        (1ull << 2)
#define PTE_PS        (1ull << 7)
#define PTE_ADDR      0x000FFFFFFFFFF000ull
#define MAX_COPY      (1ull << 20) /* one hypercall never copies more */

void *gmem_ptr(const struct gmem_view *v, uint64_t gpa, size_t len)
{
	for (unsigned i = 0; i < v->n; i++) {
		const struct gmem_region *r = &v->r[i];

		if (gpa >= r->gpa && gpa - r->gpa <= r->len &&
		    len <= r->len - (gpa - r->gpa))
			return r->host + (gpa - r->gpa);
	}
	return NULL;
}

static int read_pte(const struct gmem_view *v, uint64_t addr, uint64_t *pte)
{
	const uint64_t *p = gmem_ptr(v, addr, sizeof(*pte));

	if (!p)
		return -EFAULT;
	/* The guest may rewrite its tables under us: read each entry once. */
	*pte = __atomic_load_n(p, __ATOMIC_RELAXED);
	return 0;
}

static bool allowed(uint64_t pte, const struct gva_mode *m, bool write)
{
	if (!(pte & PTE_P))
		return false;
	if (m->cpl == 3 && !(pte & PTE_US))
		return false;
	if (write && !(pte & PTE_RW) && (m->cpl == 3 || (m->cr0 & X86_CR0_WP)))
		return false;
	return true;
}

static bool canonical(uint64_t gva)
{
	uint64_t top = gva >> 47;

	return top == 0 || top == 0x1FFFF;
}

/* Level 4 = PML4 ... level 1 = PT; shift of the index at each level. */
static int walk4(const struct gmem_view *v, const struct gva_mode *m,
		 uint64_t gva, bool write, uint64_t *gpa)
{
	uint64_t table = m->cr3 & PTE_ADDR;

	if (!canonical(gva))
		return -EFAULT;
	for (int level = 4; level >= 1; level--) {
		unsigned shift = 12 + 9 * (level - 1);
		uint64_t pte;

		if (read_pte(v, table + ((gva >> shift) & 511) * 8, &pte) < 0)
			return -EFAULT;
		if (!allowed(pte, m, write))
			return -EFAULT;
		if (level == 1 || ((level == 2 || level == 3) && (pte & PTE_PS))) {
			uint64_t mask = (1ull << shift) - 1;

			*gpa = ((pte & PTE_ADDR) & ~mask) | (gva & mask);
			return 0;
		}
		table = pte & PTE_ADDR;
	}
	return -EFAULT; /* not reached */
}

int gva_translate(const struct gmem_view *v, const struct gva_mode *m,
		  uint64_t gva, bool write, uint64_t *gpa)
{
	if (!(m->cr0 & X86_CR0_PG)) {
		*gpa = gva;
		return 0;
	}
	if (!(m->efer & X86_EFER_LMA) || (m->cr4 & X86_CR4_LA57))
		return -EFAULT;
	return walk4(v, m, gva, write, gpa);
}

/* Translates the piece of [gva, gva + len) that lies in gva's page. */
static void *piece(const struct gmem_view *v, const struct gva_mode *m,
		   uint64_t gva, size_t len, bool write, size_t *n)
{
	uint64_t gpa;
	size_t room = PAGE_SIZE - (gva & (PAGE_SIZE - 1));

	*n = len < room ? len : room;
	if (gva_translate(v, m, gva, write, &gpa) < 0)
		return NULL;
	return gmem_ptr(v, gpa, *n);
}

int gva_copy_from(const struct gmem_view *v, const struct gva_mode *m,
		  void *dst, uint64_t gva, size_t len)
{
	uint8_t *out = dst;

	if (len > MAX_COPY || gva + len < gva)
		return -EFAULT;
	while (len) {
		size_t n;
		void *src = piece(v, m, gva, len, false, &n);

		if (!src)
			return -EFAULT;
		memcpy(out, src, n);
		out += n;
		gva += n;
		len -= n;
	}
	return 0;
}

int gva_copy_to(const struct gmem_view *v, const struct gva_mode *m,
		uint64_t gva, const void *src, size_t len)
{
	const uint8_t *in = src;
	uint64_t at = gva;
	size_t left = len;

	if (len > MAX_COPY || gva + len < gva)
		return -EFAULT;
	/* Pass 1: every page must be writable before we touch any. */
	while (left) {
		size_t n;

		if (!piece(v, m, at, left, true, &n))
			return -EFAULT;
		at += n;
		left -= n;
	}
	while (len) {
		size_t n;
		void *dst = piece(v, m, gva, len, true, &n);

		if (!dst)
			return -EFAULT; /* the guest changed its tables meanwhile */
		memcpy(dst, in, n);
		in += n;
		gva += n;
		len -= n;
	}
	return 0;
}

void *gva_ptr(const struct gmem_view *v, const struct gva_mode *m,
	      uint64_t gva, size_t len, bool write)
{
	size_t n;
	void *p = piece(v, m, gva, len, write, &n);

	return p && n == len ? p : NULL;
}
