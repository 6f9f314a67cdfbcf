/*
 * memcounter [blk] [STEPS] [MIB]: the guest of the save/restore and
 * migration tests (docs/minios.md "Suspend and resume"). It shows that
 * memory, time and devices survive a suspend: after a restore the counter
 * goes on from where it was and memory holds what it held.
 *
 * A region of MIB MiB (default 4, at most 64) of allocator pages is
 * filled deterministically at start (word j of page p = mix(p, j)). Every
 * ~100 ms the counter c goes up by one and step c stamps word 0 of page
 * c % pages with stamp(c). The region's content is therefore a function
 * of c alone, so is its checksum (FNV-1a over the words, page order):
 * the same c gives the same checksum in any run, on any host. Each step
 * prints
 *     counter C checksum XXXXXXXXXXXXXXXX[ blk ok|blk FAIL]
 * (16 hex digits), scans the region, recomputes the checksum the counter
 * says it must have and prints "memcheck FAIL counter C: ..." on a
 * difference; "memcheck ok counter C" at start, every 100 steps and on
 * the first step after each resume ("memcheck ok counter C after
 * resume"). With `blk`, each step also writes a 4 KiB block of a pattern
 * of c at block c % blocks of the first disk, reads it back, and checks
 * the block of step c - 1 (written before the suspend, for the first
 * step after one). STEPS (0 = forever) steps, then PASS unless a check
 * failed.
 */
#include <xen/public/errno.h>

#include <minios/arch.h>
#include <minios/console.h>
#include <minios/lib.h>
#include <minios/pages.h>
#include <minios/program.h>
#include <minios/suspend.h>
#include <minios/time.h>

#include "blk_util.h"
#include "programs.h"

#define MC_MAX_PAGES 16384           /* 64 MiB */
#define MC_WORDS     (XEN_PAGE_SIZE / 8)
#define MC_STEP_MS   100
#define MC_OK_EVERY  100
#define MC_BLOCKS    1024            /* 4 MiB of disk at most */

static uint64_t *pg[MC_MAX_PAGES];
static unsigned npages;
static uint64_t counter;
static int resumed;                  /* a resume since the last step */
static struct blkfront_dev disk;
static uint64_t nblocks;

static uint64_t mix(uint64_t x)
{
	x += 0x9E3779B97F4A7C15ull;
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
	x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
	return x ^ (x >> 31);
}

static uint64_t init_word(unsigned p, unsigned j)
{
	return mix(((uint64_t)p * MC_WORDS + j) ^ 0x6D656D636F756E74ull);
}

static uint64_t stamp(uint64_t n)
{
	return mix(n ^ 0x5354414D50ull);
}

/* The step (>= 1) that last stamped page p by counter c; 0 if none. */
static uint64_t last_stamp(unsigned p, uint64_t c)
{
	if (c < p)
		return 0;
	return c - (c - p) % npages; /* 0 only for p = 0 before step npages */
}

static uint64_t fnv(uint64_t h, uint64_t w)
{
	return (h ^ w) * 0x100000001B3ull;
}

static uint64_t checksum_memory(void)
{
	uint64_t h = 0xCBF29CE484222325ull;

	for (unsigned p = 0; p < npages; p++)
		for (unsigned j = 0; j < MC_WORDS; j++)
			h = fnv(h, READ_ONCE(pg[p][j]));
	return h;
}

/* What checksum_memory must give at counter c. */
static uint64_t checksum_model(uint64_t c)
{
	uint64_t h = 0xCBF29CE484222325ull;

	for (unsigned p = 0; p < npages; p++) {
		uint64_t n = last_stamp(p, c);

		h = fnv(h, n ? stamp(n) : init_word(p, 0));
		for (unsigned j = 1; j < MC_WORDS; j++)
			h = fnv(h, init_word(p, j));
	}
	return h;
}

static int region_alloc(uint64_t mib)
{
	npages = (unsigned)(mib * 256);
	for (unsigned p = 0; p < npages; p++) {
		pg[p] = page_alloc();
		if (!pg[p])
			return -XEN_ENOMEM;
		for (unsigned j = 0; j < MC_WORDS; j++)
			pg[p][j] = init_word(p, j);
	}
	return 0;
}

/* ---- blk ---------------------------------------------------------------- */

static void blk_fill(uint64_t *w, uint64_t c)
{
	w[0] = c;
	for (unsigned k = 1; k < MC_WORDS; k++)
		w[k] = mix((c << 9) + k) ^ 0x626C6Bull;
}

static int blk_check(uint64_t c, uint64_t *buf)
{
	uint64_t want[MC_WORDS];
	int rc = blkfront_rw_sync(&disk, BLKIF_OP_READ, (c % nblocks) * 8, buf, XEN_PAGE_SIZE);

	if (rc != BLKIF_RSP_OKAY) {
		printk("memcounter: blk read of step %llu failed: %d\n", (unsigned long long)c, rc);
		return -1;
	}
	blk_fill(want, c);
	if (memcmp(want, buf, XEN_PAGE_SIZE)) {
		printk("memcounter: blk block of step %llu holds step %llu's data or garbage\n",
		       (unsigned long long)c, (unsigned long long)buf[0]);
		return -1;
	}
	return 0;
}

/* Writes step c's block, reads it back, checks step c - 1's. */
static int blk_step(uint64_t c)
{
	uint64_t *wbuf = (uint64_t *)blk_buf, *rbuf = (uint64_t *)(blk_buf + XEN_PAGE_SIZE);
	int rc;

	blk_fill(wbuf, c);
	rc = blkfront_rw_sync(&disk, BLKIF_OP_WRITE, (c % nblocks) * 8, wbuf, XEN_PAGE_SIZE);
	if (rc != BLKIF_RSP_OKAY) {
		printk("memcounter: blk write of step %llu failed: %d\n", (unsigned long long)c, rc);
		return -1;
	}
	if (blk_check(c, rbuf) < 0)
		return -1;
	return c > 1 && nblocks > 1 ? blk_check(c - 1, rbuf) : 0;
}

/* ---- suspend ------------------------------------------------------------ */

static void on_resume(struct suspend_hook *h, int new_domain)
{
	(void)h;
	resumed = new_domain ? 2 : 1;
}

static struct suspend_hook hook = { .name = "memcounter", .resume = on_resume };

static int step(uint64_t c, int use_blk)
{
	uint64_t have, want;
	int bad = 0, blk_bad = 0;

	pg[c % npages][0] = stamp(c);
	if (use_blk)
		blk_bad = blk_step(c) < 0;
	have = checksum_memory();
	want = checksum_model(c);
	printk("counter %llu checksum %016llx%s\n", (unsigned long long)c,
	       (unsigned long long)have, !use_blk ? "" : blk_bad ? " blk FAIL" : " blk ok");
	if (have != want) {
		printk("memcheck FAIL counter %llu: checksum %016llx, expected %016llx\n",
		       (unsigned long long)c, (unsigned long long)have, (unsigned long long)want);
		bad = 1;
	} else if (resumed || c % MC_OK_EVERY == 0) {
		printk("memcheck ok counter %llu%s\n", (unsigned long long)c,
		       resumed ? " after resume" : "");
	}
	resumed = 0;
	return bad || blk_bad;
}

int prog_memcounter(int argc, char **argv)
{
	int use_blk = argc > 1 && !strcmp(argv[1], "blk"), a = use_blk ? 2 : 1;
	uint64_t steps, mib, failures = 0;
	int rc;

	if (arg_u64(argc, argv, a, 0, &steps) < 0 || arg_u64(argc, argv, a + 1, 4, &mib) < 0 ||
	    mib == 0 || mib * 256 > MC_MAX_PAGES)
		return fail("memcounter: usage: memcounter [blk] [STEPS] [MIB 1..64]");
	if (region_alloc(mib) < 0)
		return fail("memcounter: no memory for %llu MiB", (unsigned long long)mib);
	if (use_blk) {
		rc = blk_open_disk(&disk, 0, 10000, NULL);
		if (rc < 0)
			return fail("memcounter: cannot open a disk: %d", rc);
		nblocks = MIN(disk.sectors / 8, (uint64_t)MC_BLOCKS);
		if (!nblocks || (disk.info & VDISK_READONLY))
			return fail("memcounter: the disk is too small or read-only");
	}
	suspend_register(&hook);
	printk("memcounter: region %llu MiB (%u pages), step %u ms%s\n", (unsigned long long)mib,
	       npages, MC_STEP_MS, use_blk ? ", blk" : "");
	if (checksum_memory() != checksum_model(0))
		return fail("memcounter: the region does not hold what was written");
	printk("memcheck ok counter 0\n");
	while (!steps || counter < steps) {
		counter++;
		failures += (uint64_t)step(counter, use_blk);
		msleep(MC_STEP_MS);
	}
	suspend_unregister(&hook);
	if (use_blk)
		blkfront_close(&disk);
	if (failures)
		return fail("memcounter: %llu of %llu steps failed", (unsigned long long)failures,
			    (unsigned long long)steps);
	return pass("memcounter %llu steps, %u suspends", (unsigned long long)steps,
		    suspend_stats.suspends);
}
