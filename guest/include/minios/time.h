/*
 * Time from Xen's vcpu_time_info (in the registered vcpu_info):
 * system time in ns = system_time + ((tsc - tsc_timestamp) scaled by
 * tsc_to_system_mul and tsc_shift), read under the version seqlock.
 * rdtsc runs natively at CPL3 (docs/kvm-pvm.md).
 *
 * Timers: VCPUOP_set_singleshot_timer raises VIRQ_TIMER, bound at init;
 * the scheduler idles in SCHEDOP_poll on that port (sched.c).
 */
#ifndef MINIOS_TIME_H
#define MINIOS_TIME_H

#include <stdint.h>

#include <xen/public/event_channel.h>

int time_init(void);
int time_available(void);
uint64_t time_now_ns(void);
/* Arms the one-shot timer for system time deadline_ns (VIRQ_TIMER). */
int time_set_timer(uint64_t deadline_ns);
evtchn_port_t time_timer_port(void);
/* Suspend (suspend.c): the clock stands still from time_suspend() to
 * time_resume(), which also re-binds VIRQ_TIMER in a new domain. */
void time_suspend(void);
int time_resume(int new_domain);
/* A minios-time deadline as the hypervisor's system time (0 stays 0). */
uint64_t time_to_hv(uint64_t ns);

/* Sleeps the calling thread (scheduler) for ms milliseconds. */
void msleep(uint64_t ms);

#endif /* MINIOS_TIME_H */
