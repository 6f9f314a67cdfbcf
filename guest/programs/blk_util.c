/*
 * Helpers of the blk-* programs. The pattern is a function of (seed,
 * disk offset), so any range can be checked without remembering what was
 * written, across guests: splitmix64 of seed ^ the 8-byte word's index.
 */
#include <stdarg.h>
#include <xen/public/errno.h>
#include <xen/public/io/xenbus.h>

#include <minios/console.h>
#include <minios/gnttab.h>
#include <minios/lib.h>
#include <minios/time.h>
#include <minios/xenstore.h>

#include "blk_util.h"

uint8_t blk_buf[BLK_BUF_BYTES] __attribute__((aligned(4096)));

static uint64_t mix(uint64_t x)
{
	x += 0x9E3779B97F4A7C15ull;
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
	x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
	return x ^ (x >> 31);
}

void blk_pattern_fill(void *buf, uint64_t off, uint32_t len, uint64_t seed)
{
	uint64_t *w = buf, base = off / 8;

	for (uint32_t i = 0; i < len / 8; i++)
		w[i] = mix(seed ^ (base + i));
}

int64_t blk_pattern_check(const void *buf, uint64_t off, uint32_t len, uint64_t seed)
{
	const uint64_t *w = buf;
	uint64_t base = off / 8;

	for (uint32_t i = 0; i < len / 8; i++)
		if (w[i] != mix(seed ^ (base + i)))
			return (int64_t)(off + (uint64_t)i * 8);
	return -1;
}

int blk_open_disk(struct blkfront_dev *d, uint32_t devid, unsigned wait_ms,
		  const struct blkfront_opts *o)
{
	uint64_t deadline = time_now_ns() + (uint64_t)wait_ms * 1000000;
	uint32_t ids[8];
	int n, rc;

	rc = xs_init();
	if (rc < 0)
		return rc;
	rc = gnttab_init();
	if (rc < 0)
		return rc;
	for (;;) {
		n = blkfront_list(ids, 8);
		for (int i = 0; i < n && devid; i++)
			if (ids[i] == devid)
				n = -1000; /* found */
		if ((devid && n == -1000) || (!devid && n > 0))
			break;
		if (time_now_ns() >= deadline)
			return -XEN_ENODEV;
		msleep(10);
	}
	if (!devid)
		devid = ids[0];
	rc = blkfront_open(d, devid, o);
	if (rc < 0)
		return rc;
	printk("blk: vbd %u: %llu sectors, %s, ring %u page(s), %s grants, %u segs/request%s\n",
	       devid, (unsigned long long)d->sectors, d->info & VDISK_READONLY ? "ro" : "rw",
	       d->rf.nr_pages, d->persistent ? "persistent" : "per-request", d->max_segs,
	       d->flush ? ", flush" : "");
	return 0;
}

struct pipe {
	struct blkfront_io io[64];
	int busy[64];
};

static int finish(struct blkfront_io *io, uint64_t seed, int64_t *bad)
{
	if (io->status != BLKIF_RSP_OKAY)
		return io->status == BLKIF_RSP_ERROR ? 1 : 2;
	if (io->op == BLKIF_OP_READ && seed && *bad < 0)
		*bad = blk_pattern_check(io->buf, io->sector * 512, io->len, seed);
	return 0;
}

/* Waits for completions; every second without one, checks that the
 * backend is still Connected (a detached disk fails cleanly, not by timeout). */
static int pipe_wait(struct blkfront_dev *d)
{
	uint64_t give_up = time_now_ns() + 30000000000ull;

	for (;;) {
		int rc = blkfront_wait(d, time_now_ns() + 1000000000ull);
		int st;

		if (rc != 0)
			return rc;
		st = blkfront_backend_state(d);
		if (st < 0 || st >= XenbusStateClosing) {
			blkfront_abort(d);
			return -XEN_ENODEV;
		}
		if (time_now_ns() >= give_up)
			return -XEN_ETIMEDOUT;
	}
}

int blk_pipeline(struct blkfront_dev *d, uint8_t op, uint64_t bytes, uint32_t chunk,
		 unsigned qd, uint64_t seed, int64_t *bad)
{
	static struct pipe p;
	uint64_t next = 0;
	unsigned active = 0;
	int rc = 0, err = 0;

	*bad = -1;
	if (qd > 64 || (uint64_t)qd * chunk > BLK_BUF_BYTES)
		return -XEN_EINVAL;
	memset(&p, 0, sizeof(p));
	while ((next < bytes && !err) || active) {
		for (unsigned i = 0; i < qd && next < bytes && !err; i++) {
			struct blkfront_io *io = &p.io[i];
			if (p.busy[i])
				continue;
			*io = (struct blkfront_io){ .op = op, .sector = next / 512,
				.buf = blk_buf + (size_t)i * chunk,
				.len = (uint32_t)MIN((uint64_t)chunk, bytes - next) };
			if (op == BLKIF_OP_WRITE)
				blk_pattern_fill(io->buf, next, io->len, seed);
			if (blkfront_submit(d, io) < 0)
				break;
			p.busy[i] = 1;
			active++;
			next += io->len;
		}
		blkfront_kick(d);
		rc = pipe_wait(d);
		if (rc < 0 && !err)
			err = rc;
		for (unsigned i = 0; i < qd; i++) {
			if (!p.busy[i] || !p.io[i].done)
				continue;
			p.busy[i] = 0;
			active--;
			if (!err)
				err = finish(&p.io[i], seed, bad);
		}
		if (rc < 0)
			break; /* the ring is gone or stuck: what is in flight is lost */
	}
	return err;
}

void blk_report(const char *key, const char *fmt, ...)
{
	char path[96], val[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(val, sizeof(val), fmt, ap);
	va_end(ap);
	snprintf(path, sizeof(path), "data/%s", key);
	xs_write(0, path, val);
}
