/*
 * The region the two processes of a run share, one memfd mapped before the
 * fork (as a backend maps the frontend's granted pages once at connect):
 *
 *   [control block][ring pages][data pages]
 *
 * The control block carries start/stop flags and each side's counters and
 * error message. The ring is ring_pages pages of the bench protocol. The
 * data area holds one payload slot per ring entry (payload rounded up to a
 * cache line), so a request in ring slot i uses data slot i; the backend
 * does not trust that and bounds every descriptor against data_bytes.
 *
 * Two eventfds carry notifications: kick (front → back) and call
 * (back → front), the host-mode stand-ins for an event channel.
 */
#include <errno.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bench.h"

static size_t page_round(size_t n)
{
	return (n + BENCH_PAGE - 1) / BENCH_PAGE * BENCH_PAGE;
}

static int layout(struct bench_shm *s, unsigned ring_pages, unsigned payload)
{
	size_t ctl = page_round(sizeof(struct bench_ctl));

	s->ring_bytes = (size_t)ring_pages * BENCH_PAGE;
	s->nr_ents = bench_ring_size(s->ring_bytes);
	if (s->nr_ents == 0)
		return -EINVAL;
	s->slot_bytes = payload ? (payload + 63u) & ~63u : 0;
	s->data_bytes = page_round((size_t)s->slot_bytes * s->nr_ents);
	s->size = ctl + s->ring_bytes + s->data_bytes;
	return 0;
}

int bench_shm_create(struct bench_shm *s, unsigned ring_pages, unsigned payload)
{
	size_t ctl = page_round(sizeof(struct bench_ctl));
	int r;

	memset(s, 0, sizeof(*s));
	s->memfd = s->kick_fd = s->call_fd = -1;
	r = layout(s, ring_pages, payload);
	if (r)
		return r;
	s->memfd = memfd_create("pvx-bench-ring", MFD_CLOEXEC);
	if (s->memfd < 0 || ftruncate(s->memfd, (off_t)s->size) < 0)
		goto err;
	s->base = mmap(NULL, s->size, PROT_READ | PROT_WRITE, MAP_SHARED, s->memfd, 0);
	if (s->base == MAP_FAILED) {
		s->base = NULL;
		goto err;
	}
	s->kick_fd = eventfd(0, EFD_CLOEXEC);
	s->call_fd = eventfd(0, EFD_CLOEXEC);
	if (s->kick_fd < 0 || s->call_fd < 0)
		goto err;
	s->ctl = s->base;
	s->sring = (struct bench_sring *)((uint8_t *)s->base + ctl);
	s->data = s->data_bytes ? (uint8_t *)s->sring + s->ring_bytes : NULL;
	bench_sring_init(s->sring);
	return 0;
err:
	r = -errno;
	bench_shm_dispose(s);
	return r;
}

void bench_shm_dispose(struct bench_shm *s)
{
	if (s->base)
		munmap(s->base, s->size);
	if (s->memfd >= 0)
		close(s->memfd);
	if (s->kick_fd >= 0)
		close(s->kick_fd);
	if (s->call_fd >= 0)
		close(s->call_fd);
	s->base = NULL;
	s->memfd = s->kick_fd = s->call_fd = -1;
}
