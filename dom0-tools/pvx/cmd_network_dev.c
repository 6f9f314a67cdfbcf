/*
 * A vif's two xenstore directories, as pv-drivers/net/netif.h fixes them
 * (D = domid, N = devid):
 *
 *   B = /local/domain/0/backend/vif/D/N   owner Dom0, D may read
 *       frontend, frontend-id, online=1, state=1, handle, mac, vifname,
 *       script, bridge (vif-bridge), ip, gateway (vif-route), type=vif
 *   F = /local/domain/D/device/vif/N      owner D, Dom0 may read
 *       backend, backend-id=0, state=1, handle, mac
 *
 * One transaction writes B before F (Linux's netfront probes on F and
 * hangs if B/state is not there yet; inside one transaction both appear
 * at once, and B first keeps that true should the writes ever be split).
 * Nodes inherit their directory's permissions, so setting them on F and B
 * covers every key. The free devid, the guest's MACs and the host's TAP
 * names are checked inside the same transaction, so two attaches racing
 * cannot take the same devid or name.
 *
 * Detach follows libxl: B/online=0 and B/state=5 (Closing) ask the
 * frontend to close; once pvx-netback reports Closed (6) both directories
 * go, and pvx-netback deletes the TAP when B vanishes. A vif whose rings
 * were never connected has nothing to drain and goes at once.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>

#include <netif.h>
#include <pvx/config.h>
#include <pvx/xs.h>
#include <xen/public/io/xenbus.h>

#include "cmd_network.h"

int pvx_net_random_mac(char mac[18])
{
	unsigned char r[3];

	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
		return -EIO;
	snprintf(mac, 18, "00:16:3e:%02x:%02x:%02x", r[0] & 0x7f, r[1], r[2]);
	return 0;
}

int pvx_net_fill_macs(struct pvx_config *cfg)
{
	char mac[18];

	for (size_t i = 0; i < cfg->nr_vifs; i++) {
		if (cfg->vifs[i].mac)
			continue;
		if (pvx_net_random_mac(mac) < 0)
			return -EIO;
		cfg->vifs[i].mac = strdup(mac);
		if (!cfg->vifs[i].mac)
			return -ENOMEM;
	}
	return 0;
}

static void dirs(int32_t domid, uint32_t devid, char *fe, char *be, size_t len)
{
	snprintf(fe, len, "/local/domain/%d/" PVX_NET_FE_DIR "/%u", (int)domid, devid);
	snprintf(be, len, PVX_NET_BE_ROOT "/%d/%u", (int)domid, devid);
}

/* dir/key's value (malloc'd) or NULL. */
static char *get(struct xs_handle *h, xs_transaction_t t, const char *dir,
		 const char *key)
{
	char path[320], *v = NULL;

	snprintf(path, sizeof(path), "%s/%s", dir, key);
	return xs_read(h, t, path, &v, NULL) == 0 ? v : NULL;
}

static long long get_ll(struct xs_handle *h, const char *dir, const char *key)
{
	char *v = get(h, XBT_NULL, dir, key);
	long long n = v ? strtoll(v, NULL, 10) : -1;

	free(v);
	return n;
}

static bool exists(struct xs_handle *h, xs_transaction_t t, const char *path)
{
	char *v = NULL;

	if (xs_read(h, t, path, &v, NULL) < 0)
		return false;
	free(v);
	return true;
}

struct add_ctx {
	int32_t domid;
	int want;               /* requested devid, < 0: the lowest free */
	uint32_t devid;         /* chosen */
	const struct pvx_vif_spec *vif;
	const char *mac, *script;
	char vifname[32], fe[80], be[80];
	char why[160];          /* what an -EEXIST collided with */
};

/* The lowest devid that has neither B nor F. */
static int pick_devid(struct xs_handle *h, xs_transaction_t t, struct add_ctx *a)
{
	char fe[80], be[80];

	for (uint32_t n = 0; n < PVX_NET_MAX_VIFS; n++) {
		dirs(a->domid, n, fe, be, sizeof(fe));
		if (a->want >= 0 && n != (uint32_t)a->want)
			continue;
		if (!exists(h, t, be) && !exists(h, t, fe)) {
			a->devid = n;
			return 0;
		}
		if (a->want >= 0) {
			snprintf(a->why, sizeof(a->why), "vif %u of domain %d already exists",
				 n, (int)a->domid);
			return -EEXIST;
		}
	}
	snprintf(a->why, sizeof(a->why), "domain %d already has %d vifs (the most pvx-netback"
		 " serves)", (int)a->domid, PVX_NET_MAX_VIFS);
	return -ENOSPC;
}

/* Every vif of the host: the same MAC twice in one guest, or one TAP name
 * twice anywhere, would make two NICs fight. */
static int check_clash(struct xs_handle *h, xs_transaction_t t, struct add_ctx *a)
{
	char **doms = NULL, **devs = NULL, dir[120];
	unsigned nd = 0, nv = 0;
	int rc = 0;

	if (xs_directory(h, t, PVX_NET_BE_ROOT, &doms, &nd) < 0)
		return 0;
	for (unsigned i = 0; rc == 0 && i < nd; i++) {
		snprintf(dir, sizeof(dir), PVX_NET_BE_ROOT "/%s", doms[i]);
		if (xs_directory(h, t, dir, &devs, &nv) < 0)
			continue;
		for (unsigned j = 0; rc == 0 && j < nv; j++) {
			char be[200], *mac, *name;

			snprintf(be, sizeof(be), "%s/%s", dir, devs[j]);
			mac = get(h, t, be, "mac");
			name = get(h, t, be, "vifname");
			if (name && !strcmp(name, a->vifname)) {
				snprintf(a->why, sizeof(a->why), "vifname %s is already used by"
					 " vif %s of domain %s", name, devs[j], doms[i]);
				rc = -EEXIST;
			} else if (mac && atoi(doms[i]) == a->domid && !strcasecmp(mac, a->mac)) {
				snprintf(a->why, sizeof(a->why), "MAC %s is already used by"
					 " vif %s of domain %d", a->mac, devs[j], (int)a->domid);
				rc = -EEXIST;
			}
			free(mac);
			free(name);
		}
		free(devs);
	}
	free(doms);
	return rc;
}

static int put(struct xs_handle *h, xs_transaction_t t, const char *dir,
	       const char *key, const char *val)
{
	char path[160];

	if (!val)
		return 0;
	snprintf(path, sizeof(path), "%s/%s", dir, key);
	return xs_write_str(h, t, path, val);
}

static int write_dirs(struct xs_handle *h, xs_transaction_t t, struct add_ctx *a)
{
	struct xs_permission fe_perm[2] = { { (uint32_t)a->domid, XS_PERM_NONE },
					    { 0, XS_PERM_READ } };
	struct xs_permission be_perm[2] = { { 0, XS_PERM_NONE },
					    { (uint32_t)a->domid, XS_PERM_READ } };
	const struct pvx_vif_spec *v = a->vif;
	bool bridge = !strcmp(a->script, "vif-bridge");
	char num[16], dom[16];
	int rc = 0;

	snprintf(num, sizeof(num), "%u", a->devid);
	snprintf(dom, sizeof(dom), "%d", (int)a->domid);
	rc |= xs_mkdir(h, t, a->be) | xs_set_perms(h, t, a->be, be_perm, 2);
	rc |= put(h, t, a->be, "frontend", a->fe) | put(h, t, a->be, "frontend-id", dom);
	rc |= put(h, t, a->be, "online", "1") | put(h, t, a->be, "handle", num);
	rc |= put(h, t, a->be, "mac", a->mac) | put(h, t, a->be, "vifname", a->vifname);
	rc |= put(h, t, a->be, "script", a->script) | put(h, t, a->be, "type", "vif");
	rc |= put(h, t, a->be, "bridge", bridge ? (v->bridge ? v->bridge
						    : PVX_NET_DEFAULT_BRIDGE) : NULL);
	rc |= put(h, t, a->be, "ip", v->ip) | put(h, t, a->be, "gateway", v->gateway);
	rc |= put(h, t, a->be, "state", "1");
	rc |= xs_mkdir(h, t, a->fe) | xs_set_perms(h, t, a->fe, fe_perm, 2);
	rc |= put(h, t, a->fe, "backend", a->be) | put(h, t, a->fe, "backend-id", "0");
	rc |= put(h, t, a->fe, "handle", num) | put(h, t, a->fe, "mac", a->mac);
	rc |= put(h, t, a->fe, "state", "1");
	return rc ? -EIO : 0;
}

static int add_txn(struct xs_handle *h, xs_transaction_t t, void *arg)
{
	struct add_ctx *a = arg;
	int rc = pick_devid(h, t, a);

	if (rc < 0)
		return rc;
	dirs(a->domid, a->devid, a->fe, a->be, sizeof(a->fe));
	if (a->vif->vifname)
		snprintf(a->vifname, sizeof(a->vifname), "%s", a->vif->vifname);
	else
		snprintf(a->vifname, sizeof(a->vifname), PVX_NET_VIFNAME_FMT,
			 (int)a->domid, a->devid);
	rc = check_clash(h, t, a);
	return rc < 0 ? rc : write_dirs(h, t, a);
}

int pvx_net_add(int32_t domid, int devid, const struct pvx_vif_spec *vif,
		char *err, size_t errlen)
{
	struct add_ctx a = { .domid = domid, .want = devid, .vif = vif };
	struct xs_handle *h = NULL;
	char mac[18];
	int rc;

	if (devid >= PVX_NET_MAX_VIFS) {
		snprintf(err, errlen, "vif %d: at most %d vifs per domain", devid,
			 PVX_NET_MAX_VIFS);
		return -ENOSPC;
	}
	a.script = vif->script ? vif->script : "vif-bridge";
	a.mac = vif->mac;
	if (!a.mac) {
		if (pvx_net_random_mac(mac) < 0) {
			snprintf(err, errlen, "cannot generate a MAC: no random bytes");
			return -EIO;
		}
		a.mac = mac;
	}
	rc = xs_open(&h);
	if (rc < 0) {
		snprintf(err, errlen, "cannot reach pvxstored: %s", strerror(-rc));
		return rc;
	}
	rc = xs_transaction_run(h, add_txn, &a, 0);
	xs_close(h);
	if (rc == -EEXIST || rc == -ENOSPC)
		snprintf(err, errlen, "%s", a.why);
	else if (rc < 0)
		snprintf(err, errlen, "cannot write the vif in xenstore: %s", strerror(-rc));
	return rc < 0 ? rc : (int)a.devid;
}

static long elapsed_ms(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1000 + (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

/* Waits for B/state == Closed (or B gone), woken by a watch on B/state. */
static int wait_closed(struct xs_handle *h, const char *be, int timeout_ms)
{
	char path[160], *p, *tok;
	struct timespec t0;
	int rc = -ETIMEDOUT;

	snprintf(path, sizeof(path), "%s/state", be);
	if (xs_watch(h, path, "net-detach") < 0)
		return -EIO;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		long long st = get_ll(h, be, "state");
		struct pollfd pfd = { xs_fileno(h), POLLIN, 0 };
		long left = timeout_ms - elapsed_ms(&t0);

		if (st < 0 || st == XenbusStateClosed) {
			rc = 0;
			break;
		}
		if (left <= 0)
			break;
		if (poll(&pfd, 1, (int)(left < 200 ? left : 200)) > 0 &&
		    xs_read_watch(h, &p, &tok, false) == 0)
			free(p);
	}
	xs_unwatch(h, path, "net-detach");
	return rc;
}

static int ask_close(struct xs_handle *h, xs_transaction_t t, void *arg)
{
	const char *be = arg;
	char path[160];
	int rc;

	/* Writing into a B that pvx-netback just removed would make it anew. */
	snprintf(path, sizeof(path), "%s/frontend", be);
	if (!exists(h, t, path))
		return -ENOENT;
	snprintf(path, sizeof(path), "%s/online", be);
	rc = xs_write_str(h, t, path, "0");
	snprintf(path, sizeof(path), "%s/state", be);
	return rc | xs_write_str(h, t, path, "5");
}

int pvx_net_remove(int32_t domid, uint32_t devid, int timeout_ms)
{
	struct xs_handle *h = NULL;
	char fe[80], be[80];
	long long bst, fst;
	int rc;

	dirs(domid, devid, fe, be, sizeof(fe));
	rc = xs_open(&h);
	if (rc < 0)
		return rc;
	bst = get_ll(h, be, "state");
	fst = get_ll(h, fe, "state");
	if (bst < 0 && fst < 0) {
		xs_close(h);
		return -ENOENT;
	}
	/* Only connected rings have guest pages mapped and frames in flight. */
	if (bst == XenbusStateConnected || fst == XenbusStateInitialised ||
	    fst == XenbusStateConnected) {
		rc = xs_transaction_run(h, ask_close, be, 0);
		if (rc == 0)
			rc = wait_closed(h, be, timeout_ms);
		else if (rc == -ENOENT)
			rc = 0; /* B went meanwhile: nothing left to close */
	}
	xs_rm(h, XBT_NULL, fe);
	xs_rm(h, XBT_NULL, be);
	xs_close(h);
	return rc;
}

void pvx_net_remove_all(int32_t domid)
{
	struct xs_handle *h = NULL;
	char path[80];

	if (xs_open(&h) < 0)
		return;
	snprintf(path, sizeof(path), "/local/domain/%d/" PVX_NET_FE_DIR, (int)domid);
	xs_rm(h, XBT_NULL, path);
	snprintf(path, sizeof(path), PVX_NET_BE_ROOT "/%d", (int)domid);
	xs_rm(h, XBT_NULL, path);
	xs_close(h);
}

int pvx_net_find_mac(int32_t domid, const char *mac)
{
	struct xs_handle *h = NULL;
	char dir[80], be[120], **devs = NULL, *m;
	unsigned n = 0;
	int found = -ENOENT;

	if (xs_open(&h) < 0)
		return -ENOENT;
	snprintf(dir, sizeof(dir), PVX_NET_BE_ROOT "/%d", (int)domid);
	if (xs_directory(h, XBT_NULL, dir, &devs, &n) == 0) {
		for (unsigned i = 0; found < 0 && i < n; i++) {
			snprintf(be, sizeof(be), "%s/%s", dir, devs[i]);
			m = get(h, XBT_NULL, be, "mac");
			if (m && !strcasecmp(m, mac))
				found = atoi(devs[i]);
			free(m);
		}
		free(devs);
	}
	xs_close(h);
	return found;
}
