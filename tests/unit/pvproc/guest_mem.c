/* The pvproc tests' domain memory (guest_mem.h). */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <pvx/ctl.h>

#include "guest_mem.h"

#define MEM_BYTES (TG_RAM_BYTES + PVX_SPECIAL_PAGES * 4096ull)

int tguest_init(struct tguest *g, const unsigned char *code, const unsigned char *end)
{
	int err;

	memset(g, 0, sizeof(*g));
	g->mem_fd = -1;
	g->pages.fd = -1;
	g->p.pidfd = g->p.notify_fd = -1;
	g->mem_fd = memfd_create("tguest", MFD_CLOEXEC);
	if (g->mem_fd < 0 || ftruncate(g->mem_fd, (off_t)MEM_BYTES) < 0)
		goto err_errno;
	g->mem = mmap(NULL, MEM_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, g->mem_fd, 0);
	if (g->mem == MAP_FAILED) {
		g->mem = NULL;
		goto err_errno;
	}
	memcpy(g->mem + TG_CODE, code, (size_t)(end - code));
	err = pvproc_pages_init(&g->pages);
	if (err)
		goto err;
	return 0;

err_errno:
	err = -errno;
err:
	tguest_dispose(g);
	return err;
}

int tguest_spawn(struct tguest *g, uint64_t start_info)
{
	struct pvproc_layout l = {
		.mem_fd = g->mem_fd, .ram_bytes = TG_RAM_BYTES,
		.special_offset = TG_RAM_BYTES, .pages = &g->pages,
		.entry = TG_CODE, .start_info = start_info, .domid = 7,
	};

	return pvproc_spawn(&l, &g->p);
}

uint64_t tguest_read(const struct tguest *g, uint64_t gpa)
{
	return __atomic_load_n((const uint64_t *)(g->mem + gpa), __ATOMIC_RELAXED);
}

void tguest_dispose(struct tguest *g)
{
	pvproc_dispose(&g->p);
	pvproc_pages_dispose(&g->pages);
	if (g->mem)
		munmap(g->mem, MEM_BYTES);
	g->mem = NULL;
	if (g->mem_fd >= 0)
		close(g->mem_fd);
	g->mem_fd = -1;
}
