/*
 * The domains a listing command shows: all of them, or the ones named on
 * the command line, in that order. An argument that names no domain is
 * an error (the listing would silently miss it otherwise).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <pvx/ctlclient.h>

#include "cmd.h"
#include "select.h"

static int find(const struct pvx_ctl_dominfo *v, size_t n, const char *arg)
{
	char *end;
	long id = strtol(arg, &end, 10);
	bool numeric = *arg && !*end;

	for (size_t i = 0; i < n; i++)
		if ((numeric && v[i].domid == id) || strcmp(v[i].name, arg) == 0)
			return (int)i;
	return -1;
}

int pvx_select(struct pvx_ctl *c, int nargs, char **args,
	       struct pvx_ctl_dominfo **out, size_t *nout)
{
	struct pvx_ctl_dominfo *all, *sel;
	size_t n;
	int rc = pvx_ctl_list(c, &all, &n);

	if (rc < 0) {
		pvx_err("cannot list domains: %s", strerror(-rc));
		return rc;
	}
	if (nargs == 0) {
		*out = all;
		*nout = n;
		return 0;
	}
	sel = calloc((size_t)nargs, sizeof(*sel));
	if (!sel) {
		free(all);
		return -ENOMEM;
	}
	for (int i = 0; i < nargs; i++) {
		int k = find(all, n, args[i]);
		if (k < 0) {
			pvx_err("'%s' is not a domain", args[i]);
			free(all);
			free(sel);
			return -ESRCH;
		}
		sel[i] = all[k];
	}
	free(all);
	*out = sel;
	*nout = (size_t)nargs;
	return 0;
}
