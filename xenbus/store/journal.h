/*
 * The framing shared by pvxstored's snapshot and journal (journal.c):
 * a file is a sequence of frames, each
 *     u32 length | u32 CRC32C(length, payload) | payload
 * (little-endian), so a reader can tell a complete frame from a torn or
 * corrupted one without trusting any byte it has not checked. Payloads
 * are records built with the jbuf helpers (format in persist.c).
 */
#ifndef XS_JOURNAL_H
#define XS_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JOURNAL_HDR 8
/* No frame is larger: a snapshot is cut into 64 KiB frames and one
 * request's changes are bounded by the transaction quotas. A length
 * above this is corruption, not a frame to wait for. */
#define JOURNAL_FRAME_MAX (64u << 20)

/* A growable byte buffer; err is set (and data dropped) when it cannot
 * grow, and checked once at the end. */
struct jbuf {
	uint8_t *p;
	size_t len, cap;
	bool err;
};

void jb_put(struct jbuf *b, const void *p, size_t n);
void jb_put8(struct jbuf *b, uint8_t v);
void jb_put32(struct jbuf *b, uint32_t v);
void jb_put64(struct jbuf *b, uint64_t v);
void jb_str(struct jbuf *b, const char *s, uint32_t n);
void jb_reset(struct jbuf *b);  /* empties, gives back a big buffer */
void jb_free(struct jbuf *b);

uint32_t xs_crc32c(uint32_t crc, const void *p, size_t n);
uint32_t xs_crc32c_sw(uint32_t crc, const void *p, size_t n);  /* the table */
/* The 8-byte header of a frame carrying payload p of n bytes. */
void journal_frame_hdr(uint8_t hdr[JOURNAL_HDR], const void *p, uint32_t n);

enum journal_next_rc {
	JOURNAL_FRAME,   /* *payload, *plen set; *off moved past the frame */
	JOURNAL_END,     /* *off == len: nothing more */
	JOURNAL_TORN,    /* the bytes left are shorter than the frame says */
	JOURNAL_BAD,     /* CRC mismatch or impossible length */
};
/* The frame at *off in buf[0..len). */
enum journal_next_rc journal_next(const uint8_t *buf, size_t len, size_t *off,
				  const uint8_t **payload, uint32_t *plen);

#endif /* XS_JOURNAL_H */
