/*
 * gnttab_pin.c under concurrency: the guest's revoke (Linux's v1
 * end_foreign_access cmpxchg) against mappers taking and dropping pins on
 * the same entry from other threads, and a guest that keeps rewriting
 * the entry while we try to win it.
 *
 * Invariant checked: a mapping exists only while the entry carries
 * GTF_permit_access plus the busy bits, so the guest can never revoke a
 * grant while `mapped` (mappers holding one) is nonzero; and when all
 * threads stop, no busy bit is left behind.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"

#define REF 8
#define ROUNDS 20000

static int mapped;          /* mappers holding the grant now */
static int stop, started;
static int revokes, busy_seen, violations;
static int owners[2];

static void *guest(void *arg)
{
	(void)arg;
	while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE)) {
		if (!harness_revoke(GRANTER, REF)) {
			__atomic_fetch_add(&busy_seen, 1, __ATOMIC_RELAXED);
			continue;
		}
		/* revoked: nobody may hold a mapping now */
		if (__atomic_load_n(&mapped, __ATOMIC_ACQUIRE))
			__atomic_fetch_add(&violations, 1, __ATOMIC_RELAXED);
		__atomic_fetch_add(&revokes, 1, __ATOMIC_RELAXED);
		harness_grant(GRANTER, REF, 0, 20, GTF_permit_access);
		__atomic_store_n(&started, 1, __ATOMIC_RELEASE);
	}
	return NULL;
}

static void *mapper(void *arg)
{
	int *owner = arg;
	bool ro = owner == &owners[1];

	while (!__atomic_load_n(&started, __ATOMIC_ACQUIRE))
		; /* the guest is revoking before we map: a real race */
	for (int i = 0; i < ROUNDS; i++) {
		struct gnttab_map_result r;
		int16_t st = gnttab_map(owner, 0, GRANTER, REF, ro, &r);
		uint16_t f;

		if (st != GNTST_okay) {
			if (st != GNTST_permission_denied && st != GNTST_general_error)
				__atomic_fetch_add(&violations, 1, __ATOMIC_RELAXED);
			continue;
		}
		__atomic_fetch_add(&mapped, 1, __ATOMIC_ACQ_REL);
		for (int spin = 0; spin < 50; spin++)
			__atomic_thread_fence(__ATOMIC_SEQ_CST); /* hold it a moment */
		f = __atomic_load_n(&harness_entry(GRANTER, REF)->flags, __ATOMIC_ACQUIRE);
		if ((f & GTF_type_mask) != GTF_permit_access || !(f & GTF_reading) ||
		    (!ro && !(f & GTF_writing)))
			__atomic_fetch_add(&violations, 1, __ATOMIC_RELAXED);
		__atomic_fetch_sub(&mapped, 1, __ATOMIC_ACQ_REL);
		if (gnttab_unmap(owner, r.handle) != GNTST_okay)
			__atomic_fetch_add(&violations, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

START_TEST(map_against_revoke)
{
	pthread_t g, m[2];

	harness_grant(GRANTER, REF, 0, 20, GTF_permit_access);
	ck_assert_int_eq(pthread_create(&g, NULL, guest, NULL), 0);
	for (int i = 0; i < 2; i++)
		ck_assert_int_eq(pthread_create(&m[i], NULL, mapper, &owners[i]), 0);
	for (int i = 0; i < 2; i++)
		pthread_join(m[i], NULL);
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	pthread_join(g, NULL);
	ck_assert_int_eq(violations, 0);
	ck_assert_int_gt(revokes, 0);
	/* how often the guest found the grant busy depends on scheduling */
	fprintf(stderr, "map_against_revoke: %d revokes, %d refused as busy\n",
		revokes, busy_seen);
	ck_assert_uint_eq(harness_entry(GRANTER, REF)->flags & (GTF_reading | GTF_writing), 0);
	ck_assert_uint_eq(gnttab_owner_count(&owners[0]) + gnttab_owner_count(&owners[1]), 0);
}
END_TEST

/* The hostile guest: flips domid and frame as fast as it can. */
static void *flipper(void *arg)
{
	struct grant_entry_v1 *e = harness_entry(GRANTER, REF);

	(void)arg;
	for (uint32_t i = 0; !__atomic_load_n(&stop, __ATOMIC_ACQUIRE); i++) {
		__atomic_store_n(&e->frame, 20 + (i & 1), __ATOMIC_RELAXED);
		__atomic_store_n(&e->domid, (domid_t)(i & 2 ? 0 : 7), __ATOMIC_RELAXED);
	}
	return NULL;
}

START_TEST(unstable_entry)
{
	pthread_t f;
	int okay = 0, bad = 0;

	harness_grant(GRANTER, REF, 0, 20, GTF_permit_access);
	ck_assert_int_eq(pthread_create(&f, NULL, flipper, NULL), 0);
	for (int i = 0; i < ROUNDS; i++) {
		struct gnttab_map_result r;
		int16_t st = gnttab_map(&owners[0], 0, GRANTER, REF, false, &r);

		if (st == GNTST_okay) {
			okay++;
			/* what we pinned is a frame the guest really granted to us */
			if (r.gfn != 20 && r.gfn != 21)
				bad++;
			gnttab_unmap(&owners[0], r.handle);
		} else if (st != GNTST_permission_denied && st != GNTST_general_error) {
			bad++;
		}
	}
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	pthread_join(f, NULL);
	ck_assert_int_eq(bad, 0);
	/* how many maps won against the flipper depends on scheduling */
	fprintf(stderr, "unstable_entry: %d of %d maps won\n", okay, ROUNDS);
	ck_assert_uint_eq(harness_entry(GRANTER, REF)->flags, GTF_permit_access);
	/* once the guest stops, the entry works again */
	harness_grant(GRANTER, REF, 0, 20, GTF_permit_access);
	{
		struct gnttab_map_result r;

		ck_assert_int_eq(gnttab_map(&owners[0], 0, GRANTER, REF, false, &r), GNTST_okay);
		ck_assert_uint_eq(r.gfn, 20);
	}
}
END_TEST

Suite *make_gnttab_pin_suite(void)
{
	Suite *s = suite_create("gnttab_pin");
	TCase *t = tcase_create("concurrency");

	tcase_add_checked_fixture(t, harness_setup, harness_teardown);
	tcase_set_timeout(t, 60);
	tcase_add_test(t, map_against_revoke);
	tcase_add_test(t, unstable_entry);
	suite_add_tcase(s, t);
	return s;
}
