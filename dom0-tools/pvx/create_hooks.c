/*
 * What `pvx create` asks of the other daemons while the new domain is
 * still paused. pvx-consoled must be serving the console ring before the
 * guest's first instruction, so that the console log is complete even
 * for a guest that dies at once (issue 3). The console client comes from
 * libpvxcons; until that library is linked, the weak reference is NULL
 * and the step is skipped.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <pvx/builder.h>

#include "cmd.h"
#include "create.h"

extern int pvx_consoled_add(int32_t domid, const char *name) __attribute__((weak));

static int consoled_hook(int32_t domid, const char *name, void *opaque,
			 char *err, size_t errlen)
{
	const struct create_opts *o = opaque;
	int rc;

	if (!pvx_consoled_add)
		return 0;
	rc = pvx_consoled_add(domid, name);
	if (rc == -ENOENT || rc == -ECONNREFUSED) {
		/* No console daemon for this run dir: the guest still runs. */
		if (!o->quiet)
			fprintf(stderr, "pvx: warning: pvx-consoled is not running; "
				"the console of '%s' is not logged\n", name);
		return 0;
	}
	if (rc < 0) {
		snprintf(err, errlen, "pvx-consoled could not take the console of '%s': %s",
			 name, strerror(-rc));
		return rc;
	}
	return 0;
}

void pvx_create_hooks(struct pvx_build_opts *bo, const struct create_opts *o)
{
	bo->pre_unpause = consoled_hook;
	bo->opaque = (void *)o;
}
