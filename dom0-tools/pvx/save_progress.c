/*
 * The progress line of save, restore and migrate: on a terminal only
 * (scripts and tests get nothing), at most 10 updates a second, one line
 * rewritten in place: bytes, percentage, round, dirty rate, ETA.
 */
#include <stdio.h>
#include <unistd.h>

#include "save_ctl.h"

void pvx_progress_start(struct pvx_progress *p, bool want, const char *what)
{
	p->on = want && isatty(2);
	p->what = what;
	p->t0_ms = pvx_now_ms();
	p->last_ms = 0;
}

void pvx_progress_update(struct pvx_progress *p, uint64_t bytes, uint64_t total,
			 uint32_t round, double dirty_mibs)
{
	double now = pvx_now_ms(), el = (now - p->t0_ms) / 1e3, rate, eta;

	if (!p->on || now - p->last_ms < 100)
		return;
	p->last_ms = now;
	rate = el > 0 ? (double)bytes / el : 0;
	eta = rate > 0 && total > bytes ? (double)(total - bytes) / rate : 0;
	fprintf(stderr, "\r%s: %7.1f MiB", p->what, (double)bytes / 1048576.0);
	if (total)
		fprintf(stderr, " %3.0f%%", 100.0 * (double)(bytes > total ? total : bytes) /
			(double)total);
	fprintf(stderr, "  round %u  dirty %.1f MiB/s  %.1f MiB/s  ETA %.1f s   ", round,
		dirty_mibs, rate / 1048576.0, eta);
}

void pvx_progress_done(struct pvx_progress *p)
{
	if (p->on)
		fprintf(stderr, "\n");
}
