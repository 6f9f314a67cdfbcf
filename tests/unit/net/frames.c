/* Test frames for the checksum, tx and rx suites (see frames.h). Its own
 * checksum code, so the library's is checked against something else. */
#include <string.h>

#include "frames.h"

static uint32_t sum16(uint32_t s, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	return s;
}

static uint16_t fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

static void put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static const uint8_t a4[8] = { 10, 0, 0, 1, 10, 0, 0, 2 };
static const uint8_t a6[32] = { 0xfd, 0, [15] = 1, [16] = 0xfd, [31] = 2 };

static int is6(int kind)
{
	return kind == FR_UDP6 || kind == FR_TCP6;
}

static int is_tcp(int kind)
{
	return kind == FR_TCP4 || kind == FR_TCP6;
}

/* Pseudo-header sum of an L4 segment of n bytes. */
static uint32_t pseudo(int kind, size_t n)
{
	uint32_t s = is6(kind) ? sum16(0, a6, 32) : sum16(0, a4, 8);

	return s + (is_tcp(kind) ? 6 : 17) + (uint32_t)(n >> 16) + (uint32_t)(n & 0xffff);
}

size_t frame_build(uint8_t *buf, size_t len, int kind, unsigned seed)
{
	size_t l3 = 14, l4;
	unsigned type = kind == FR_ARP ? 0x0806 : is6(kind) ? 0x86dd : 0x0800;

	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)(seed * 131 + i * 7 + (i >> 8));
	memset(buf, 0xff, 6);
	memcpy(buf + 6, "\x00\x16\x3e\x00\x00\x01", 6);
	if (kind == FR_UDP4_VLAN) {
		put16(buf + 12, 0x8100);
		put16(buf + 14, 5);
		l3 += 4;
	}
	put16(buf + l3 - 2, type);
	if (kind == FR_ARP)
		return 0;
	if (is6(kind)) {
		memset(buf + l3, 0, 40);
		buf[l3] = 0x60;
		put16(buf + l3 + 4, (unsigned)(len - l3 - 40));
		buf[l3 + 6] = is_tcp(kind) ? 6 : 17;
		buf[l3 + 7] = 64;
		memcpy(buf + l3 + 8, a6, 32);
		l4 = l3 + 40;
	} else {
		memset(buf + l3, 0, 20);
		buf[l3] = 0x45;
		put16(buf + l3 + 2, (unsigned)(len - l3));
		put16(buf + l3 + 6, kind == FR_FRAG4 ? 0x2000 : 0x4000);
		buf[l3 + 8] = 64;
		buf[l3 + 9] = is_tcp(kind) ? 6 : kind == FR_ICMP4 ? 1 : 17;
		memcpy(buf + l3 + 12, a4, 8);
		put16(buf + l3 + 10, (uint16_t)~fold(sum16(0, buf + l3, 20)));
		l4 = l3 + 20;
	}
	if (kind == FR_ICMP4)
		return 0;
	if (is_tcp(kind)) {
		buf[l4 + 12] = 0x50;
		put16(buf + l4 + 16, fold(pseudo(kind, len - l4)));
	} else {
		put16(buf + l4 + 4, (unsigned)(len - l4));
		put16(buf + l4 + 6, fold(pseudo(kind, len - l4)));
	}
	return l4;
}

int frame_l4_ok(const uint8_t *buf, size_t len, int kind)
{
	size_t l4 = (kind == FR_UDP4_VLAN ? 18 : 14) + (is6(kind) ? 40 : 20);

	return fold(sum16(pseudo(kind, len - l4), buf + l4, len - l4)) == 0xffff;
}
