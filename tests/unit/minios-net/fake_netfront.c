/*
 * The netfront calls guest/net/ makes, faked on the host: tx buffers come
 * from a small pool, and every frame "sent" is copied into sent[] for the
 * test to inspect; a clock for the ARP cache.
 */
#include <string.h>

#include <xen/public/errno.h>

#include "fake_netfront.h"

struct sent_frame sent[FAKE_SENT_MAX];
unsigned nsent, pushes;
int tx_exhausted;
static uint8_t bufs[4][2048];
static int used[4];
static uint64_t clock_ns = 1000000000ull;

void fake_net_reset(void)
{
	nsent = pushes = 0;
	tx_exhausted = 0;
	memset(used, 0, sizeof(used));
}

uint64_t time_now_ns(void)
{
	return clock_ns += 1000;
}

uint8_t *netfront_tx_get(struct netfront_dev *d)
{
	(void)d;
	for (int i = 0; i < 4 && !tx_exhausted; i++)
		if (!used[i]) {
			used[i] = 1;
			return bufs[i];
		}
	return NULL;
}

uint8_t *netfront_tx_get_wait(struct netfront_dev *d, uint64_t deadline_ns)
{
	(void)deadline_ns;
	return netfront_tx_get(d);
}

static int idx(const uint8_t *b)
{
	for (int i = 0; i < 4; i++)
		if (b == bufs[i])
			return i;
	return -1;
}

void netfront_tx_drop(struct netfront_dev *d, uint8_t *buf)
{
	(void)d;
	if (idx(buf) >= 0)
		used[idx(buf)] = 0;
}

int netfront_tx_put(struct netfront_dev *d, uint8_t *buf, unsigned len, unsigned flags)
{
	int i = idx(buf);

	(void)d, (void)flags;
	if (i < 0 || !used[i] || len > 2048)
		return -XEN_EINVAL;
	if (nsent < FAKE_SENT_MAX) {
		memcpy(sent[nsent].f, buf, len);
		sent[nsent++].len = len;
	}
	used[i] = 0;
	return 0;
}

void netfront_tx_push(struct netfront_dev *d)
{
	(void)d;
	pushes++;
}

int netfront_poll(struct netfront_dev *d)
{
	(void)d;
	return 0;
}

int netfront_wait(struct netfront_dev *d, uint64_t deadline_ns)
{
	(void)d;
	clock_ns = deadline_ns;
	return 0;
}
