/*
 * The ordered start/stop table (pvx/daemon.h, STYLE 13): main() becomes
 * "start the steps, run the loop, stop the steps", and teardown order can
 * never drift from start-up order because it is the same table read
 * backwards.
 */
#include <errno.h>
#include <string.h>

#include <pvx/daemon.h>
#include <pvx/log.h>

int pvx_steps_start(const struct pvx_step *steps, size_t n, void *ctx, size_t *ran)
{
	int rc;

	for (*ran = 0; *ran < n; ++*ran) {
		const struct pvx_step *s = &steps[*ran];

		if (s->init && (rc = s->init(ctx)) < 0) {
			if (rc != -EBUSY) /* another instance: already said */
				pvx_log_err("start-up failed at %s: %s", s->name,
					    strerror(-rc));
			return rc;
		}
	}
	return 0;
}

void pvx_steps_stop(const struct pvx_step *steps, size_t ran, void *ctx)
{
	while (ran-- > 0)
		if (steps[ran].exit)
			steps[ran].exit(ctx);
}
