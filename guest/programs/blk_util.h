/* Shared by the blk-* programs: opening the disk, the pattern, a pipeline. */
#ifndef MINIOS_PROGRAMS_BLK_UTIL_H
#define MINIOS_PROGRAMS_BLK_UTIL_H

#include <stdint.h>

#include "../../pv-drivers/blk/front/blkfront.h"

#define BLK_BUF_BYTES (4u << 20)
extern uint8_t blk_buf[BLK_BUF_BYTES];

/* Opens the disk with the given devid, or the first one if devid is 0,
 * waiting up to wait_ms for one to appear. Prints a line about it. */
int blk_open_disk(struct blkfront_dev *d, uint32_t devid, unsigned wait_ms,
		  const struct blkfront_opts *o);

/* The seeded pattern: fill/check len bytes that sit at disk byte off. */
void blk_pattern_fill(void *buf, uint64_t off, uint32_t len, uint64_t seed);
/* Byte offset of the first mismatch, or -1. */
int64_t blk_pattern_check(const void *buf, uint64_t off, uint32_t len, uint64_t seed);

/*
 * Writes or reads [0, bytes) in chunk-sized requests, qd at a time, out of
 * blk_buf. Writes fill the pattern first; reads check it (seed) unless
 * seed is 0. Returns 0, or a negative errno / positive BLKIF status;
 * *bad gets the first mismatching disk byte (or -1).
 */
int blk_pipeline(struct blkfront_dev *d, uint8_t op, uint64_t bytes, uint32_t chunk,
		 unsigned qd, uint64_t seed, int64_t *bad);

/* Writes key = value under data/ in xenstore (for the host side). */
void blk_report(const char *key, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
