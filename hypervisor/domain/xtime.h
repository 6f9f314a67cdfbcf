/*
 * xtime: Xen time for a domain's guests.
 *
 * System time is nanoseconds since the domain was created, on the host's
 * CLOCK_MONOTONIC. Each vCPU's vcpu_time_info pairs a guest TSC stamp
 * with a system time and gives the TSC->ns scale (mul/shift from
 * the platform's TSC frequency), with Xen's version protocol: odd while we write.
 * shared_info's wc_* is the wallclock (UTC) at system time 0.
 *
 * Callers hold the evtchn lock (it guards where vcpu_info lives).
 */
#ifndef PVXD_XTIME_H
#define PVXD_XTIME_H

#include <stdint.h>

struct domain;
struct vcpu;
struct vcpu_time_info;

void xtime_init(struct domain *d);
/* Computes Xen's (mul, shift) so ns = ((tsc << shift) * mul) >> 32. */
void xtime_scale(uint64_t tsc_hz, uint32_t *mul, int8_t *shift);
void xtime_update_vcpu(struct vcpu *v);
void xtime_update_wc(struct domain *d);
/* Locks the evtchn lock itself. */
void xtime_update_all(struct domain *d);

#endif
