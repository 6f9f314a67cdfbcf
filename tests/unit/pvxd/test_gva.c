/*
 * Guest-pointer translation over crafted page tables: 4 KiB, 2 MiB and
 * 1 GiB pages, non-present and supervisor-only entries, read-only pages,
 * tables or data beyond RAM, page-crossing copies, overflow.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define RAM   (8u << 20)
#define PML4  0x1000
#define PDPT  0x2000
#define PD    0x3000
#define PT    0x4000
#define P 1ull
#define W 2ull
#define U 4ull
#define PS 0x80ull

static uint8_t *ram;
static struct gmem_view view;
static struct gva_mode mode;

static uint64_t *pte(uint64_t gpa)
{
	return (uint64_t *)(ram + gpa);
}

/*
 * GVA 0x400000 + i*4K: PML4[0] -> PDPT[0] -> PD[2] -> PT[i]
 *   PT[0] -> 0x10000 (U W), PT[1] -> 0x30000 (U W), PT[2] not present,
 *   PT[3] -> 64 MiB (beyond RAM), PT[4] -> 0x20000 (supervisor),
 *   PT[5] -> 0x21000 (U, read-only)
 * GVA 0x600000: PD[3] 2 MiB page -> 0x200000
 * GVA 0x40000000: PDPT[1] 1 GiB page -> 0
 * GVA 0x800000: PD[4] -> a page table beyond RAM
 */
static void setup(void)
{
	ram = calloc(1, RAM);
	view.r[0] = (struct gmem_region){ 0, RAM, ram };
	view.n = 1;
	*pte(PML4) = PDPT | P | W | U;
	*pte(PDPT) = PD | P | W | U;
	*pte(PDPT + 8) = 0 | P | W | U | PS;
	*pte(PD + 2 * 8) = PT | P | W | U;
	*pte(PD + 3 * 8) = 0x200000 | P | W | U | PS;
	*pte(PD + 4 * 8) = (64ull << 20) | P | W | U;
	*pte(PT + 0) = 0x10000 | P | W | U;
	*pte(PT + 8) = 0x30000 | P | W | U;
	*pte(PT + 16) = 0x11000;
	*pte(PT + 24) = (64ull << 20) | P | W | U;
	*pte(PT + 32) = 0x20000 | P | W;
	*pte(PT + 40) = 0x21000 | P | U;
	memset(&mode, 0, sizeof(mode));
	mode.cr0 = X86_CR0_PE | X86_CR0_PG | X86_CR0_WP;
	mode.cr3 = PML4;
	mode.cr4 = X86_CR4_PAE;
	mode.efer = X86_EFER_LME | X86_EFER_LMA;
	mode.cpl = 3;
}

static void teardown(void)
{
	free(ram);
}

static int tr(uint64_t gva, bool write, uint64_t *gpa)
{
	return gva_translate(&view, &mode, gva, write, gpa);
}

START_TEST(page_sizes)
{
	uint64_t gpa;

	ck_assert_int_eq(tr(0x400123, false, &gpa), 0);
	ck_assert_uint_eq(gpa, 0x10123);
	ck_assert_int_eq(tr(0x401FFF, false, &gpa), 0);
	ck_assert_uint_eq(gpa, 0x30FFF);
	ck_assert_int_eq(tr(0x6ABCDE, false, &gpa), 0);       /* 2 MiB */
	ck_assert_uint_eq(gpa, 0x2ABCDE);
	ck_assert_int_eq(tr(0x40012345, false, &gpa), 0);     /* 1 GiB */
	ck_assert_uint_eq(gpa, 0x12345);
}
END_TEST

START_TEST(faults)
{
	uint64_t gpa;
	uint8_t b;

	ck_assert_int_eq(tr(0x402000, false, &gpa), -EFAULT);  /* not present */
	ck_assert_int_eq(tr(0x800000, false, &gpa), -EFAULT);  /* table beyond RAM */
	ck_assert_int_eq(tr(0x0, false, &gpa), -EFAULT);       /* PD[0] empty */
	ck_assert_int_eq(tr(0x0000800000000000ull, false, &gpa), -EFAULT); /* non-canonical */
	ck_assert_int_eq(tr(0xFFFF800000000000ull, false, &gpa), -EFAULT); /* PML4[256] empty */
	/* Translates, but the data lies beyond RAM. */
	ck_assert_int_eq(tr(0x403000, false, &gpa), 0);
	ck_assert_int_eq(gva_copy_from(&view, &mode, &b, 0x403000, 1), -EFAULT);
	/* 1 GiB page: only the first RAM bytes of it exist. */
	ck_assert_int_eq(gva_copy_from(&view, &mode, &b, 0x40000000 + RAM, 1), -EFAULT);
	mode.cr3 = 1ull << 40;                                 /* wild CR3 */
	ck_assert_int_eq(tr(0x400000, false, &gpa), -EFAULT);
}
END_TEST

/* Addresses whose low 48 bits name a mapped page (0x400123) but whose
 * top bits do not sign-extend bit 47: only the canonical check refuses
 * them, since the walk itself ignores bits 48-63 and would find the page. */
START_TEST(non_canonical_aliases)
{
	static const uint64_t bad[] = {
		0x0001000000400123ull, 0x8000000000400123ull,
		0xFFFF000000400123ull, 0x7FFF000000400123ull,
	};
	uint64_t gpa;
	uint8_t b;

	ck_assert_int_eq(tr(0x400123, false, &gpa), 0); /* the alias target is mapped */
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		gpa = 0;
		ck_assert_int_eq(tr(bad[i], false, &gpa), -EFAULT);
		ck_assert_uint_eq(gpa, 0);
		ck_assert_int_eq(gva_copy_from(&view, &mode, &b, bad[i], 1), -EFAULT);
	}
}
END_TEST

START_TEST(privilege)
{
	uint64_t gpa;

	ck_assert_int_eq(tr(0x404000, false, &gpa), -EFAULT);  /* supervisor, CPL3 */
	mode.cpl = 0;
	ck_assert_int_eq(tr(0x404000, false, &gpa), 0);
	ck_assert_uint_eq(gpa, 0x20000);
	ck_assert_int_eq(tr(0x405000, true, &gpa), -EFAULT);   /* RO, WP set */
	mode.cr0 &= ~X86_CR0_WP;
	ck_assert_int_eq(tr(0x405000, true, &gpa), 0);         /* CPL0, WP clear */
	mode.cpl = 3;
	ck_assert_int_eq(tr(0x405000, true, &gpa), -EFAULT);
	ck_assert_int_eq(tr(0x405000, false, &gpa), 0);
}
END_TEST

START_TEST(crossing_copies)
{
	uint8_t buf[8];

	memcpy(ram + 0x10FFC, "abcd", 4);
	memcpy(ram + 0x30000, "efgh", 4);
	ck_assert_int_eq(gva_copy_from(&view, &mode, buf, 0x400FFC, 8), 0);
	ck_assert_int_eq(memcmp(buf, "abcdefgh", 8), 0);
	/* Into the non-present page: nothing written, not even page 1. */
	memset(ram + 0x30FFC, 'x', 4);
	ck_assert_int_eq(gva_copy_to(&view, &mode, 0x401FFC, "12345678", 8), -EFAULT);
	ck_assert_int_eq(memcmp(ram + 0x30FFC, "xxxx", 4), 0);
	ck_assert_int_eq(gva_copy_to(&view, &mode, 0x400FFE, "1234", 4), 0);
	ck_assert_int_eq(memcmp(ram + 0x10FFE, "12", 2), 0);
	ck_assert_int_eq(memcmp(ram + 0x30000, "34", 2), 0);
	/* gva_ptr refuses objects that cross a page. */
	ck_assert_ptr_null(gva_ptr(&view, &mode, 0x400FFC, 8, false));
	ck_assert_ptr_eq(gva_ptr(&view, &mode, 0x400FF8, 8, false), ram + 0x10FF8);
}
END_TEST

START_TEST(overflow_and_size)
{
	uint8_t b[16];

	ck_assert_int_eq(gva_copy_from(&view, &mode, b, ~0ull - 4, 16), -EFAULT);
	ck_assert_int_eq(gva_copy_to(&view, &mode, ~0ull - 4, b, 16), -EFAULT);
	ck_assert_int_eq(gva_copy_from(&view, &mode, NULL, 0x400000, 1ull << 40), -EFAULT);
}
END_TEST

START_TEST(paging_modes)
{
	uint64_t gpa;
	uint8_t b;

	mode.cr0 = X86_CR0_PE;                                  /* paging off */
	ck_assert_int_eq(tr(0x123456, false, &gpa), 0);
	ck_assert_uint_eq(gpa, 0x123456);
	ck_assert_int_eq(gva_copy_from(&view, &mode, &b, RAM, 1), -EFAULT);
	ck_assert_int_eq(gva_copy_from(&view, &mode, &b, RAM - 1, 1), 0);
	mode.cr0 = X86_CR0_PE | X86_CR0_PG;                     /* 32-bit paging */
	mode.efer = 0;
	ck_assert_int_eq(tr(0x400000, false, &gpa), -EFAULT);
	mode.efer = X86_EFER_LMA;
	mode.cr4 |= X86_CR4_LA57;                               /* 5-level */
	ck_assert_int_eq(tr(0x400000, false, &gpa), -EFAULT);
}
END_TEST

START_TEST(view_regions)
{
	uint8_t other[4096];

	view.r[1] = (struct gmem_region){ 0xFEFF8000, sizeof(other), other };
	view.n = 2;
	ck_assert_ptr_eq(gmem_ptr(&view, 0xFEFF8000, 4096), other);
	ck_assert_ptr_null(gmem_ptr(&view, 0xFEFF8001, 4096));
	ck_assert_ptr_null(gmem_ptr(&view, RAM - 8, 16));       /* straddles */
	ck_assert_ptr_null(gmem_ptr(&view, ~0ull, 2));
	ck_assert_ptr_eq(gmem_ptr(&view, RAM - 8, 8), ram + RAM - 8);
}
END_TEST

Suite *make_gva_suite(void)
{
	Suite *s = suite_create("gva");
	TCase *t = tcase_create("gva");

	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, page_sizes);
	tcase_add_test(t, faults);
	tcase_add_test(t, non_canonical_aliases);
	tcase_add_test(t, privilege);
	tcase_add_test(t, crossing_copies);
	tcase_add_test(t, overflow_and_size);
	tcase_add_test(t, paging_modes);
	tcase_add_test(t, view_regions);
	suite_add_tcase(s, t);
	return s;
}
