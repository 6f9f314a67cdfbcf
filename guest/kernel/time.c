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

int time_available(void)
{
	return pick_source() != NULL;
}

uint64_t time_now_ns(void)
{
	const volatile struct vcpu_time_info *t = pick_source();
	uint64_t tsc_ts, sys, delta, now;
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
	now = sys + (uint64_t)(((unsigned __int128)delta * mul) >> 32);
	if (now < last_now)
		now = last_now;
	last_now = now;
	return now;
}

int time_set_timer(uint64_t deadline_ns)
{
	struct vcpu_set_singleshot_timer st = { .timeout_abs_ns = deadline_ns };
	long rc = vcpu_op(VCPUOP_set_singleshot_timer, 0, &st);

	if (rc == -XEN_ENOSYS)
		rc = set_timer_op(deadline_ns);
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
