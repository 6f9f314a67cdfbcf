/*
 * The io_uring engine against a temp file: writes, reads back, linked
 * write+fdatasync, discard, and a batch larger than the submission queue.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

static int results[64];
static uint64_t seen[64];
static int nseen;

static void done(uint64_t ud, int res)
{
	ck_assert_int_lt(nseen, 64);
	seen[nseen] = ud;
	results[nseen++] = res;
}

static void wait_for(struct blkback_io *io, int n)
{
	while (nseen < n)
		ck_assert_int_ge(blkback_io_wait(io, done), 0);
}

START_TEST(write_sync_read)
{
	struct blkback_io io;
	static char wbuf[8192], rbuf[8192];
	struct iovec wv[2] = { { wbuf, 4096 }, { wbuf + 4096, 4096 } };
	struct iovec rv = { rbuf, 8192 };
	int fd = temp_disk(1 << 20);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(blkback_io_init(&io, 8), 0);
	memset(wbuf, 0x3c, sizeof(wbuf));
	ck_assert_int_eq(blkback_io_rw(&io, true, fd, wv, 2, 65536, 1, true), 0);
	ck_assert_int_eq(blkback_io_fdatasync(&io, fd, 2), 0);
	wait_for(&io, 2);
	ck_assert_int_eq(results[0], 8192);
	ck_assert_int_eq(results[1], 0);
	ck_assert_uint_eq(seen[0], 1); /* link: the sync finishes after the write */
	ck_assert_int_eq(blkback_io_rw(&io, false, fd, &rv, 1, 65536, 3, false), 0);
	wait_for(&io, 3);
	ck_assert_int_eq(results[2], 8192);
	ck_assert_mem_eq(rbuf, wbuf, 8192);
	/* Discard punches a hole: the range reads back as zeroes. */
	ck_assert_int_eq(blkback_io_discard(&io, fd, 65536, 4096, 4), 0);
	wait_for(&io, 4);
	ck_assert_int_eq(results[3], 0);
	ck_assert_int_eq(pread(fd, rbuf, 8192, 65536), 8192);
	for (int i = 0; i < 4096; i++)
		ck_assert_int_eq(rbuf[i], 0);
	ck_assert_int_eq(rbuf[4096], 0x3c);
	blkback_io_dispose(&io);
	close(fd);
}
END_TEST

/* 40 operations through a 4-entry queue: the engine submits as it fills. */
START_TEST(batch_overflows_sq)
{
	struct blkback_io io;
	static char buf[40][512];
	static struct iovec v[40];
	int fd = temp_disk(1 << 20);

	ck_assert_int_eq(blkback_io_init(&io, 4), 0);
	for (int i = 0; i < 40; i++) {
		memset(buf[i], i, 512);
		v[i] = (struct iovec){ buf[i], 512 };
		ck_assert_int_eq(blkback_io_rw(&io, true, fd, &v[i], 1, (uint64_t)i * 512,
					       (uint64_t)i + 100, false), 0);
	}
	wait_for(&io, 40);
	for (int i = 0; i < 40; i++)
		ck_assert_int_eq(results[i], 512);
	for (int i = 0; i < 40; i++) {
		char c;
		ck_assert_int_eq(pread(fd, &c, 1, (off_t)i * 512 + 100), 1);
		ck_assert_int_eq(c, i);
	}
	blkback_io_dispose(&io);
	close(fd);
}
END_TEST

/* A read past a bad fd completes with an error, not a crash. */
START_TEST(error_completion)
{
	struct blkback_io io;
	char buf[512];
	struct iovec v = { buf, 512 };

	ck_assert_int_eq(blkback_io_init(&io, 4), 0);
	ck_assert_int_eq(blkback_io_rw(&io, false, 1000, &v, 1, 0, 7, false), 0);
	wait_for(&io, 1);
	ck_assert_int_eq(results[0], -EBADF);
	blkback_io_dispose(&io);
}
END_TEST

Suite *make_io_suite(void)
{
	Suite *s = suite_create("io");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, write_sync_read);
	tcase_add_test(tc, batch_overflows_sq);
	tcase_add_test(tc, error_completion);
	suite_add_tcase(s, tc);
	return s;
}
