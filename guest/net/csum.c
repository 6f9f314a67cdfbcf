/*
 * The Internet checksum (RFC 1071): a 32-bit running sum of big-endian
 * 16-bit words, folded and inverted at the end. Summed 8 bytes at a time
 * into 64 bits (carries land in the upper half), since udp-source and the
 * echo server checksum up to 1480 bytes per datagram.
 */
#include <minios/net.h>

uint32_t net_csum_add(uint32_t sum, const uint8_t *p, unsigned len)
{
	uint64_t acc = sum;

	/* 4 bytes at a time as big-endian words: no alignment assumption. */
	while (len >= 4) {
		acc += (uint32_t)p[0] << 8 | p[1];
		acc += (uint32_t)p[2] << 8 | p[3];
		p += 4;
		len -= 4;
	}
	if (len >= 2) {
		acc += (uint32_t)p[0] << 8 | p[1];
		p += 2;
		len -= 2;
	}
	if (len)
		acc += (uint32_t)p[0] << 8;
	while (acc >> 32)
		acc = (acc & 0xffffffffu) + (acc >> 32);
	return (uint32_t)acc;
}

uint16_t net_csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}
