/*
 * The I/O engine: one io_uring for the whole daemon.
 *
 * Rings queue operations as they consume requests; the daemon submits the
 * whole batch with one io_uring_enter per wake-up (blkback_io_submit), and
 * the kernel signals completions through an eventfd registered with the
 * ring, which libevent watches. blkback_io_reap then drains every CQE in
 * one pass. If the submission queue fills mid-batch, what is queued goes
 * in at once and preparation continues. Linked operations (write then
 * fdatasync, for FLUSH with data and barriers) use IOSQE_IO_LINK: the
 * sync starts only after the write succeeded, and is cancelled (-ECANCELED)
 * if it did not.
 */
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "blkback.h"

int blkback_io_init(struct blkback_io *io, unsigned entries)
{
	int rc;

	io->queued = 0;
	io->event_fd = -1;
	io->uring = calloc(1, sizeof(*io->uring));
	if (!io->uring)
		return -ENOMEM;
	rc = io_uring_queue_init(entries, io->uring, 0);
	if (rc < 0)
		goto err_free;
	io->event_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (io->event_fd < 0) {
		rc = -errno;
		goto err_exit;
	}
	rc = io_uring_register_eventfd(io->uring, io->event_fd);
	if (rc < 0)
		goto err_close;
	return 0;
err_close:
	close(io->event_fd);
	io->event_fd = -1;
err_exit:
	io_uring_queue_exit(io->uring);
err_free:
	free(io->uring);
	io->uring = NULL;
	return rc;
}

void blkback_io_dispose(struct blkback_io *io)
{
	if (io->uring) {
		io_uring_queue_exit(io->uring);
		free(io->uring);
		io->uring = NULL;
	}
	if (io->event_fd >= 0)
		close(io->event_fd);
	io->event_fd = -1;
}

static struct io_uring_sqe *next_sqe(struct blkback_io *io)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(io->uring);

	if (!sqe) {
		/* Queue full: push the batch so far into the kernel. */
		if (blkback_io_submit(io) < 0)
			return NULL;
		sqe = io_uring_get_sqe(io->uring);
	}
	if (sqe)
		io->queued++;
	return sqe;
}

int blkback_io_rw(struct blkback_io *io, bool write, int fd, const struct iovec *iov,
		  unsigned niov, uint64_t off, uint64_t user_data, bool link)
{
	struct io_uring_sqe *sqe = next_sqe(io);

	if (!sqe)
		return -EBUSY;
	if (write)
		io_uring_prep_writev(sqe, fd, iov, niov, off);
	else
		io_uring_prep_readv(sqe, fd, iov, niov, off);
	if (link)
		sqe->flags |= IOSQE_IO_LINK;
	io_uring_sqe_set_data64(sqe, user_data);
	return 0;
}

int blkback_io_fdatasync(struct blkback_io *io, int fd, uint64_t user_data)
{
	struct io_uring_sqe *sqe = next_sqe(io);

	if (!sqe)
		return -EBUSY;
	io_uring_prep_fsync(sqe, fd, IORING_FSYNC_DATASYNC);
	io_uring_sqe_set_data64(sqe, user_data);
	return 0;
}

int blkback_io_discard(struct blkback_io *io, int fd, uint64_t off, uint64_t len,
		       uint64_t user_data)
{
	struct io_uring_sqe *sqe = next_sqe(io);

	if (!sqe)
		return -EBUSY;
	io_uring_prep_fallocate(sqe, fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
				off, len);
	io_uring_sqe_set_data64(sqe, user_data);
	return 0;
}

int blkback_io_submit(struct blkback_io *io)
{
	int rc;

	if (!io->queued)
		return 0;
	do
		rc = io_uring_submit(io->uring);
	while (rc == -EINTR);
	if (rc >= 0)
		io->queued = 0;
	return rc;
}

int blkback_io_reap_ready(struct blkback_io *io, blkback_io_done_fn done)
{
	struct io_uring_cqe *cqe;
	int n = 0;

	while (io_uring_cq_ready(io->uring) && io_uring_peek_cqe(io->uring, &cqe) == 0) {
		uint64_t ud = io_uring_cqe_get_data64(cqe);
		int res = cqe->res;

		io_uring_cqe_seen(io->uring, cqe);
		done(ud, res);
		n++;
	}
	return n;
}

int blkback_io_reap(struct blkback_io *io, blkback_io_done_fn done)
{
	eventfd_t junk;

	(void)eventfd_read(io->event_fd, &junk); /* re-arm; CQEs are the truth */
	return blkback_io_reap_ready(io, done);
}

int blkback_io_wait(struct blkback_io *io, blkback_io_done_fn done)
{
	struct io_uring_cqe *cqe;
	int rc = blkback_io_submit(io);

	if (rc < 0)
		return rc;
	do
		rc = io_uring_wait_cqe(io->uring, &cqe);
	while (rc == -EINTR);
	if (rc < 0)
		return rc;
	return blkback_io_reap(io, done);
}
