/* Domain selection shared by list and uptime (select.c). */
#ifndef PVX_CLI_SELECT_H
#define PVX_CLI_SELECT_H

#include <stddef.h>

struct pvx_ctl;
struct pvx_ctl_dominfo;

/* *out is malloc'd. Prints its own error line. */
int pvx_select(struct pvx_ctl *c, int nargs, char **args,
	       struct pvx_ctl_dominfo **out, size_t *nout);

#endif
