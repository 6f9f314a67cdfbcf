/*
 * textring: a bounded byte log addressed by absolute offsets.
 *
 * Every byte ever appended has an offset (0, 1, 2, ...) that never
 * changes; the ring keeps only the newest `cap` bytes. A reader asks for
 * "bytes from offset X"; if X was already dropped it gets the oldest byte
 * still held and learns where that is. This is what PVX_CTL_DMESG serves
 * for each domain's console log and for pvxd's own log.
 *
 * Locking: the ring has its own mutex, so vCPU threads (console_io) and
 * the control thread (DMESG) may use it concurrently.
 */
#ifndef PVXD_TEXTRING_H
#define PVXD_TEXTRING_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

struct textring {
	pthread_mutex_t lock;
	char *buf;
	size_t cap;
	uint64_t head; /* offset one past the newest byte */
};

int textring_init(struct textring *r, size_t cap);
void textring_dispose(struct textring *r);
void textring_append(struct textring *r, const void *data, size_t len);
/* Copies up to max bytes starting at `offset` (or the oldest byte held if
 * that is later) into dst. *first is the offset of dst[0], *next the
 * offset to ask for next. Returns the number of bytes copied. */
size_t textring_read(struct textring *r, uint64_t offset, void *dst, size_t max,
		     uint64_t *first, uint64_t *next);

#endif
