/*
 * blk-verify [MODE] [MIB] [SEED] [DEVID] [ROUNDS]: data integrity through blkfront.
 *   all   (default) write the seeded pattern over the first MIB MiB (0 or
 *         absent: the whole disk), flush, read it back, compare;
 *   write write + flush only (another guest checks it later);
 *   read  read + compare only;
 *   ro    the disk must say read-only, refuse a write, allow a read.
 * One verdict line; data/blk-verify = PASS or FAIL for the host side.
 * ROUNDS (default 1; 0: until stopped) runs all/write/read that many
 * times, seed + round - 1 each time so every round writes new data, with
 * "blk-verify: round N ok" after each: the long-running I/O that a
 * suspend, save or migration must not disturb (docs/minios.md).
 */
#include <xen/public/errno.h>

#include <minios/console.h>
#include <minios/lib.h>
#include <minios/program.h>
#include <minios/time.h>

#include "blk_util.h"
#include "programs.h"

#define CHUNK (1u << 20)
#define QD 4

static char msg[160];

static int verdict(int ok)
{
	blk_report("blk-verify", "%s", ok ? "PASS" : "FAIL");
	return ok ? pass("blk-verify %s", msg) : fail("blk-verify: %s", msg);
}

static int ro_mode(struct blkfront_dev *d)
{
	int w, r;

	if (!(d->info & VDISK_READONLY)) {
		snprintf(msg, sizeof(msg), "info %u lacks VDISK_READONLY", d->info);
		return verdict(0);
	}
	w = blkfront_rw_sync(d, BLKIF_OP_WRITE, 0, blk_buf, 4096);
	r = blkfront_rw_sync(d, BLKIF_OP_READ, 0, blk_buf, 4096);
	snprintf(msg, sizeof(msg), "ro: write status %d, read status %d", w, r);
	return verdict(w == BLKIF_RSP_ERROR && r == BLKIF_RSP_OKAY);
}

static int run(struct blkfront_dev *d, const char *mode, uint64_t bytes, uint64_t seed)
{
	int do_write = strcmp(mode, "read") != 0, do_read = strcmp(mode, "write") != 0;
	uint64_t t0 = time_now_ns(), tw = 0, tr = 0;
	int64_t bad = -1;
	int rc;

	if (do_write) {
		rc = blk_pipeline(d, BLKIF_OP_WRITE, bytes, CHUNK, QD, seed, &bad);
		if (rc) {
			snprintf(msg, sizeof(msg), "write failed: %d", rc);
			return verdict(0);
		}
		rc = blkfront_flush_sync(d);
		if (rc) {
			snprintf(msg, sizeof(msg), "flush failed: %d", rc);
			return verdict(0);
		}
		tw = time_now_ns() - t0;
	}
	if (do_read) {
		t0 = time_now_ns();
		rc = blk_pipeline(d, BLKIF_OP_READ, bytes, CHUNK, QD, seed, &bad);
		tr = time_now_ns() - t0;
		if (rc || bad >= 0) {
			if (rc)
				snprintf(msg, sizeof(msg), "read failed: %d", rc);
			else
				snprintf(msg, sizeof(msg), "mismatch at byte %lld", (long long)bad);
			return verdict(0);
		}
	}
	printk("blk-verify: %s %llu MiB, write %llu ms, read %llu ms\n", mode,
	       (unsigned long long)(bytes >> 20), (unsigned long long)(tw / 1000000),
	       (unsigned long long)(tr / 1000000));
	snprintf(msg, sizeof(msg), "%s %llu MiB (%llu requests)", mode,
		 (unsigned long long)(bytes >> 20), (unsigned long long)d->requests);
	return verdict(1);
}

/* One pass per round, quietly; the verdict of the first failing round,
 * or of the last one. */
static int run_rounds(struct blkfront_dev *d, const char *mode, uint64_t bytes,
		      uint64_t seed, uint64_t rounds)
{
	for (uint64_t r = 1; !rounds || r <= rounds; r++) {
		int do_write = strcmp(mode, "read") != 0, do_read = strcmp(mode, "write") != 0;
		int64_t bad = -1;
		int rc = 0;

		if (do_write)
			rc = blk_pipeline(d, BLKIF_OP_WRITE, bytes, CHUNK, QD, seed + r - 1, &bad);
		if (!rc && do_write)
			rc = blkfront_flush_sync(d);
		if (!rc && do_read)
			rc = blk_pipeline(d, BLKIF_OP_READ, bytes, CHUNK, QD, seed + r - 1, &bad);
		if (rc || bad >= 0) {
			snprintf(msg, sizeof(msg), "round %llu: result %d, first mismatch at byte %lld",
				 (unsigned long long)r, rc, (long long)bad);
			return verdict(0);
		}
		printk("blk-verify: round %llu ok\n", (unsigned long long)r);
	}
	snprintf(msg, sizeof(msg), "%s %llu MiB x %llu rounds (%llu requests)", mode,
		 (unsigned long long)(bytes >> 20), (unsigned long long)rounds,
		 (unsigned long long)d->requests);
	return verdict(1);
}

int prog_blk_verify(int argc, char **argv)
{
	static struct blkfront_dev d;
	const char *mode = argc > 1 ? argv[1] : "all";
	uint64_t mib, seed, devid, bytes, rounds;
	int rc;

	if (arg_u64(argc, argv, 2, 0, &mib) < 0 || arg_u64(argc, argv, 3, 1, &seed) < 0 ||
	    arg_u64(argc, argv, 4, 0, &devid) < 0 || arg_u64(argc, argv, 5, 1, &rounds) < 0 ||
	    seed == 0)
		return fail("blk-verify: usage: blk-verify [all|write|read|ro] [MIB] [SEED>0] [DEVID] [ROUNDS]");
	rc = blk_open_disk(&d, (uint32_t)devid, 10000, NULL);
	if (rc < 0) {
		snprintf(msg, sizeof(msg), "cannot open a disk: %d", rc);
		return verdict(0);
	}
	if (!strcmp(mode, "ro")) {
		rc = ro_mode(&d);
	} else {
		bytes = mib ? mib << 20 : d.sectors * 512;
		if (bytes > d.sectors * 512)
			bytes = d.sectors * 512;
		rc = rounds == 1 ? run(&d, mode, bytes, seed) : run_rounds(&d, mode, bytes, seed, rounds);
	}
	blkfront_close(&d);
	return rc;
}
