/*
 * A domain's xenstore side (ARCHITECTURE D8, issue 4 "toolstack
 * integration"): the standard /local/domain/<id> keys, written in one
 * transaction, then XS_INTRODUCE so pvxstored serves the guest's store
 * ring (and fires @introduceDomain). Removal is XS_RELEASE plus rm of the
 * keys and of /vm/<uuid>; it is idempotent, because several parties
 * (the monitor, `pvx destroy`, a failed build) may each do it.
 *
 * Keys and permissions, as libxl writes them (D = domid):
 *   /local/domain/D            owner Dom0, D may read ("n0", "rD")
 *     name, domid, vm (= /vm/<uuid>)
 *     memory/target, memory/static-max   KiB
 *     console/ring-ref, console/port, console/type ("xenconsoled"),
 *     console/limit (bytes kept by the console daemon)
 *     store/ring-ref, store/port
 *     control/                 D may read; control/shutdown and
 *                              control/feature-* are D's to write
 *     device/                  filled by device setup (later issues)
 *     data/ drivers/ feature/ attr/ error/   D's to write
 *   /vm/<uuid>: name, uuid
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pvx/builder.h>
#include <pvx/config.h>
#include <pvx/xs.h>

struct xs_dom {
	const struct pvx_build_result *r;
	const struct pvx_config *cfg;
	char base[48];
	char vm[64];
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

/* A directory the guest itself writes: it is the node's owner. */
static int guest_dir(struct xs_handle *h, xs_transaction_t t, const struct xs_dom *x,
		     const char *key)
{
	struct xs_permission own = { (uint32_t)x->r->domid, XS_PERM_NONE };
	char path[160];
	int rc;

	snprintf(path, sizeof(path), "%s/%s", x->base, key);
	rc = xs_mkdir(h, t, path);
	return rc ? rc : xs_set_perms(h, t, path, &own, 1);
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

static int write_keys(struct xs_handle *h, xs_transaction_t t, void *arg)
{
	static const char *const guest_dirs[] = {
		"control/shutdown", "control/feature-poweroff", "control/feature-reboot",
		"data", "drivers", "feature", "attr", "error",
	};
	const struct xs_dom *x = arg;
	struct xs_permission ro[2] = {
		{ 0, XS_PERM_NONE }, { (uint32_t)x->r->domid, XS_PERM_READ },
	};
	int rc;

	xs_rm(h, t, x->base); /* a stale tree of an earlier domain with this id */
	rc = xs_mkdir(h, t, x->base);
	if (!rc)
		rc = xs_set_perms(h, t, x->base, ro, 2);
	if (!rc)
		rc = put(h, t, x->base, "name", "%s", x->cfg->name);
	if (!rc)
		rc = put(h, t, x->base, "domid", "%d", x->r->domid);
	if (!rc)
		rc = put(h, t, x->base, "vm", "%s", x->vm);
	if (!rc)
		rc = put(h, t, x->base, "memory/target", "%" PRIu64, x->cfg->memory_mib * 1024);
	if (!rc)
		rc = put(h, t, x->base, "memory/static-max", "%" PRIu64, x->cfg->maxmem_mib * 1024);
	if (!rc)
		rc = write_rings(h, t, x);
	if (!rc)
		rc = put(h, t, x->base, "device", "%s", "");
	for (size_t i = 0; !rc && i < sizeof(guest_dirs) / sizeof(guest_dirs[0]); i++)
		rc = guest_dir(h, t, x, guest_dirs[i]);
	if (!rc)
		rc = put(h, t, x->vm, "name", "%s", x->cfg->name);
	if (!rc)
		rc = put(h, t, x->vm, "uuid", "%s", x->vm + 4);
	return rc;
}

static void uuid_str(const uint8_t *u, char *out, size_t len)
{
	snprintf(out, len, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10],
		 u[11], u[12], u[13], u[14], u[15]);
}

int pvx_xs_domain_add(const struct pvx_build_result *r, const struct pvx_config *cfg,
		      char *err, size_t errlen)
{
	struct xs_dom x = { .r = r, .cfg = cfg };
	struct xs_handle *h = NULL;
	char uuid[40];
	int rc = xs_open(&h);

	if (rc == -ENOENT || rc == -ECONNREFUSED)
		return 1; /* no pvxstored for this run directory */
	if (rc < 0) {
		snprintf(err, errlen, "cannot reach pvxstored: %s", strerror(-rc));
		return rc;
	}
	snprintf(x.base, sizeof(x.base), "/local/domain/%d", r->domid);
	uuid_str(r->uuid, uuid, sizeof(uuid));
	snprintf(x.vm, sizeof(x.vm), "/vm/%s", uuid);
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
	xs_close(h);
}
