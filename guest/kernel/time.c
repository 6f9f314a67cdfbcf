/*
 * System time and the one-shot timer.
 *
 * system time (ns) = system_time + ((rdtsc() - tsc_timestamp) << or >>
 * tsc_shift) * tsc_to_system_mul / 2^32, from the vcpu_time_info the
 * hypervisor keeps in our vcpu_info. The hypervisor makes version odd
 * while it updates the record, so a reader retries until it saw one even
 * version on both sides. Readers also never let time go backwards.
 *
 * The timer: VCPUOP_set_singleshot_timer (or set_timer_op if that is
 * missing) raises VIRQ_TIMER, bound to timer_port at init. Nobody waits
 * for that port directly: the scheduler adds it to its SCHEDOP_poll set.
 *
 * Suspend (suspend.c): minios time stands still while the domain is
 * suspended. time_now_ns() is the hypervisor's system time plus `offset`,
 * which time_resume() sets so that the clock goes on from the value it
 * had at time_suspend(). A new domain (after a restore or a migration)
 * has a system time of its own, possibly far lower, and every deadline a
 * thread holds (xenstore's 5 s, blkfront's 30 s) is in minios time: with
 * the clock frozen none of them expires because the domain sat in a file
 * for an hour. Deadlines handed to the hypervisor (SCHEDOP_poll's
 * timeout, the one-shot timer) go through time_to_hv().
 */
#include <xen/public/vcpu.h>

#include <minios/arch.h>
#include <minios/console.h>
#include <minios/events.h>
#include <minios/hypercall.h>
#include <minios/sched.h>
#include <minios/time.h>

static const volatile struct vcpu_time_info *time_src;
static evtchn_port_t timer_port;
static int timer_bound;
static uint64_t last_now;
static int64_t offset;           /* minios time - hypervisor system time */
static uint64_t suspended_at;    /* minios time at time_suspend() */

static uint64_t read_raw(void);

static int record_valid(const volatile struct vcpu_time_info *t)
{
	return t->tsc_to_system_mul != 0;
}

/* The registered vcpu_info's record, or shared_info's if the hypervisor
 * only fills that one; NULL while neither is filled in. */
static const volatile struct vcpu_time_info *pick_source(void)
{
	if (!time_src && vcpu_info) {
		if (record_valid(&vcpu_info->time))
			time_src = &vcpu_info->time;
		else if (record_valid(&shared_info->vcpu_info[0].time))
			time_src = &shared_info->vcpu_info[0].time;
	}
	return time_src;
}

int time_init(void)
{
	int rc;

	if (!vcpu_info)
		return -XEN_ENODEV;
	if (!pick_source())
		printk("minios: no vcpu_time_info from the hypervisor yet: no clock\n");
	rc = evtchn_bind_virq(VIRQ_TIMER, 0, &timer_port);
	if (rc < 0)
		return rc;
	timer_bound = 1;
	return time_src ? 0 : -XEN_ENODEV;
}

void time_suspend(void)
{
	suspended_at = time_now_ns();
}

/* new_domain: the vcpu_info was registered again (events_resume) and the
 * VIRQ_TIMER binding is gone with the old domain: bind it again. A
 * hypervisor that carried the binding over answers EEXIST: keep ours. */
int time_resume(int new_domain)
{
	uint64_t raw;
	int rc = 0;

	time_src = NULL;
	if (new_domain) {
		evtchn_port_t p;

		rc = evtchn_bind_virq(VIRQ_TIMER, 0, &p);
		if (rc == 0)
			timer_port = p;
		else if (rc == -XEN_EEXIST)
			rc = 0;
	}
	raw = read_raw();
	if (raw)
		offset = (int64_t)(suspended_at - raw);
	return rc;
}

uint64_t time_to_hv(uint64_t ns)
{
	uint64_t hv;

	if (!ns)
		return 0; /* "no deadline" stays that */
	hv = ns - (uint64_t)offset;
	return hv ? hv : 1;
}

int time_available(void)
{
	return pick_source() != NULL;
}

/* The hypervisor's system time, without our offset; 0 without a clock. */
static uint64_t read_raw(void)
{
	const volatile struct vcpu_time_info *t = pick_source();
	uint64_t tsc_ts, sys, delta;
	uint32_t ver, mul;
	int8_t shift;

	if (!t)
		return 0;
	do {
		ver = t->version;
		rmb(); /* version before the fields it guards */
		tsc_ts = t->tsc_timestamp;
		sys = t->system_time;
		mul = t->tsc_to_system_mul;
		shift = t->tsc_shift;
		delta = rdtsc();
		rmb(); /* the fields before the version re-check */
	} while ((ver & 1) || ver != t->version);
	delta = delta > tsc_ts ? delta - tsc_ts : 0;
	delta = shift < 0 ? delta >> -shift : delta << shift;
	return sys + (uint64_t)(((unsigned __int128)delta * mul) >> 32);
}

uint64_t time_now_ns(void)
{
	uint64_t now;

	if (!pick_source())
		return 0;
	now = read_raw() + (uint64_t)offset;
	if (now < last_now)
		now = last_now;
	last_now = now;
	return now;
}

int time_set_timer(uint64_t deadline_ns)
{
	struct vcpu_set_singleshot_timer st = { .timeout_abs_ns = time_to_hv(deadline_ns) };
	long rc = vcpu_op(VCPUOP_set_singleshot_timer, 0, &st);

	if (rc == -XEN_ENOSYS)
		rc = set_timer_op(time_to_hv(deadline_ns));
	return (int)rc;
}

evtchn_port_t time_timer_port(void)
{
	return timer_bound ? timer_port : 0;
}

void msleep(uint64_t ms)
{
	if (!pick_source())
		return;
	thread_sleep_until(time_now_ns() + ms * 1000000ull);
}
