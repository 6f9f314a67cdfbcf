/*
 * Xen time: the TSC->ns scale (mul, shift) and the version protocol of
 * vcpu_time_info / the wallclock.
 */
#include <string.h>

#include "harness.h"
#include "evtchn.h"
#include "xtime.h"

/* What a guest computes: ((delta << shift) * mul) >> 32. */
static uint64_t scale(uint64_t delta, uint32_t mul, int8_t shift)
{
	if (shift < 0)
		delta >>= -shift;
	else
		delta <<= shift;
	return (uint64_t)(((unsigned __int128)delta * mul) >> 32);
}

START_TEST(scale_is_accurate)
{
	static const uint64_t hz[] = { 33000000ull, 100000000ull, 999999999ull,
				       1000000000ull, 2500000000ull, 3000000000ull,
				       5200000000ull };

	for (unsigned i = 0; i < sizeof(hz) / sizeof(hz[0]); i++) {
		uint32_t mul;
		int8_t shift;
		uint64_t ns;

		xtime_scale(hz[i], &mul, &shift);
		ck_assert_uint_ge(mul, 1u << 31); /* full precision */
		ns = scale(hz[i], mul, shift);    /* one second of ticks */
		ck_assert_uint_le(ns > 1000000000ull ? ns - 1000000000ull
						     : 1000000000ull - ns, 2);
	}
}
END_TEST

START_TEST(version_protocol)
{
	struct domain *d = fake_dom_new(2);
	struct vcpu_time_info *t = &d->shinfo->vcpu_info[1].time;

	d->tsc_mul = 1u << 31;
	d->tsc_shift = 1;
	t->version = 7; /* the guest scribbled an odd value */
	xtime_update_all(d);
	ck_assert_uint_eq(t->version % 2, 0);
	ck_assert_uint_gt(t->version, 7);
	ck_assert_uint_eq(t->tsc_to_system_mul, 1u << 31);
	ck_assert_int_eq(t->tsc_shift, 1);
	ck_assert_uint_eq(d->shinfo->wc_version % 2, 0);
	uint32_t v = t->version;
	uint64_t sys = t->system_time;

	xtime_update_all(d);
	ck_assert_uint_eq(t->version, v + 2);
	ck_assert_uint_ge(t->system_time, sys);
	fake_dom_free(d);
}
END_TEST

Suite *make_xtime_suite(void)
{
	Suite *s = suite_create("xtime");
	TCase *t = tcase_create("xtime");

	tcase_add_test(t, scale_is_accurate);
	tcase_add_test(t, version_protocol);
	suite_add_tcase(s, t);
	return s;
}
