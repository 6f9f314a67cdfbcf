/* The fake grant mapper shared by the unit-net suites. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define HANDLE_XOR 0x5a5a0000u

static void fake_map_batch(void *ctx, const grant_ref_t *refs, unsigned n, bool writable,
			   void **pages, uint32_t *handles, int *err)
{
	struct fake_dom *d = ctx;

	ck_assert_uint_gt(n, 0);
	ck_assert_uint_le(n, PVX_NET_RING_ENTRIES);
	d->map_batches++;
	for (unsigned i = 0; i < n; i++) {
		grant_ref_t r = refs[i];

		pages[i] = NULL;
		if (d->fail_all)
			err[i] = -EIO;
		else if (r < FAKE_REF_BASE || r - FAKE_REF_BASE >= FAKE_PAGES)
			err[i] = -EPERM;
		else if (writable && d->ro[r - FAKE_REF_BASE])
			err[i] = -EACCES;
		else
			err[i] = 0;
		if (err[i])
			continue;
		pages[i] = fake_page(d, r);
		handles[i] = r ^ HANDLE_XOR;
		d->maps++;
		d->live++;
	}
}

static void fake_unmap_batch(void *ctx, const uint32_t *handles, unsigned n)
{
	struct fake_dom *d = ctx;

	ck_assert_uint_gt(n, 0);
	d->unmap_batches++;
	for (unsigned i = 0; i < n; i++) {
		grant_ref_t r = handles[i] ^ HANDLE_XOR;

		ck_assert(r >= FAKE_REF_BASE && r - FAKE_REF_BASE < FAKE_PAGES);
		d->unmaps++;
		d->live--;
	}
	ck_assert_int_ge(d->live, 0);
}

const struct netback_gnt_ops fake_gnt_ops = { fake_map_batch, fake_unmap_batch };

void fake_dom_init(struct fake_dom *d)
{
	memset(d, 0, sizeof(*d));
	d->mem = aligned_alloc(4096, (size_t)FAKE_PAGES * 4096);
	ck_assert_ptr_nonnull(d->mem);
	memset(d->mem, 0, (size_t)FAKE_PAGES * 4096);
}

void fake_dom_free(struct fake_dom *d)
{
	free(d->mem);
	d->mem = NULL;
}

uint8_t *fake_page(struct fake_dom *d, grant_ref_t ref)
{
	return d->mem + (size_t)(ref - FAKE_REF_BASE) * 4096;
}
