/*
 * console_io (18): CONSOLEIO_write appends guest text to the domain's
 * log (PVX_CTL_DMESG, `pvx dmesg`) and to pvxd.log. arg1 = byte count,
 * arg2 = GVA. The whole buffer is copied in before anything is logged,
 * so a bad pointer logs nothing. Returns 0 like Xen; -EINVAL above
 * CONSOLE_WRITE_MAX bytes per call. CONSOLEIO_read is for privileged
 * domains only.
 */
#include <errno.h>
#include <stdlib.h>

#include <xen/public/xen.h>

#include "dom.h"
#include "hcall.h"
#include "pvxd.h"

#define CONSOLE_WRITE_MAX (64 * 1024)

static long con_write(struct hc_ctx *c, uint64_t count)
{
	char *buf;
	int r;

	if (count == 0)
		return 0;
	if (count > CONSOLE_WRITE_MAX)
		return -EINVAL;
	buf = malloc(count);
	if (!buf)
		return -ENOMEM;
	r = hc_copy_from(c, buf, c->arg[2], count);
	if (r == 0)
		dom_console_write(c->d, buf, count);
	free(buf);
	return r;
}

static long con_read(struct hc_ctx *c, uint64_t count)
{
	(void)c;
	(void)count;
	return 0; /* privileged callers would read nothing: no input queue */
}

static const struct hc_subop console_ops[] = {
	[CONSOLEIO_write] = { con_write, HC_ANY },
	[CONSOLEIO_read]  = { con_read,  HC_PRIV },
};

long hc_console_io(struct hc_ctx *c)
{
	return hc_subop_dispatch(c, console_ops, ARRAY_SIZE(console_ops),
				 c->arg[0], c->arg[1]);
}
