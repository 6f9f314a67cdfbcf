/* Test frames: Ethernet + IPv4/IPv6 + UDP/TCP, built byte by byte. */
#ifndef PVX_TEST_NET_FRAMES_H
#define PVX_TEST_NET_FRAMES_H

#include <stddef.h>
#include <stdint.h>

enum { FR_UDP4, FR_TCP4, FR_UDP6, FR_TCP6, FR_ARP, FR_ICMP4, FR_UDP4_VLAN, FR_FRAG4 };
/* Writes a frame of len bytes (>= headers) of that kind into buf; payload
 * bytes are a pattern seeded by seed. Returns the L4 offset (0 if none).
 * The L4 checksum field holds the pseudo-header sum (CHECKSUM_PARTIAL). */
size_t frame_build(uint8_t *buf, size_t len, int kind, unsigned seed);
/* True if the L4 checksum of the frame verifies (sum over pseudo-header
 * and segment is 0xffff). */
int frame_l4_ok(const uint8_t *buf, size_t len, int kind);

#endif
