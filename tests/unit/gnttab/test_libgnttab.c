/*
 * libpvxgnttab against a scripted pvxd: one round trip per batch, the
 * memfd asked for only when no view is cached, a reused domid's stale
 * view retired, offsets from a broken pvxd refused, read-only grants
 * mapped read-only, copies split at the datagram's data limit.
 */
#include <setjmp.h>
#include <signal.h>
#include <string.h>

#include "fake_pvxd.h"
#include "harness.h"

static struct pvx_ctl *ctl;
static struct pvx_gnttab *g;

static void setup(void)
{
	ctl = fake_pvxd_start();
	ck_assert_int_eq(pvx_gnttab_open(ctl, &g), 0);
}

static void teardown(void)
{
	pvx_gnttab_close(g);
	fake_pvxd_stop(ctl);
}

START_TEST(memfd_once_then_cached)
{
	uint32_t h1, h2;
	int16_t st;
	uint8_t *a = pvx_gnttab_map_ref(g, 3, 2, false, &h1, &st);
	uint8_t *b;

	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(fake.last_want_memfd, 1);
	b = pvx_gnttab_map_ref(g, 3, 5, false, &h2, &st);
	ck_assert_int_eq(fake.last_want_memfd, 0);
	ck_assert_ptr_eq(b, a + 3 * 4096); /* same view, pointer arithmetic */
	a[0] = 7;
	ck_assert_uint_eq(b[-3 * 4096], 7);
	ck_assert_uint_eq(pvx_gnttab_nr_mapped(g), 2);
	ck_assert_int_eq(pvx_gnttab_unmap(g, h1), 0);
	ck_assert_int_eq(pvx_gnttab_unmap(g, h2), 0);
	ck_assert_uint_eq(pvx_gnttab_nr_mapped(g), 0);
	/* the idle view is still cached: no memfd asked again */
	ck_assert_ptr_nonnull(pvx_gnttab_map_ref(g, 3, 1, false, &h1, &st));
	ck_assert_int_eq(fake.last_want_memfd, 0);
	ck_assert_int_eq(fake.maps, 3);
	pvx_gnttab_release_idle(g); /* the view is busy: nothing happens */
	ck_assert_int_eq(pvx_gnttab_unmap(g, h1), 0);
	pvx_gnttab_release_idle(g);
	ck_assert_ptr_nonnull(pvx_gnttab_map_ref(g, 3, 1, false, &h1, &st));
	ck_assert_int_eq(fake.last_want_memfd, 1);
}
END_TEST

START_TEST(reused_domid_retires_view)
{
	uint32_t h;
	int16_t st;

	ck_assert_ptr_nonnull(pvx_gnttab_map_ref(g, 3, 2, false, &h, &st));
	fake.cookie = 2; /* domain 3 was destroyed and created again */
	ck_assert_ptr_nonnull(pvx_gnttab_map_ref(g, 3, 2, false, &h, &st));
	/* asked without memfd, saw the new cookie, gave the handle back,
	 * asked again with the memfd */
	ck_assert_int_eq(fake.maps, 3);
	ck_assert_int_eq(fake.last_want_memfd, 1);
	ck_assert_uint_eq(fake.unmapped, 1);
	ck_assert_uint_eq(pvx_gnttab_nr_mapped(g), 2);
}
END_TEST

START_TEST(bad_offset_refused)
{
	struct pvx_gnttab_map m[2] = { { .ref = 999 }, { .ref = 4 } };

	ck_assert_int_eq(pvx_gnttab_map_batch(g, 3, m, 2), 0);
	ck_assert_int_eq(m[0].status, GNTST_general_error);
	ck_assert_ptr_null(m[0].addr);
	ck_assert_int_eq(m[1].status, GNTST_okay);
	ck_assert_uint_eq(fake.unmapped, 1); /* the bad one went back */
	ck_assert_uint_eq(pvx_gnttab_nr_mapped(g), 1);
}
END_TEST

static sigjmp_buf fault_jmp;

static void on_segv(int sig)
{
	(void)sig;
	siglongjmp(fault_jmp, 1);
}

START_TEST(readonly_write_faults)
{
	struct sigaction sa = { .sa_handler = on_segv }, old;
	uint32_t h;
	int16_t st;
	volatile uint8_t *p = pvx_gnttab_map_ref(g, 3, 2, true, &h, &st);
	volatile int faulted = 0;

	ck_assert_ptr_nonnull((void *)p);
	ck_assert_uint_eq(p[0], 0);
	/* our own handler (a sanitizer's would end the process) */
	sigaction(SIGSEGV, &sa, &old);
	if (sigsetjmp(fault_jmp, 1) == 0)
		p[0] = 1;
	else
		faulted = 1;
	sigaction(SIGSEGV, &old, NULL);
	ck_assert_int_eq(faulted, 1);
}
END_TEST

START_TEST(big_batches_split)
{
	static struct pvx_gnttab_map m[1500];
	static uint32_t h[1500];

	for (int i = 0; i < 1500; i++)
		m[i] = (struct pvx_gnttab_map){ .ref = (grant_ref_t)(i % FAKE_PAGES) };
	ck_assert_int_eq(pvx_gnttab_map_batch(g, 3, m, 1500), 0);
	ck_assert_int_eq(fake.maps, 2);
	for (int i = 0; i < 1500; i++) {
		ck_assert_int_eq(m[i].status, GNTST_okay);
		h[i] = m[i].handle;
	}
	ck_assert_int_eq(pvx_gnttab_unmap_batch(g, h, NULL, 1500), 0);
	ck_assert_int_eq(fake.unmaps, 2);
	ck_assert_int_eq(pvx_gnttab_map_batch(g, 3, m, 0), -EINVAL);
}
END_TEST

START_TEST(copies_split_at_data_limit)
{
	static uint8_t bufs[32][4096];
	struct pvx_gnttab_copy c[32];

	for (int i = 0; i < 32; i++)
		c[i] = (struct pvx_gnttab_copy){ .ref = 1, .len = 4096, .buf = bufs[i],
						 .to_guest = i % 2 };
	ck_assert_int_eq(pvx_gnttab_copy(g, 3, c, 32), 0);
	ck_assert_int_eq(fake.copies, 2); /* 64 KiB each way: two requests */
	for (int i = 0; i < 32; i++)
		ck_assert_int_eq(c[i].status, GNTST_okay);
	ck_assert_uint_eq(bufs[0][4095], 0xAB);
	ck_assert_uint_eq(bufs[30][0], 0xAB);
	ck_assert_uint_eq(fake.to_guest_bytes, 16 * 4096);
	c[0].len = 4097;
	ck_assert_int_eq(pvx_gnttab_copy(g, 3, c, 1), -EINVAL);
}
END_TEST

Suite *make_libgnttab_suite(void)
{
	Suite *s = suite_create("libgnttab");
	TCase *t = tcase_create("lib");

	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, memfd_once_then_cached);
	tcase_add_test(t, reused_domid_retires_view);
	tcase_add_test(t, bad_offset_refused);
	tcase_add_test(t, readonly_write_faults);
	tcase_add_test(t, big_batches_split);
	tcase_add_test(t, copies_split_at_data_limit);
	suite_add_tcase(s, t);
	return s;
}
