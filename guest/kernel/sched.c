/*
 * Cooperative threads. Slot 0 is the boot thread (minios_main on the
 * main stack); other slots get a static stack each. A thread is
 *   RUNNABLE  - may run; picked round robin after the current one,
 *   WAITING   - for a port to become pending and/or a deadline to pass,
 *   DONE      - returned; its slot and stack are reused by thread_create.
 *
 * schedule() is the only place that switches. When no thread is runnable
 * the vCPU idles: it sleeps in SCHEDOP_poll on every waited port plus the
 * timer port, with the earliest deadline as the poll's timeout, so the
 * hypervisor wakes it for exactly the events someone wants (events stay
 * masked: no upcall interrupts, no CPL0 work). A thread woken by its port
 * clears the pending bit itself (evtchn_wait), so an event that arrives
 * while nobody waits stays latched until someone does.
 *
 * Before sleeping in the hypervisor the idle loop spins for a short while
 * (sched_spin_ns, "spin=US" on the command line) reading the pending bits
 * at CPL3: the hypervisor sets them from another host thread, so an
 * answer that comes back within the spin costs no exit and no wakeup
 * (ARCHITECTURE §1a: a SCHEDOP_poll round trip is ~24 us, a shared-memory
 * ping-pong 73 ns).
 *
 * Preemption points (sched_preempt_point, Linux's cond_resched): a
 * CPU-bound loop calls it, and once its thread has run for
 * SCHED_PREEMPT_GRAN_NS it gives the CPU to any thread an event, a
 * deadline or a condition made ready (a thread that is merely runnable,
 * another CPU hog, gets it after SCHED_SLICE_NS). Without it a thread
 * that never waits keeps the control and xenbus threads off the CPU for
 * as long as it runs: a dirtier under a live migration's dirty log (every
 * first write a fault) answered control/shutdown = suspend after 0.1-2 s
 * (docs/performance.md). The switch is voluntary, at a point the program
 * chose, because this kernel has no locks: an interrupt that switched
 * threads in the middle of a xenstore request or a printk would corrupt
 * them, so the upcall stays a counter.
 */
#include <xen/public/sched.h>

#include <minios/arch.h>
#include <minios/console.h>
#include <minios/events.h>
#include <minios/hypercall.h>
#include <minios/lib.h>
#include <minios/sched.h>
#include <minios/time.h>

enum thread_state { T_FREE, T_RUNNABLE, T_WAITING, T_DONE };

struct thread {
	struct sched_context ctx;
	enum thread_state state;
	const char *name;
	thread_fn fn;
	void *arg;
	int has_port;
	evtchn_port_t port;
	uint64_t deadline;          /* 0: none */
	int (*cond)(void *);        /* thread_wait_cond: ready once true */
	void *cond_arg;
	uint64_t since;             /* system time it last got the CPU */
};

static struct thread threads[SCHED_MAX_THREADS];
static uint8_t stacks[SCHED_MAX_THREADS - 1][SCHED_STACK_SIZE]
	__attribute__((aligned(16)));
static struct thread *current;
static unsigned idle_polls;
static unsigned long preemptions;
static uint64_t spin_ns = SCHED_DEFAULT_SPIN_NS;
static uint64_t armed_deadline;

void sched_init(void)
{
	threads[0].state = T_RUNNABLE;
	threads[0].name = "main";
	current = &threads[0];
}

static int thread_ready(const struct thread *t, uint64_t now)
{
	if (t->state == T_RUNNABLE)
		return 1;
	if (t->state != T_WAITING)
		return 0;
	if (t->has_port && evtchn_pending(t->port))
		return 1;
	if (t->cond && t->cond(t->cond_arg))
		return 1;
	return t->deadline && now >= t->deadline;
}

/* The next ready thread after prev in round-robin order (prev itself
 * last), made RUNNABLE; NULL if none. */
static struct thread *pick(struct thread *prev)
{
	unsigned start = (unsigned)(prev - threads), i;
	uint64_t now = time_now_ns();

	for (i = 1; i <= SCHED_MAX_THREADS; i++) {
		struct thread *t = &threads[(start + i) % SCHED_MAX_THREADS];

		if (thread_ready(t, now)) {
			t->state = T_RUNNABLE;
			return t;
		}
	}
	return NULL;
}

static void add_port(evtchn_port_t *ports, unsigned *n, evtchn_port_t p)
{
	unsigned i;

	for (i = 0; i < *n; i++)
		if (ports[i] == p)
			return;
	ports[(*n)++] = p;
}

void sched_set_spin(uint64_t ns)
{
	spin_ns = ns;
}

/* Something a waiting thread wants, without leaving CPL3? */
static int spin_for_event(uint64_t until)
{
	uint64_t now;
	unsigned i;

	do {
		now = time_now_ns();
		for (i = 0; i < SCHED_MAX_THREADS; i++)
			if (threads[i].state == T_WAITING && thread_ready(&threads[i], now))
				return 1;
		cpu_relax();
	} while (now < until);
	return 0;
}

static void idle(void)
{
	evtchn_port_t ports[SCHED_MAX_THREADS + 1];
	uint64_t deadline = 0;
	unsigned n = 0, i;
	int rc;

	for (i = 0; i < SCHED_MAX_THREADS; i++) {
		const struct thread *t = &threads[i];

		if (t->state != T_WAITING)
			continue;
		if (t->has_port)
			add_port(ports, &n, t->port);
		if (t->deadline && (!deadline || t->deadline < deadline))
			deadline = t->deadline;
	}
	if (deadline && time_timer_port())
		add_port(ports, &n, time_timer_port());
	if (n && spin_ns && time_available() && spin_for_event(time_now_ns() + spin_ns))
		return;
	evtchn_ack_upcall();
	idle_polls++;
	/* SCHEDOP_poll takes the deadline itself; the one-shot timer, an exit
	 * of its own (~25 us here), is armed only for SCHEDOP_block. */
	rc = evtchn_poll(ports, n, deadline);
	if (rc < 0) {
		if (deadline && deadline != armed_deadline && time_set_timer(deadline) == 0)
			armed_deadline = deadline;
		if (sched_op(SCHEDOP_block, NULL) < 0)
			sched_op(SCHEDOP_yield, NULL);
	}
	if (time_timer_port())
		evtchn_clear(time_timer_port());
}

static void schedule(void)
{
	struct thread *prev = current, *next;

	while (!(next = pick(prev)))
		idle();
	next->since = time_now_ns();
	if (next == prev)
		return;
	current = next;
	sched_switch(&prev->ctx, &next->ctx);
}

static void thread_start(void) __attribute__((noreturn));

static void thread_start(void)
{
	current->fn(current->arg);
	current->state = T_DONE;
	schedule();
	for (;;)
		; /* not reached: a DONE thread is never picked again */
}

struct thread *thread_create(const char *name, thread_fn fn, void *arg)
{
	unsigned i;

	for (i = 1; i < SCHED_MAX_THREADS; i++) {
		struct thread *t = &threads[i];
		uint64_t *top;

		if (t->state != T_FREE && t->state != T_DONE)
			continue;
		/* Frame for sched_switch: six callee-saved registers, then
		 * the return address; after its ret, rsp % 16 == 8 as after
		 * a call. */
		top = (uint64_t *)(stacks[i - 1] + SCHED_STACK_SIZE);
		top -= 8;
		memset(top, 0, 8 * sizeof(*top));
		top[6] = (uintptr_t)thread_start;
		*t = (struct thread){
			.ctx.rsp = (uintptr_t)top, .state = T_RUNNABLE,
			.name = name, .fn = fn, .arg = arg,
		};
		return t;
	}
	return NULL;
}

void thread_yield(void)
{
	schedule();
}

/* Has another thread waited long enough, now that current ran `ran`? */
static int preempt_due(const struct thread *t, uint64_t now, uint64_t ran)
{
	if (t == current || t->state == T_FREE || t->state == T_DONE)
		return 0;
	if (t->state == T_RUNNABLE)
		return ran >= SCHED_SLICE_NS;
	return thread_ready(t, now);
}

void sched_preempt_point(void)
{
	uint64_t now, ran;

	if (!time_available())
		return;
	now = time_now_ns();
	ran = now - current->since;
	if (ran < SCHED_PREEMPT_GRAN_NS)
		return;
	for (unsigned i = 0; i < SCHED_MAX_THREADS; i++)
		if (preempt_due(&threads[i], now, ran)) {
			preemptions++;
			schedule();
			return;
		}
}

unsigned long sched_preemptions(void)
{
	return preemptions;
}

static void wait_for(int has_port, evtchn_port_t port, uint64_t deadline)
{
	current->state = T_WAITING;
	current->has_port = has_port;
	current->port = port;
	current->deadline = deadline;
	schedule();
	current->has_port = 0;
	current->deadline = 0;
}

void thread_sleep_until(uint64_t deadline_ns)
{
	while (time_now_ns() < deadline_ns)
		wait_for(0, 0, deadline_ns ? deadline_ns : 1);
}

/* Only another thread can make cond true, so a thread waiting on a
 * condition alone adds no port to the idle poll: whoever changes the
 * state runs first, and pick() sees the change at the next switch. */
int thread_wait_cond(int (*cond)(void *), void *arg, uint64_t deadline_ns)
{
	for (;;) {
		if (cond(arg))
			return 1;
		if (deadline_ns && time_now_ns() >= deadline_ns)
			return 0;
		current->cond = cond;
		current->cond_arg = arg;
		wait_for(0, 0, deadline_ns);
		current->cond = NULL;
	}
}

int evtchn_wait_until(evtchn_port_t port, uint64_t deadline_ns)
{
	for (;;) {
		if (evtchn_test_and_clear(port))
			return 1;
		if (deadline_ns && time_now_ns() >= deadline_ns)
			return 0;
		wait_for(1, port, deadline_ns);
	}
}

void evtchn_wait(evtchn_port_t port)
{
	evtchn_wait_until(port, 0);
}

int thread_finished(const struct thread *t)
{
	return t->state == T_DONE;
}

const char *thread_name(const struct thread *t)
{
	return t->name;
}

/* After resuming in a new domain the ports threads wait on may be gone
 * or renumbered (a frontend's ring gets a new one): each such thread is
 * woken by a local, spurious event and looks again, at the port its
 * owner's state now names. */
void sched_wake_port_waiters(void)
{
	for (unsigned i = 0; i < SCHED_MAX_THREADS; i++)
		if (threads[i].state == T_WAITING && threads[i].has_port)
			evtchn_raise_local(threads[i].port);
}

unsigned sched_idle_polls(void)
{
	return idle_polls;
}
