/*
 * blk-native FILE MS MIB [direct] [short]: the host baseline for
 * blk-bench. The same rows as the guest's blk-bench
 * (guest/programs/blk_bench.c), on the same file, with io_uring from one
 * host thread: QD requests in flight for MS milliseconds per row over the
 * first MIB MiB. "direct" opens the file O_DIRECT; "short" runs only the
 * rows the guest's "short" runs (4 KiB QD32, 1 MiB). One line per row:
 *   ROW iops MB/s p50_us p99_us
 *
 * Fairness: the loop does what pvx-blkback does with the same io_uring
 * calls — every completion that is ready is reaped, the freed slots are
 * refilled, and the batch goes in with one io_uring_enter — so neither
 * side pays a syscall per request that the other batches away. Buffered
 * reads of cached pages complete inline in io_uring_enter on both sides
 * (one memcpy from the page cache to the buffer). No CPU pinning on
 * either side: the scheduler places both.
 */
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct row {
	const char *name;
	int write;
	uint32_t bs;
	unsigned qd;
	int random;
	int in_short;
};

static const struct row rows[] = {
	{ "randread-4k-qd1", 0, 4096, 1, 1, 0 },    { "randread-4k-qd8", 0, 4096, 8, 1, 0 },
	{ "randread-4k-qd32", 0, 4096, 32, 1, 1 },  { "randwrite-4k-qd1", 1, 4096, 1, 1, 0 },
	{ "randwrite-4k-qd8", 1, 4096, 8, 1, 0 },   { "randwrite-4k-qd32", 1, 4096, 32, 1, 1 },
	{ "seqread-64k-qd8", 0, 65536, 8, 0, 0 },   { "seqwrite-64k-qd8", 1, 65536, 8, 0, 0 },
	{ "seqread-1m-qd4", 0, 1u << 20, 4, 0, 1 }, { "seqwrite-1m-qd4", 1, 1u << 20, 4, 0, 1 },
};

#define MAX_SAMPLES 16384
static uint32_t lat[MAX_SAMPLES];
static uint64_t rng = 0x2545F4914F6CDD1Dull;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static void submit(struct io_uring *ring, const struct row *r, int fd, char *buf, unsigned slot,
		   uint64_t off, uint64_t *t_sub)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	if (r->write)
		io_uring_prep_write(sqe, fd, buf + (size_t)slot * r->bs, r->bs, off);
	else
		io_uring_prep_read(sqe, fd, buf + (size_t)slot * r->bs, r->bs, off);
	io_uring_sqe_set_data64(sqe, slot);
	t_sub[slot] = now_ns();
}

static uint64_t pick(const struct row *r, uint64_t region, uint64_t *seq)
{
	uint64_t off;

	if (r->random)
		return (next_rand() % (region / r->bs)) * r->bs;
	off = *seq;
	*seq = (*seq + r->bs) % (region - region % r->bs);
	return off;
}

static int run(struct io_uring *ring, const struct row *r, int fd, char *buf, uint64_t ms,
	       uint64_t region)
{
	uint64_t t_sub[64], t0 = now_ns(), end = t0 + ms * 1000000, seq = 0, ops = 0, n = 0;
	unsigned active = 0;
	struct io_uring_cqe *cqe;

	for (unsigned i = 0; i < r->qd; i++, active++)
		submit(ring, r, fd, buf, i, pick(r, region, &seq), t_sub);
	io_uring_submit(ring);
	while (active) {
		unsigned refill = 0;

		if (io_uring_wait_cqe(ring, &cqe) < 0)
			return -1;
		do { /* every ready completion, then one submit for the refills */
			unsigned slot = (unsigned)io_uring_cqe_get_data64(cqe);

			if (cqe->res != (int)r->bs) {
				fprintf(stderr, "%s: I/O result %d\n", r->name, cqe->res);
				return -1;
			}
			io_uring_cqe_seen(ring, cqe);
			if (n < MAX_SAMPLES)
				lat[n++] = (uint32_t)(now_ns() - t_sub[slot]);
			ops++;
			active--;
			if (now_ns() < end) {
				submit(ring, r, fd, buf, slot, pick(r, region, &seq), t_sub);
				active++;
				refill++;
			}
		} while (io_uring_peek_cqe(ring, &cqe) == 0);
		if (refill)
			io_uring_submit(ring);
	}
	uint64_t ns = now_ns() - t0;
	qsort(lat, n, sizeof(lat[0]), cmp_u32);
	printf("%s %llu %.1f %u %u\n", r->name, (unsigned long long)(ops * 1000000000ull / ns),
	       (double)ops * r->bs / ((double)ns / 1e9) / 1e6, lat[n / 2] / 1000,
	       lat[n * 99 / 100] / 1000);
	return 0;
}

int main(int argc, char **argv)
{
	struct io_uring ring;
	uint64_t ms, region;
	char *buf;
	int fd;

	int direct = 0, short_run = 0;

	if (argc < 4) {
		fprintf(stderr, "usage: blk-native FILE MS MIB [direct] [short]\n");
		return 2;
	}
	ms = strtoull(argv[2], NULL, 10);
	region = strtoull(argv[3], NULL, 10) << 20;
	for (int i = 4; i < argc; i++) {
		direct |= !strcmp(argv[i], "direct");
		short_run |= !strcmp(argv[i], "short");
	}
	fd = open(argv[1], O_RDWR | (direct ? O_DIRECT : 0));
	if (fd < 0 || io_uring_queue_init(64, &ring, 0) < 0 ||
	    posix_memalign((void **)&buf, 4096, 4u << 20)) {
		perror("blk-native");
		return 1;
	}
	memset(buf, 0x5a, 4u << 20);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		if ((!short_run || rows[i].in_short) && run(&ring, &rows[i], fd, buf, ms, region) < 0)
			return 1;
	io_uring_queue_exit(&ring);
	close(fd);
	free(buf);
	return 0;
}
