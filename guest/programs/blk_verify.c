/*
 * blk-verify [MODE] [MIB] [SEED] [DEVID]: data integrity through blkfront.
 *   all   (default) write the seeded pattern over the first MIB MiB (0 or
 *         absent: the whole disk), flush, read it back, compare;
 *   write write + flush only (another guest checks it later);
 *   read  read + compare only;
 *   ro    the disk must say read-only, refuse a write, allow a read.
 * One verdict line; data/blk-verify = PASS or FAIL for the host side.
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

int prog_blk_verify(int argc, char **argv)
{
	static struct blkfront_dev d;
	const char *mode = argc > 1 ? argv[1] : "all";
	uint64_t mib, seed, devid, bytes;
	int rc;

	if (arg_u64(argc, argv, 2, 0, &mib) < 0 || arg_u64(argc, argv, 3, 1, &seed) < 0 ||
	    arg_u64(argc, argv, 4, 0, &devid) < 0 || seed == 0)
		return fail("blk-verify: usage: blk-verify [all|write|read|ro] [MIB] [SEED>0] [DEVID]");
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
		rc = run(&d, mode, bytes, seed);
	}
	blkfront_close(&d);
	return rc;
}
