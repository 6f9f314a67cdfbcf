/*
 * A domain's xenstore side (ARCHITECTURE D8, issue 4 "toolstack
 * integration"): the standard /local/domain/<id> keys, all written in
 * one transaction (retried on EAGAIN by xs_transaction_run, so a
 * concurrent writer never leaves a half-made home), then XS_INTRODUCE so
 * pvxstored serves the guest's store ring (and fires @introduceDomain).
 * Removal is XS_RELEASE plus rm of the keys, of /vm/<uuid> and of the
 * domain's vif backends (backend/vif/<id>); it is
 * idempotent, because several parties (the monitor, `pvx destroy`, a
 * failed build) may each do it.
 *
 * Keys and permissions, as libxl writes them (libxl__domain_make and
 * libxl__build_post; toolstack-xenstore.md §3.3, §3.7; D = domid):
 *   /local/domain/D            [n0,rD]: Dom0's, D may read; every node
 *                              below inherits it unless listed as [nD]
 *     name, domid, vm (= /vm/<uuid>)
 *     memory/target, memory/static-max   KiB
 *     cpu/<n>/availability     "online" for each configured vCPU
 *     console/ring-ref         the console ring's frame number
 *                              (PVX_SPECIAL_GPA >> 12 + PVX_SPECIAL_CONSOLE,
 *                              what HVM_PARAM_CONSOLE_PFN says), port,
 *                              type ("xenconsoled"), limit (bytes kept)
 *     store/ring-ref, store/port   (deprecated in Xen; still written)
 *     control/                 read-only directory; these leaves are
 *                              [nD] (the guest acknowledges and
 *                              advertises through them): shutdown,
 *                              feature-poweroff, feature-reboot,
 *                              feature-suspend, sysrq (all empty)
 *     control/platform-feature-xs_reset_watches = "1" (pvxstored has
 *                              XS_RESET_WATCHES); libxl's
 *                              platform-feature-multiprocessor-suspend is
 *                              not written: pvx has no suspend yet
 *     device/                  read-only; device/suspend/event-channel [nD]
 *     data/ drivers/ feature/ attr/ error/   [nD]
 *   /vm/<uuid>                 [n0,rD]: name, uuid, start_time
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <netif.h>
#include <pvx/builder.h>
#include <pvx/config.h>
#include <pvx/xs.h>

struct xs_dom {
	const struct pvx_build_result *r;
	const struct pvx_config *cfg;
	char base[48];
	char vm[64];
	char start_time[32];
};

static int put(struct xs_handle *h, xs_transaction_t t, const char *dir,
	       const char *key, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int put(struct xs_handle *h, xs_transaction_t t, const char *dir,
	       const char *key, const char *fmt, ...)
{
	char path[160], val[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(val, sizeof(val), fmt, ap);
	va_end(ap);
	snprintf(path, sizeof(path), "%s/%s", dir, key);
	return xs_write_str(h, t, path, val);
}

/* A node the guest itself writes: it is the node's owner, nobody else
 * (Dom0 aside) may look: libxl's rwperm [nD]. */
static int guest_node(struct xs_handle *h, xs_transaction_t t, const struct xs_dom *x,
		      const char *key)
{
	struct xs_permission own = { (uint32_t)x->r->domid, XS_PERM_NONE };
	char path[160];
	int rc;

	snprintf(path, sizeof(path), "%s/%s", x->base, key);
	rc = xs_mkdir(h, t, path);
	return rc ? rc : xs_set_perms(h, t, path, &own, 1);
}

/* Dom0's node that the guest may read: libxl's roperm [n0,rD]. */
static int ro_node(struct xs_handle *h, xs_transaction_t t, const struct xs_dom *x,
		   const char *path)
{
	struct xs_permission ro[2] = {
		{ 0, XS_PERM_NONE }, { (uint32_t)x->r->domid, XS_PERM_READ },
	};
	int rc = xs_mkdir(h, t, path);

	return rc ? rc : xs_set_perms(h, t, path, ro, 2);
}

static int write_rings(struct xs_handle *h, xs_transaction_t t, const struct xs_dom *x)
{
	char dir[80];
	int rc;

	snprintf(dir, sizeof(dir), "%s/console", x->base);
	rc = put(h, t, dir, "ring-ref", "%" PRIu64, x->r->console_pfn);
	if (!rc)
		rc = put(h, t, dir, "port", "%u", x->r->console_port);
	if (!rc)
		rc = put(h, t, dir, "type", "xenconsoled");
	if (!rc)
		rc = put(h, t, dir, "limit", "%u", 1048576);
	snprintf(dir, sizeof(dir), "%s/store", x->base);
	if (!rc)
		rc = put(h, t, dir, "ring-ref", "%" PRIu64, x->r->store_pfn);
	if (!rc)
		rc = put(h, t, dir, "port", "%u", x->r->store_port);
	return rc;
}

static int write_identity(struct xs_handle *h, xs_transaction_t t, const struct xs_dom *x)
{
	char key[48];
	int rc = put(h, t, x->base, "name", "%s", x->cfg->name);

	if (!rc)
		rc = put(h, t, x->base, "domid", "%d", x->r->domid);
	if (!rc)
		rc = put(h, t, x->base, "vm", "%s", x->vm);
	if (!rc)
		rc = put(h, t, x->base, "memory/target", "%" PRIu64, x->cfg->memory_mib * 1024);
	if (!rc)
		rc = put(h, t, x->base, "memory/static-max", "%" PRIu64, x->cfg->maxmem_mib * 1024);
	for (uint32_t i = 0; !rc && i < x->cfg->vcpus; i++) {
		snprintf(key, sizeof(key), "cpu/%u/availability", i);
		rc = put(h, t, x->base, key, "online");
	}
	return rc;
}

static int write_vm(struct xs_handle *h, xs_transaction_t t, const struct xs_dom *x)
{
	int rc;

	xs_rm(h, t, x->vm);
	rc = ro_node(h, t, x, x->vm);
	if (!rc)
		rc = put(h, t, x->vm, "name", "%s", x->cfg->name);
	if (!rc)
		rc = put(h, t, x->vm, "uuid", "%s", x->vm + 4);
	if (!rc)
		rc = put(h, t, x->vm, "start_time", "%s", x->start_time);
	return rc;
}

static int write_keys(struct xs_handle *h, xs_transaction_t t, void *arg)
{
	static const char *const guest_nodes[] = {
		"control/shutdown", "control/feature-poweroff", "control/feature-reboot",
		"control/feature-suspend", "control/sysrq", "device/suspend/event-channel",
		"data", "drivers", "feature", "attr", "error",
	};
	const struct xs_dom *x = arg;
	char path[80];
	int rc;

	xs_rm(h, t, x->base); /* a stale tree of an earlier domain with this id */
	rc = ro_node(h, t, x, x->base);
	if (!rc)
		rc = write_identity(h, t, x);
	if (!rc)
		rc = write_rings(h, t, x);
	snprintf(path, sizeof(path), "%s/device", x->base);
	if (!rc)
		rc = xs_mkdir(h, t, path);
	for (size_t i = 0; !rc && i < sizeof(guest_nodes) / sizeof(guest_nodes[0]); i++)
		rc = guest_node(h, t, x, guest_nodes[i]);
	if (!rc)
		rc = put(h, t, x->base, "control/platform-feature-xs_reset_watches", "1");
	if (!rc)
		rc = write_vm(h, t, x);
	return rc;
}

int pvx_xs_domain_add(const struct pvx_build_result *r, const struct pvx_config *cfg,
		      char *err, size_t errlen)
{
	struct xs_dom x = { .r = r, .cfg = cfg };
	struct xs_handle *h = NULL;
	struct timespec now;
	char uuid[PVX_UUID_CHARS + 1];
	int rc = xs_open(&h);

	if (rc == -ENOENT || rc == -ECONNREFUSED)
		return 1; /* no pvxstored for this run directory */
	if (rc < 0) {
		snprintf(err, errlen, "cannot reach pvxstored: %s", strerror(-rc));
		return rc;
	}
	snprintf(x.base, sizeof(x.base), "/local/domain/%d", r->domid);
	pvx_uuid_format(r->uuid, uuid);
	snprintf(x.vm, sizeof(x.vm), "/vm/%s", uuid);
	clock_gettime(CLOCK_REALTIME, &now);
	snprintf(x.start_time, sizeof(x.start_time), "%lld.%02ld", (long long)now.tv_sec,
		 now.tv_nsec / 10000000);
	rc = xs_transaction_run(h, write_keys, &x, 0);
	if (rc < 0)
		snprintf(err, errlen, "cannot write %s in xenstore: %s", x.base, strerror(-rc));
	else if ((rc = xs_introduce_domain(h, (uint32_t)r->domid, r->store_pfn,
					   r->store_port)) < 0)
		snprintf(err, errlen, "pvxstored refused to introduce domain %d: %s",
			 r->domid, strerror(-rc));
	xs_close(h);
	return rc;
}

void pvx_xs_domain_remove(int32_t domid)
{
	struct xs_handle *h = NULL;
	char base[48], *vm = NULL, path[80];

	if (xs_open(&h) < 0)
		return;
	xs_release_domain(h, (uint32_t)domid);
	snprintf(base, sizeof(base), "/local/domain/%d", domid);
	snprintf(path, sizeof(path), "%s/vm", base);
	if (xs_read(h, XBT_NULL, path, &vm, NULL) == 0 && strncmp(vm, "/vm/", 4) == 0)
		xs_rm(h, XBT_NULL, vm);
	free(vm);
	xs_rm(h, XBT_NULL, base);
	/* The domain's vifs: pvx-netback deletes a TAP when its backend
	 * directory goes (netif.h), so no TAP outlives its domain, whichever
	 * path (destroy, the monitor, a failed build) ends it. */
	snprintf(path, sizeof(path), PVX_NET_BE_ROOT "/%d", domid);
	xs_rm(h, XBT_NULL, path);
	xs_close(h);
}
