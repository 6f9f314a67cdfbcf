/* Host fakes for netfront_io.c (fake_io.c). */
#ifndef TEST_NETFRONT_FAKE_IO_H
#define TEST_NETFRONT_FAKE_IO_H

#include <stdint.h>

#include "../../../pv-drivers/net/front/netfront.h"

extern int grants_live, grants_ro, sends;
extern uint64_t io_clock_ns;
extern int (*fake_io_wait)(void);   /* nonzero: "an event came" */

int gnttab_grant_page(domid_t domid, const void *page, int readonly, grant_ref_t *ref);
int gnttab_end_access(grant_ref_t ref);
int evtchn_send(evtchn_port_t port);
uint64_t time_now_ns(void);
int evtchn_wait_until(evtchn_port_t port, uint64_t deadline_ns);

#endif
