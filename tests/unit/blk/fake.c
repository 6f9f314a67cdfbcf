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

const struct blkback_gnt_ops fake_gnt_ops = { fake_map, fake_unmap };

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
