/*
 * blk-backend-bench [MS] [QD] [BS]: the backend's own cost per request,
 * without a guest. One thread plays frontend and pvx-blkback: it keeps QD
 * random BS-byte reads in a real blkif ring, the real ring code maps
 * "grants" through an identity mapper (cached, like persistent grants),
 * validates and reads from a page-cache file through the real io_uring
 * engine, and answers. Prints requests/s and µs per request; compare with
 * blk-native (io_uring alone) to see the protocol's share of the cost.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../pv-drivers/blk/back/blkback.h"

#define FILE_BYTES (64u << 20)
#define PAGES 1024

static uint8_t *mem;

static int id_map(void *ctx, grant_ref_t ref, bool writable, void **page, uint32_t *handle)
{
	(void)ctx, (void)writable;
	if (ref >= PAGES)
		return -EPERM;
	*page = mem + (size_t)ref * 4096;
	*handle = ref;
	return 0;
}

static void id_unmap(void *ctx, uint32_t handle)
{
	(void)ctx, (void)handle;
}

static const struct blkback_gnt_ops ops = { id_map, id_unmap, NULL, NULL };

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t rng = 88172645463325252ull;
static uint64_t rnd(void)
{
	rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
	return rng;
}

static void put_read(struct blkif_front_ring *fr, unsigned slot, unsigned pages)
{
	union blkif_any_request q;

	memset(&q, 0, sizeof(q));
	q.rw.operation = BLKIF_OP_READ;
	q.rw.nr_segments = (uint8_t)pages;
	q.rw.id = slot;
	q.rw.sector_number = (rnd() % (FILE_BYTES / (pages * 4096u))) * pages * 8;
	for (unsigned i = 0; i < pages; i++)
		q.rw.seg[i] = (struct blkif_request_segment){ .gref = slot * pages + i,
							      .last_sect = 7 };
	blkif_front_put_request(fr, &q);
}

static double ring_run(int fd, uint64_t ms, unsigned qd, unsigned pages)
{
	static struct blkif_sring *s;
	struct blkif_front_ring fr;
	static struct blkback_ring br;
	struct blkback_io io;
	struct blkback_disk_info info = { .sectors = FILE_BYTES / 512, .flush = true };
	uint64_t done = 0, t0, end;
	struct blkif_response rsp;

	s = aligned_alloc(4096, 4 * 4096);
	blkif_sring_init(s);
	blkif_front_init(&fr, s, 4 * 4096);
	if (blkback_io_init(&io, 256) < 0 ||
	    blkback_ring_init(&br, s, 4 * 4096, false, &info, fd, &io, &ops, NULL, true) < 0)
		return -1;
	for (unsigned i = 0; i < qd; i++)
		put_read(&fr, i, pages);
	t0 = now_ns();
	end = t0 + ms * 1000000;
	while (now_ns() < end) {
		blkif_front_push_requests_and_check_notify(&fr);
		blkback_ring_kick(&br);
		while (br.inflight)
			blkback_io_wait(&io, blkback_ring_io_done);
		blkback_ring_flush_dirty();
		while (blkif_front_get_response(&fr, &rsp) == 1) {
			if (rsp.status != BLKIF_RSP_OKAY)
				return -1;
			done++;
			put_read(&fr, (unsigned)rsp.id, pages);
		}
	}
	t0 = now_ns() - t0;
	blkback_ring_dispose(&br);
	blkback_io_dispose(&io);
	free(s);
	return (double)done * 1e9 / (double)t0;
}

int main(int argc, char **argv)
{
	uint64_t ms = argc > 1 ? strtoull(argv[1], NULL, 10) : 1000;
	unsigned qd = argc > 2 ? (unsigned)atoi(argv[2]) : 32;
	unsigned bs = argc > 3 ? (unsigned)atoi(argv[3]) : 4096;
	char path[] = "/tmp/blk-backend-bench.XXXXXX";
	int fd = mkstemp(path);
	double rate;

	if (fd < 0 || qd < 1 || qd > 64 || bs < 4096 || bs > 11 * 4096 || bs % 4096 ||
	    qd * (bs / 4096) > PAGES)
		return fprintf(stderr, "usage: blk-backend-bench [MS] [QD 1..64] [BS 4096..45056]\n"), 2;
	unlink(path);
	mem = aligned_alloc(4096, (size_t)PAGES * 4096);
	memset(mem, 1, (size_t)PAGES * 4096);
	for (unsigned off = 0; off < FILE_BYTES; off += PAGES * 4096)
		if (pwrite(fd, mem, (size_t)PAGES * 4096, off) < 0)
			return perror("pwrite"), 1;
	rate = ring_run(fd, ms, qd, bs / 4096);
	if (rate < 0)
		return fprintf(stderr, "blk-backend-bench: ring run failed\n"), 1;
	printf("backend ring path, %u B random reads, QD %u: %.0f req/s, %.2f us/req\n", bs, qd,
	       rate, 1e6 / rate);
	close(fd);
	free(mem);
	return 0;
}
