/*
 * evq: domain state-change events on their way to subscribers.
 *
 * Any thread posts (a vCPU thread records a guest shutdown); the main
 * thread's event loop wakes on evq_fd() and drains the queue into every
 * subscribed control connection. Bounded: if subscribers fall that far
 * behind, the oldest events are dropped and a warning logged.
 */
#ifndef PVXD_EVQ_H
#define PVXD_EVQ_H

#include <pvx/ctl.h>

int evq_init(void);
void evq_exit(void);
int evq_fd(void);
void evq_post(const struct pvx_ctl_event *ev);
/* Calls fn for each queued event, oldest first, and empties the queue. */
void evq_drain(void (*fn)(const struct pvx_ctl_event *ev, void *arg), void *arg);

#endif
