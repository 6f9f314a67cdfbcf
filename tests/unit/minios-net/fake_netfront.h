/* Host fakes of the netfront calls guest/net/ makes (fake_netfront.c). */
#ifndef TEST_MINIOS_NET_FAKE_NETFRONT_H
#define TEST_MINIOS_NET_FAKE_NETFRONT_H

#include <minios/net.h>

#define FAKE_SENT_MAX 16

struct sent_frame {
	uint8_t f[2048];
	unsigned len;
};
extern struct sent_frame sent[FAKE_SENT_MAX];
extern unsigned nsent, pushes;
extern int tx_exhausted;
void fake_net_reset(void);
uint64_t time_now_ns(void);

#endif
