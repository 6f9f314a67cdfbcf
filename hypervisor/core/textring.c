/*
 * textring: bounded byte log with absolute offsets (see textring.h).
 *
 * Invariant: bytes [head - held, head) are in buf, where held =
 * min(head, cap), and the byte at offset o lives at buf[o % cap].
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "textring.h"

int textring_init(struct textring *r, size_t cap)
{
	r->buf = malloc(cap);
	if (!r->buf)
		return -ENOMEM;
	r->cap = cap;
	r->head = 0;
	pthread_mutex_init(&r->lock, NULL);
	return 0;
}

void textring_dispose(struct textring *r)
{
	if (!r->buf)
		return;
	free(r->buf);
	r->buf = NULL;
	pthread_mutex_destroy(&r->lock);
}

void textring_append(struct textring *r, const void *data, size_t len)
{
	const char *p = data;

	pthread_mutex_lock(&r->lock);
	/* Only the last cap bytes of a huge append can survive anyway. */
	if (len > r->cap) {
		r->head += len - r->cap;
		p += len - r->cap;
		len = r->cap;
	}
	while (len) {
		size_t at = r->head % r->cap;
		size_t n = r->cap - at < len ? r->cap - at : len;

		memcpy(r->buf + at, p, n);
		r->head += n;
		p += n;
		len -= n;
	}
	pthread_mutex_unlock(&r->lock);
}

size_t textring_read(struct textring *r, uint64_t offset, void *dst, size_t max,
		     uint64_t *first, uint64_t *next)
{
	char *out = dst;
	size_t done = 0;

	pthread_mutex_lock(&r->lock);
	uint64_t oldest = r->head > r->cap ? r->head - r->cap : 0;

	if (offset < oldest)
		offset = oldest;
	if (offset > r->head)
		offset = r->head;
	*first = offset;
	while (done < max && offset < r->head) {
		size_t at = offset % r->cap;
		size_t n = r->cap - at;

		if (n > r->head - offset)
			n = r->head - offset;
		if (n > max - done)
			n = max - done;
		memcpy(out + done, r->buf + at, n);
		done += n;
		offset += n;
	}
	*next = offset;
	pthread_mutex_unlock(&r->lock);
	return done;
}
