/*
 * A small cooperative thread scheduler. Threads run at CPL3 until they
 * yield, wait for an event-channel port, sleep, or return. When nothing
 * is runnable the vCPU idles in SCHEDOP_poll on every port a thread waits
 * for plus the timer port, with the earliest sleep deadline armed as the
 * one-shot timer. No involuntary preemption, no locks: one vCPU, and
 * interrupts never run C code; a CPU-bound loop calls sched_preempt_point().
 */
#ifndef MINIOS_SCHED_H
#define MINIOS_SCHED_H

#include <stdint.h>

#include <xen/public/event_channel.h>

/* Saved state of a switched-out thread: callee-saved registers are on its
 * stack, rsp here (switch.asm). */
struct sched_context {
	uint64_t rsp;
};

#define SCHED_MAX_THREADS 16
#define SCHED_STACK_SIZE  (16 * 1024)
/* How long the idle loop watches pending bits before SCHEDOP_poll. */
#define SCHED_DEFAULT_SPIN_NS 50000ull
/* sched_preempt_point(): how long a thread keeps the CPU once a waiting
 * thread is ready (a woken control or xenbus thread waits at most this
 * plus one step of the loop), and once another thread is runnable. */
#define SCHED_PREEMPT_GRAN_NS 100000ull
#define SCHED_SLICE_NS        10000000ull

struct thread;
typedef void (*thread_fn)(void *arg);

void sched_init(void);
void sched_set_spin(uint64_t ns);
/* Creates a runnable thread; NULL if the table is full. */
struct thread *thread_create(const char *name, thread_fn fn, void *arg);
void thread_yield(void);
/* cond_resched: a CPU-bound loop calls this every step (cheap: a clock
 * read, then a look at the other threads). After SCHED_PREEMPT_GRAN_NS on
 * the CPU it yields to any thread whose port is pending, whose deadline
 * passed or whose condition holds; after SCHED_SLICE_NS to any runnable
 * one. The one point where a loop that never waits lets others run. */
void sched_preempt_point(void);
/* How many times sched_preempt_point() gave the CPU away. */
unsigned long sched_preemptions(void);
/* Sleeps until system time reaches deadline_ns. */
void thread_sleep_until(uint64_t deadline_ns);
/* Waits until port is pending, then clears it. */
void evtchn_wait(evtchn_port_t port);
/* As evtchn_wait, but gives up at deadline_ns: 1 event, 0 timeout. */
int evtchn_wait_until(evtchn_port_t port, uint64_t deadline_ns);
/* Waits until cond(arg) is true (evaluated by the scheduler whenever it
 * picks a thread: it must only read state) or deadline_ns passes (0:
 * never): 1 true, 0 timeout. The wait queue of this kernel: the thread
 * that changes the state needs no wake-up call. */
int thread_wait_cond(int (*cond)(void *), void *arg, uint64_t deadline_ns);
int thread_finished(const struct thread *t);
const char *thread_name(const struct thread *t);
unsigned sched_idle_polls(void);
/* Every thread waiting on a port gets a spurious event (suspend.c). */
void sched_wake_port_waiters(void);

/* switch.asm: saves callee-saved registers and rsp into *from, loads to. */
void sched_switch(struct sched_context *from, const struct sched_context *to);

#endif /* MINIOS_SCHED_H */
