/*
 * The kvm_pvm CPUID workarounds (cpuid_pvm.c): exactly the named bits
 * change, on the right leaves only; PVXD_PVM_QUIRKS overrides detection.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "kvm.h"

static struct kvm_cpuid_entry2 leaf(uint32_t fn, uint32_t idx)
{
	struct kvm_cpuid_entry2 e;

	memset(&e, 0, sizeof(e));
	e.function = fn;
	e.index = idx;
	e.eax = e.ebx = e.ecx = e.edx = 0xFFFFFFFFu;
	return e;
}

START_TEST(pvm_quirks_bits)
{
	struct kvm_cpuid_entry2 e1 = leaf(1, 0), e7 = leaf(7, 0), e71 = leaf(7, 1),
				e8 = leaf(0x80000008, 0), other = leaf(0x40000000, 0);

	cpuid_pvm_quirks(&e1);
	ck_assert_uint_eq(e1.ecx, ~(1u << 23));           /* POPCNT */
	ck_assert_uint_eq(e1.ebx & e1.edx, 0xFFFFFFFFu);
	cpuid_pvm_quirks(&e7);
	ck_assert_uint_eq(e7.ebx, ~((1u << 7) | (1u << 20))); /* SMEP, SMAP */
	cpuid_pvm_quirks(&e71);
	ck_assert_uint_eq(e71.ebx, 0xFFFFFFFFu);          /* subleaf 1 untouched */
	e8.ebx = 0;
	cpuid_pvm_quirks(&e8);
	ck_assert_uint_eq(e8.ebx, 1u << 2);               /* XSAVEERPTR claimed */
	cpuid_pvm_quirks(&other);
	ck_assert_uint_eq(other.eax & other.ebx & other.ecx & other.edx, 0xFFFFFFFFu);
}
END_TEST

/* Leaf 0x15 states the TSC exactly: crystal (ecx) * ebx / eax, and the
 * crystal in kHz times ebx fits 32 bits (Linux multiplies in 32). */
START_TEST(tsc_leaf)
{
	struct kvm_cpuid2 *c;
	int found = 0;

	if (!kvm_host.cpuid) {
		static struct kvm_cpuid2 empty;

		kvm_host.cpuid = &empty;
	}
	c = cpuid_for_vcpu(1, 2299998);
	ck_assert_ptr_nonnull(c);
	for (unsigned i = 0; i < c->nent; i++) {
		const struct kvm_cpuid_entry2 *e = &c->entries[i];

		if (e->function != 0x15)
			continue;
		found++;
		ck_assert_uint_eq((uint64_t)e->ecx * e->ebx / e->eax, 2299998000ull);
		ck_assert_uint_le((uint64_t)(e->ecx / 1000) * e->ebx, UINT32_MAX);
	}
	ck_assert_int_eq(found, 1);
	free(c);
}
END_TEST

START_TEST(pvm_quirks_override)
{
	setenv("PVXD_PVM_QUIRKS", "0", 1);
	ck_assert(!cpuid_pvm_wanted());
	setenv("PVXD_PVM_QUIRKS", "1", 1);
	ck_assert(cpuid_pvm_wanted());
	unsetenv("PVXD_PVM_QUIRKS");
	ck_assert_uint_eq(cpuid_pvm_time_scale(), 1);
	setenv("PVXD_PVM_TIME_SCALE", "4", 1);
	ck_assert_uint_eq(cpuid_pvm_time_scale(), 4);
	setenv("PVXD_PVM_TIME_SCALE", "65", 1);
	ck_assert_uint_eq(cpuid_pvm_time_scale(), 1);
	setenv("PVXD_PVM_TIME_SCALE", "4x", 1);
	ck_assert_uint_eq(cpuid_pvm_time_scale(), 1);
	setenv("PVXD_PVM_TIME_SCALE", "0", 1);
	ck_assert_uint_eq(cpuid_pvm_time_scale(), 1);
	unsetenv("PVXD_PVM_TIME_SCALE");
}
END_TEST

Suite *make_cpuid_suite(void)
{
	Suite *s = suite_create("cpuid");
	TCase *t = tcase_create("cpuid");

	tcase_add_test(t, pvm_quirks_bits);
	tcase_add_test(t, pvm_quirks_override);
	tcase_add_test(t, tsc_leaf);
	suite_add_tcase(s, t);
	return s;
}
