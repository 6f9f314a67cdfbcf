/* Shared steps of the pvproc tests. */
#include <poll.h>

#include "harness.h"

void th_start(struct tguest *g, const unsigned char *code, const unsigned char *end,
	      uint64_t start_info)
{
	ck_assert_int_eq(tguest_init(g, code, end), 0);
	ck_assert_int_eq(tguest_spawn(g, start_info), 0);
	ck_assert_int_gt(g->p.pid, 0);
}

struct pvproc_call th_expect_hcall(struct tguest *g, uint64_t nr)
{
	struct pvproc_call c;

	ck_assert_int_eq(pvproc_recv(&g->p, &c), 0);
	ck_assert_msg(c.kind == PVPROC_HYPERCALL, "call %llu at %#llx is forbidden",
		      (unsigned long long)c.nr, (unsigned long long)c.ip);
	ck_assert_uint_eq(c.nr, nr);
	return c;
}

const char *th_wait_exit(struct tguest *g)
{
	static char why[128];
	struct pollfd pfd = { .fd = g->p.pidfd, .events = POLLIN };

	ck_assert_int_eq(poll(&pfd, 1, 5000), 1);
	ck_assert_int_eq(pvproc_exited(&g->p, why, sizeof(why)), 1);
	return why;
}
