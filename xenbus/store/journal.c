/*
 * Frames and buffers for pvxstored's snapshot and journal (journal.h).
 * CRC32C (Castagnoli): with SSE4.2's crc32 instruction where the CPU has
 * it (a restart checks the whole snapshot and journal: a byte-wise table
 * made loading a 100 MiB store 4x slower), else a table built on first
 * use from the reflected polynomial 0x82F63B78. Both give the same value.
 */
#include <stdlib.h>
#include <string.h>

#include "journal.h"

static uint32_t crc_table[256];
static bool crc_ready;

static void crc_init(void)
{
	uint32_t c, i, k;

	for (i = 0; i < 256; i++) {
		c = i;
		for (k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ 0x82F63B78u : c >> 1;
		crc_table[i] = c;
	}
	crc_ready = true;
}

uint32_t xs_crc32c_sw(uint32_t crc, const void *p, size_t n)
{
	const uint8_t *b = p;

	if (!crc_ready)
		crc_init();
	crc = ~crc;
	while (n--)
		crc = crc_table[(crc ^ *b++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

#if defined(__x86_64__)
__attribute__((target("sse4.2")))
static uint32_t crc_hw(uint32_t crc, const uint8_t *b, size_t n)
{
	uint64_t c = ~crc & 0xffffffffu, v;

	for (; n >= 8; b += 8, n -= 8) {
		memcpy(&v, b, 8);
		c = __builtin_ia32_crc32di(c, v);
	}
	crc = (uint32_t)c;
	while (n--)
		crc = __builtin_ia32_crc32qi(crc, *b++);
	return ~crc;
}

uint32_t xs_crc32c(uint32_t crc, const void *p, size_t n)
{
	static int hw = -1;

	if (hw < 0)
		hw = __builtin_cpu_supports("sse4.2") ? 1 : 0;
	return hw ? crc_hw(crc, p, n) : xs_crc32c_sw(crc, p, n);
}
#else
uint32_t xs_crc32c(uint32_t crc, const void *p, size_t n)
{
	return xs_crc32c_sw(crc, p, n);
}
#endif

static void le32(uint8_t *out, uint32_t v)
{
	out[0] = (uint8_t)v;
	out[1] = (uint8_t)(v >> 8);
	out[2] = (uint8_t)(v >> 16);
	out[3] = (uint8_t)(v >> 24);
}

static uint32_t rd32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

void journal_frame_hdr(uint8_t hdr[JOURNAL_HDR], const void *p, uint32_t n)
{
	le32(hdr, n);
	le32(hdr + 4, xs_crc32c(xs_crc32c(0, hdr, 4), p, n));
}

enum journal_next_rc journal_next(const uint8_t *buf, size_t len, size_t *off,
				  const uint8_t **payload, uint32_t *plen)
{
	size_t left = len - *off;
	uint32_t n;

	if (left == 0)
		return JOURNAL_END;
	if (left < JOURNAL_HDR)
		return JOURNAL_TORN;
	n = rd32(buf + *off);
	if (n > JOURNAL_FRAME_MAX)
		return JOURNAL_BAD;
	if (left - JOURNAL_HDR < n)
		return JOURNAL_TORN;
	if (xs_crc32c(xs_crc32c(0, buf + *off, 4), buf + *off + JOURNAL_HDR, n) !=
	    rd32(buf + *off + 4))
		return JOURNAL_BAD;
	*payload = buf + *off + JOURNAL_HDR;
	*plen = n;
	*off += JOURNAL_HDR + n;
	return JOURNAL_FRAME;
}

void jb_put(struct jbuf *b, const void *p, size_t n)
{
	size_t cap;
	uint8_t *q;

	if (b->err || !n)
		return;
	if (b->len + n > b->cap) {
		cap = b->cap ? b->cap : 4096;
		while (cap < b->len + n)
			cap *= 2;
		q = realloc(b->p, cap);
		if (!q) {
			b->err = true;
			return;
		}
		b->p = q;
		b->cap = cap;
	}
	memcpy(b->p + b->len, p, n);
	b->len += n;
}

void jb_put8(struct jbuf *b, uint8_t v) { jb_put(b, &v, 1); }
void jb_put32(struct jbuf *b, uint32_t v) { jb_put(b, &v, sizeof(v)); }
void jb_put64(struct jbuf *b, uint64_t v) { jb_put(b, &v, sizeof(v)); }

void jb_str(struct jbuf *b, const char *s, uint32_t n)
{
	jb_put32(b, n);
	jb_put(b, s, n);
}

void jb_reset(struct jbuf *b)
{
	b->len = 0;
	b->err = false;
	if (b->cap > (1u << 20)) {
		free(b->p);
		b->p = NULL;
		b->cap = 0;
	}
}

void jb_free(struct jbuf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}
