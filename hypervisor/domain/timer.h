/*
 * timer: Xen per-vCPU singleshot timers on host timerfds.
 *
 * The deadline is in the domain's system time (xtime.h). The main loop
 * watches every vCPU's timerfd; on expiry it raises VIRQ_TIMER on that
 * vCPU and wakes it if it is blocked (also when VIRQ_TIMER is not bound,
 * so a guest that blocks until a deadline always returns). vCPU threads
 * only call timerfd_settime, which is thread-safe; libevent is touched
 * from the main thread alone.
 */
#ifndef PVXD_TIMER_H
#define PVXD_TIMER_H

#include <stdint.h>

struct domain;
struct event_base;
struct vcpu;

void timer_set_base(struct event_base *base);
int timer_dom_init(struct domain *d);
void timer_dom_exit(struct domain *d);
/* deadline: system time ns; 0 stops the timer. */
int timer_set(struct vcpu *v, uint64_t deadline);

#endif
