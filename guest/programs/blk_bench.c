/*
 * blk-bench [MS-PER-ROW] [MIB] [DEVID] [nopersist] [noindirect] [short]:
 * the block path's throughput and latency from inside the guest.
 *
 * Rows (the same in tests/bench/blk-bench's native run): 4 KiB random
 * read and write at queue depths 1, 8 and 32, then 64 KiB (QD 8) and
 * 1 MiB (QD 4) sequential read and write, over the first MIB MiB of the
 * disk (default 256, capped at its size). Each row runs MS milliseconds
 * (default 2000). Latency is submit to completion as the guest sees it,
 * per request; p50/p99 from up to 16384 samples per row. One console line
 * per row, and data/blk-bench/<row> = "iops mbps p50_us p99_us kicks_per_req"
 * in xenstore for the host side.
 *
 * nopersist / noindirect turn those features off for the comparison in
 * docs/block.md; without indirect descriptors a row's requests are split
 * as Linux's blk-mq would split them (11 pages each, the queue depth
 * scaled up to keep the same bytes in flight, at most 32). short runs only
 * the 4 KiB QD32 and 1 MiB rows.
 */
#include <xen/public/errno.h>

#include <minios/console.h>
#include <minios/lib.h>
#include <minios/program.h>
#include <minios/time.h>

#include "blk_util.h"
#include "programs.h"

#define MAX_SAMPLES 16384

struct row {
	const char *name;
	uint8_t op;
	uint32_t bs;
	unsigned qd;
	int random;
	int in_short;
};

static const struct row rows[] = {
	{ "randread-4k-qd1", BLKIF_OP_READ, 4096, 1, 1, 0 },
	{ "randread-4k-qd8", BLKIF_OP_READ, 4096, 8, 1, 0 },
	{ "randread-4k-qd32", BLKIF_OP_READ, 4096, 32, 1, 1 },
	{ "randwrite-4k-qd1", BLKIF_OP_WRITE, 4096, 1, 1, 0 },
	{ "randwrite-4k-qd8", BLKIF_OP_WRITE, 4096, 8, 1, 0 },
	{ "randwrite-4k-qd32", BLKIF_OP_WRITE, 4096, 32, 1, 1 },
	{ "seqread-64k-qd8", BLKIF_OP_READ, 65536, 8, 0, 0 },
	{ "seqwrite-64k-qd8", BLKIF_OP_WRITE, 65536, 8, 0, 0 },
	{ "seqread-1m-qd4", BLKIF_OP_READ, 1u << 20, 4, 0, 1 },
	{ "seqwrite-1m-qd4", BLKIF_OP_WRITE, 1u << 20, 4, 0, 1 },
};

static uint32_t lat[MAX_SAMPLES];
static struct blkfront_io ios[32];
static uint64_t rng = 0x2545F4914F6CDD1Dull;

static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void shell_sort(uint32_t *a, unsigned n)
{
	for (unsigned gap = n / 2; gap; gap /= 2)
		for (unsigned i = gap; i < n; i++) {
			uint32_t v = a[i];
			unsigned j = i;
			for (; j >= gap && a[j - gap] > v; j -= gap)
				a[j] = a[j - gap];
			a[j] = v;
		}
}

struct result {
	uint64_t ops, ns, samples, kicks;
};

static uint64_t pick(const struct row *r, uint64_t region, uint64_t *seq)
{
	uint64_t off;

	if (r->random)
		return (next_rand() % (region / r->bs)) * r->bs;
	off = *seq;
	*seq = (*seq + r->bs) % (region - region % r->bs);
	return off;
}

/* Keeps r->qd requests in flight for ms milliseconds. */
static int run_row(struct blkfront_dev *d, const struct row *r, uint64_t ms, uint64_t region,
		   struct result *res)
{
	uint64_t t0 = time_now_ns(), end = t0 + ms * 1000000, seq = 0, kicks0 = d->rf.notifies;
	unsigned active = 0;
	int busy[32] = { 0 };

	*res = (struct result){ 0 };
	while (time_now_ns() < end || active) {
		for (unsigned i = 0; i < r->qd && time_now_ns() < end; i++) {
			if (busy[i])
				continue;
			ios[i] = (struct blkfront_io){ .op = r->op, .buf = blk_buf + (size_t)i * r->bs,
				.len = r->bs, .sector = pick(r, region, &seq) / 512 };
			if (blkfront_submit(d, &ios[i]) < 0)
				return -XEN_EIO;
			busy[i] = 1;
			active++;
		}
		blkfront_kick(d);
		if (blkfront_wait(d, time_now_ns() + 10000000000ull) <= 0)
			return -XEN_ETIMEDOUT;
		for (unsigned i = 0; i < r->qd; i++) {
			if (!busy[i] || !ios[i].done)
				continue;
			busy[i] = 0;
			active--;
			if (ios[i].status != BLKIF_RSP_OKAY)
				return -XEN_EIO;
			if (res->samples < MAX_SAMPLES)
				lat[res->samples++] = (uint32_t)MIN(ios[i].t_done - ios[i].t_submit,
								    0xFFFFFFFFull);
			res->ops++;
		}
	}
	res->ns = time_now_ns() - t0;
	res->kicks = d->rf.notifies - kicks0;
	return 0;
}

static void report(const struct row *r, const struct result *res)
{
	uint64_t iops = res->ops * 1000000000ull / res->ns;
	uint64_t kbps = res->ops * (r->bs / 1024) * 1000000000ull / res->ns; /* KiB/s */
	uint64_t mbps10 = kbps * 1024 * 10 / 1000000; /* MB/s x10 */
	uint64_t p50, p99, kpr100;

	shell_sort(lat, (unsigned)res->samples);
	p50 = lat[res->samples / 2] / 1000;
	p99 = lat[res->samples * 99 / 100] / 1000;
	kpr100 = res->kicks * 100 / (res->ops ? res->ops : 1);
	printk("blk-bench: %-18s iops %7llu  MB/s %5llu.%llu  p50 %5llu us  p99 %5llu us"
	       "  kicks/req %llu.%02llu\n", r->name, (unsigned long long)iops,
	       (unsigned long long)(mbps10 / 10), (unsigned long long)(mbps10 % 10),
	       (unsigned long long)p50, (unsigned long long)p99,
	       (unsigned long long)(kpr100 / 100), (unsigned long long)(kpr100 % 100));
	{
		char key[64];
		snprintf(key, sizeof(key), "blk-bench/%s", r->name);
		blk_report(key, "%llu %llu.%llu %llu %llu %llu.%02llu", (unsigned long long)iops,
			   (unsigned long long)(mbps10 / 10), (unsigned long long)(mbps10 % 10),
			   (unsigned long long)p50, (unsigned long long)p99,
			   (unsigned long long)(kpr100 / 100), (unsigned long long)(kpr100 % 100));
	}
}

int prog_blk_bench(int argc, char **argv)
{
	static struct blkfront_dev d;
	struct blkfront_opts o = { .ring_pages = 2 };
	uint64_t ms, mib, devid, region;
	struct result res;
	int rc, short_run = 0;

	if (arg_u64(argc, argv, 1, 2000, &ms) < 0 || arg_u64(argc, argv, 2, 256, &mib) < 0 ||
	    arg_u64(argc, argv, 3, 0, &devid) < 0)
		return fail("blk-bench: usage: blk-bench [MS] [MIB] [DEVID] [nopersist] [noindirect]");
	for (int i = 4; i < argc; i++) {
		o.no_persistent |= !strcmp(argv[i], "nopersist");
		o.no_indirect |= !strcmp(argv[i], "noindirect");
		short_run |= !strcmp(argv[i], "short");
	}
	rc = blk_open_disk(&d, (uint32_t)devid, 10000, &o);
	if (rc < 0)
		return fail("blk-bench: cannot open a disk: %d", rc);
	region = MIN(mib << 20, d.sectors * 512);
	for (unsigned i = 0; i < ARRAY_SIZE(rows); i++) {
		if (region < rows[i].bs * 2u) {
			rc = -XEN_EINVAL;
			break;
		}
		struct row r = rows[i];

		if (short_run && !r.in_short)
			continue;
		if (r.bs / 4096 > d.max_segs) {
			unsigned parts = (r.bs / 4096 + d.max_segs - 1) / d.max_segs;
			r.bs = d.max_segs * 4096;
			r.qd = MIN(32u, r.qd * parts);
			printk("blk-bench: %s as %u KiB requests at QD %u\n", r.name, r.bs / 1024,
			       r.qd);
		}
		rc = run_row(&d, &r, ms, region, &res);
		if (rc < 0) {
			blkfront_close(&d);
			return fail("blk-bench: %s: %d", r.name, rc);
		}
		report(&r, &res);
	}
	blk_report("blk-bench/done", "1");
	blkfront_close(&d);
	return rc < 0 ? fail("blk-bench: region too small") : pass("blk-bench");
}
