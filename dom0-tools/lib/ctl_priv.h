/*
 * libpvxctl internals shared by its files: the connection object.
 *
 * Replies and unsolicited events share one socket. A call that meets an
 * event while it waits for its reply parks the event in a small ring so a
 * later pvx_ctl_read_event() returns it; nothing that pvxd sent is lost
 * unless a caller ignores more than EVQ_CAP events in a row.
 */
#ifndef PVX_LIB_CTL_PRIV_H
#define PVX_LIB_CTL_PRIV_H

#include <stdint.h>
#include <pvx/ctl.h>

#define EVQ_CAP 64
#define CTL_MAX_FDS 4 /* most fds any reply may carry */

struct pvx_ctl {
	int fd;
	uint32_t seq;
	uint8_t *buf;   /* one datagram: header + PVX_CTL_MAX_PAYLOAD */
	struct pvx_ctl_event evq[EVQ_CAP];
	unsigned evq_head, evq_len;
};

#define CTL_BUF_SIZE (sizeof(struct pvx_ctl_hdr) + PVX_CTL_MAX_PAYLOAD)

#endif /* PVX_LIB_CTL_PRIV_H */
