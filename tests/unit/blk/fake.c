/* The fake grant mapper and temp disks shared by the unit-blk suites. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

static int fake_map(void *ctx, grant_ref_t ref, bool writable, void **page,
		    uint32_t *handle)
{
	struct fake_dom *d = ctx;

	if (ref < FAKE_REF_BASE || ref - FAKE_REF_BASE >= FAKE_PAGES)
		return -EPERM;
	if (writable && d->ro[ref - FAKE_REF_BASE])
		return -EACCES;
	*page = d->mem + (size_t)(ref - FAKE_REF_BASE) * 4096;
	*handle = ref ^ 0x5a5a0000u; /* anything reversible */
	d->maps++;
	return 0;
}

static void fake_unmap(void *ctx, uint32_t handle)
{
	struct fake_dom *d = ctx;
	grant_ref_t ref = handle ^ 0x5a5a0000u;

	ck_assert(ref >= FAKE_REF_BASE && ref - FAKE_REF_BASE < FAKE_PAGES);
	d->unmaps++;
}

static void fake_map_batch(void *ctx, const grant_ref_t *refs, unsigned n, bool writable,
			   void **pages, uint32_t *handles, int *err)
{
	struct fake_dom *d = ctx;

	d->map_batches++;
	for (unsigned i = 0; i < n; i++)
		err[i] = fake_map(ctx, refs[i], writable, &pages[i], &handles[i]);
}

static void fake_unmap_batch(void *ctx, const uint32_t *handles, unsigned n)
{
	struct fake_dom *d = ctx;

	d->unmap_batches++;
	for (unsigned i = 0; i < n; i++)
		fake_unmap(ctx, handles[i]);
}

/* Batched (as the daemon's) and one-by-one: both paths get exercised. */
const struct blkback_gnt_ops fake_gnt_ops = { fake_map, fake_unmap, fake_map_batch,
					      fake_unmap_batch };
const struct blkback_gnt_ops fake_gnt_ops_single = { fake_map, fake_unmap, NULL, NULL };

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

void *fake_page(struct fake_dom *d, grant_ref_t ref)
{
	return d->mem + (size_t)(ref - FAKE_REF_BASE) * 4096;
}

int temp_disk(uint64_t bytes)
{
	char tmpl[] = "/tmp/unit-blk-XXXXXX";
	int fd = mkstemp(tmpl);

	if (fd < 0)
		return -errno;
	if (ftruncate(fd, (off_t)bytes) < 0) {
		close(fd);
		return -errno;
	}
	unlink(tmpl); /* gone when the test process is */
	return fd;
}
