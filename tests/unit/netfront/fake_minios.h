/* The host fakes of the minios services netfront.c uses (fake_minios.c,
 * over the shared ../frontfake/fake_xs.c). */
#ifndef TEST_NETFRONT_FAKE_MINIOS_H
#define TEST_NETFRONT_FAKE_MINIOS_H

#include <stdint.h>

#include "../../../pv-drivers/net/front/netfront.h"
#include "../frontfake/fake_xs.h"

void fake_reset(void); /* fake_xs_reset(), and this driver's counters */
extern int rings_live, io_live, io_setup_rc, ports_closed;
int evtchn_close(evtchn_port_t port);

#endif
