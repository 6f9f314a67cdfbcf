/*
 * The balloon driver (balloon.h). One thread, woken by the memory/target
 * watch or, while it has not reached the target, every RETRY_MS:
 *   current > target: take up to BATCH free pages from the top of the
 *     allocator, decrease_reservation them; the hypervisor answers how
 *     many it took: those become OUT, the rest go back;
 *   current < target: populate up to BATCH OUT pages; those populated
 *     are FREE again (zero, as the hypervisor hands them back).
 * Between batches the thread yields, so programs keep running while a
 * large change is under way. When the allocator has no free page (the
 * programs hold them) or populate fails (maxmem), it retries later; it
 * never forces anything. `current` starts as XENMEM_current_reservation
 * and follows the hypercalls' answers.
 */
#include <xen/public/errno.h>
#include <xen/public/memory.h>
#include <xen/public/xen.h>

#include <minios/balloon.h>
#include <minios/console.h>
#include <minios/hypercall.h>
#include <minios/lib.h>
#include <minios/pages.h>
#include <minios/sched.h>
#include <minios/time.h>
#include <minios/xenstore.h>

#define TARGET_NODE "memory/target"
#define BATCH       8192        /* 32 MiB per hypercall */
#define RETRY_MS    1000

static struct xs_watch watch = { .path = TARGET_NODE, .token = "minios-balloon" };
static uint64_t gfns[BATCH];
static uint64_t cur_pages, target_pages, nr_released, nr_populated;
static int have_target;

static long reserve(int cmd, unsigned n)
{
	struct xen_memory_reservation r = {
		.extent_start = (uint64_t)(uintptr_t)gfns,
		.nr_extents = n,
		.domid = DOMID_SELF,
	};

	return memory_op(cmd, &r);
}

/* One batch down; returns pages released (0: nothing could be). */
static unsigned shrink(uint64_t want)
{
	unsigned n = pages_take_free(gfns, (unsigned)MIN(want, (uint64_t)BATCH));
	long done = n ? reserve(XENMEM_decrease_reservation, n) : 0;

	if (done < 0)
		done = 0;
	pages_mark_out(gfns, (unsigned)done);
	pages_give_back(gfns + done, n - (unsigned)done);
	cur_pages -= (uint64_t)done;
	nr_released += (uint64_t)done;
	return (unsigned)done;
}

/* One batch up; returns pages populated. */
static unsigned grow(uint64_t want)
{
	unsigned n = pages_peek_out(gfns, (unsigned)MIN(want, (uint64_t)BATCH));
	long done = n ? reserve(XENMEM_populate_physmap, n) : 0;

	if (done < 0)
		done = 0;
	pages_give_back(gfns, (unsigned)done);
	cur_pages += (uint64_t)done;
	nr_populated += (uint64_t)done;
	return (unsigned)done;
}

static void read_target(void)
{
	char v[32];
	uint64_t kib = 0;
	int rc = xs_read(0, TARGET_NODE, v, sizeof(v));

	if (rc < 0)
		return; /* no target: leave memory as it is */
	for (int i = 0; v[i]; i++) {
		if (v[i] < '0' || v[i] > '9' || kib > (UINT64_MAX - 9) / 10)
			return; /* garbage is no target */
		kib = kib * 10 + (uint64_t)(v[i] - '0');
	}
	target_pages = kib / 4;
	have_target = 1;
}

/* Moves towards the target until reached or stuck; 1 if reached. */
static int converge(void)
{
	uint64_t t0 = time_now_ns(), before = cur_pages;

	while (have_target && cur_pages != target_pages) {
		unsigned n = cur_pages > target_pages ? shrink(cur_pages - target_pages)
						      : grow(target_pages - cur_pages);
		if (!n)
			break;
		thread_yield();
	}
	if (cur_pages != before)
		printk("minios: balloon: %lu KiB -> %lu KiB in %lu us (target %lu KiB)\n",
		       (unsigned long)(before * 4), (unsigned long)(cur_pages * 4),
		       (unsigned long)((time_now_ns() - t0) / 1000),
		       (unsigned long)(target_pages * 4));
	return !have_target || cur_pages == target_pages;
}

static void balloon_main(void *arg)
{
	char path[XS_WATCH_PATH];
	int rc, reached = 1;

	(void)arg;
	while ((rc = xs_watch_add(&watch)) < 0) {
		if (xs_ring_state() < 0)
			return;
		msleep(RETRY_MS);
	}
	for (;;) {
		uint64_t deadline = reached ? 0 : time_now_ns() + RETRY_MS * 1000000ull;

		rc = xs_watch_wait(&watch, path, sizeof(path), deadline);
		if (rc < 0) {
			printk("minios: balloon: stopped (%d)\n", rc);
			return;
		}
		if (rc > 0)
			read_target();
		reached = converge();
	}
}

int balloon_start(void)
{
	domid_t self = DOMID_SELF;
	long cur = memory_op(XENMEM_current_reservation, &self);

	if (cur < 0)
		return (int)cur;
	cur_pages = (uint64_t)cur;
	return thread_create("balloon", balloon_main, NULL) ? 0 : -XEN_ENOMEM;
}

void balloon_stats(struct balloon_stats *s)
{
	s->current_kib = cur_pages * 4;
	s->target_kib = have_target ? target_pages * 4 : 0;
	s->released = nr_released;
	s->populated = nr_populated;
}
