/*
 * The real host behind a migration's two sides: pvxd (info, free
 * memory, resume, unpause, destroy) and save.h's stream engine. The
 * handle is the caller's struct pvx_ctl.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <pvx/builder.h>
#include <pvx/ctlclient.h>
#include <xen/public/sched.h>

#include "migrate.h"
#include "save_ctl.h"

static int host_dom_info(void *h, int32_t domid, uint64_t *mem_kib, uint32_t *vcpus,
			 uint32_t *type, char name[PVX_MIG_NAME_MAX])
{
	struct pvx_ctl_dominfo d;
	int rc = pvx_ctl_info(h, domid, &d);

	if (rc)
		return rc;
	/* maxmem: the restored domain gets the same layout. */
	*mem_kib = d.maxmem_kib > d.mem_kib ? d.maxmem_kib : d.mem_kib;
	*vcpus = d.vcpus;
	*type = d.type;
	snprintf(name, PVX_MIG_NAME_MAX, "%s", d.name);
	return 0;
}

static int host_free(void *h, uint64_t *free_kib)
{
	struct pvx_ctl_hello_rsp r;
	int rc = pvx_ctl_hello(h, &r);

	if (rc == 0)
		*free_kib = r.free_mem_kib;
	return rc;
}

static int host_name_taken(void *h, const char *name)
{
	int32_t domid;
	int rc = pvx_ctl_lookup(h, name, &domid);

	return rc == 0 ? 1 : rc == -ESRCH ? 0 : rc;
}

static int host_save(void *h, int32_t domid, int fd, const struct pvx_save_opts *o,
		     struct pvx_mig_stats *st)
{
	return pvx_save_fd(h, domid, fd, o, st);
}

static int host_restore(void *h, int fd, const struct pvx_restore_opts *o,
			int32_t *domid, struct pvx_mig_stats *st)
{
	return pvx_restore_fd(h, fd, o, domid, st);
}

/* A save that failed during live rounds never suspended the domain:
 * it runs, and there is nothing to cancel. */
static int host_resume(void *h, int32_t domid)
{
	struct pvx_ctl_dominfo d;
	uint32_t len = 0;
	int nfds = 0, rc = pvx_ctl_info(h, domid, &d);

	if (rc)
		return rc;
	if (d.shutdown_reason != SHUTDOWN_suspend)
		return 0;
	return pvx_ctl_call(h, PVX_CTL_RESUME, domid, NULL, 0, NULL, 0, &len,
			    NULL, 0, &nfds);
}

static int host_unpause(void *h, int32_t domid)
{
	return pvx_ctl_unpause(h, domid);
}

/* As `pvx save` does: the domain and its kept config go together. */
static int host_destroy(void *h, int32_t domid)
{
	struct pvx_ctl_dominfo d;
	bool have = pvx_ctl_info(h, domid, &d) == 0;
	int rc = pvx_ctl_destroy(h, domid);

	if (rc == 0) {
		pvx_xs_domain_remove(domid);
		if (have)
			pvx_cfgkeep_remove(d.uuid);
	}
	return rc;
}

const struct pvx_mig_ops pvx_mig_host_ops = {
	.dom_info = host_dom_info,
	.host_free = host_free,
	.name_taken = host_name_taken,
	.save = host_save,
	.restore = host_restore,
	.resume = host_resume,
	.unpause = host_unpause,
	.destroy = host_destroy,
};
