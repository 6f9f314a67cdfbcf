/*
 * sched_op hypercall (29): arg 1 = SCHEDOP_*, arg 2 = GVA of the struct
 * (none for yield and block). SCHEDOP_shutdown is how a domain ends.
 */
#ifndef XEN_PUBLIC_SCHED_H
#define XEN_PUBLIC_SCHED_H

#include <stdint.h>
#include "event_channel.h"

#define SCHEDOP_yield           0 /* give up the CPU, stay runnable */
#define SCHEDOP_block           1 /* sleep until an event is pending */
#define SCHEDOP_shutdown        2 /* struct sched_shutdown */
#define SCHEDOP_poll            3 /* struct sched_poll */
#define SCHEDOP_remote_shutdown 4 /* struct sched_remote_shutdown */
#define SCHEDOP_shutdown_code   5 /* struct sched_shutdown: record reason only */
#define SCHEDOP_watchdog        6 /* struct sched_watchdog */
#define SCHEDOP_pin_override    7 /* struct sched_pin_override */

#define SHUTDOWN_poweroff   0
#define SHUTDOWN_reboot     1
#define SHUTDOWN_suspend    2
#define SHUTDOWN_crash      3
#define SHUTDOWN_watchdog   4
#define SHUTDOWN_soft_reset 5
#define SHUTDOWN_MAX        5

/* 4 bytes. */
struct sched_shutdown {
	uint32_t reason;   /* SHUTDOWN_* */
};

/* Block until one of ports is pending or timeout (absolute ns, 0 = none). 24 bytes. */
struct sched_poll {
	XEN_GUEST_HANDLE(evtchn_port_t) ports;
	uint32_t nr_ports;
	uint32_t pad;
	uint64_t timeout;
};

/* 8 bytes. */
struct sched_remote_shutdown {
	domid_t domain_id;
	uint16_t pad;
	uint32_t reason;
};

/* id 0 creates a watchdog; timeout 0 destroys it. 8 bytes. */
struct sched_watchdog {
	uint32_t id;
	uint32_t timeout;  /* seconds */
};

/* 4 bytes. */
struct sched_pin_override {
	int32_t pcpu;
};

#endif /* XEN_PUBLIC_SCHED_H */
