/*
 * What pvxstored does when pvxd, the platform, goes away (killed -9 or
 * stopped): every domain died with it, as Xen's domains die with their
 * hypervisor, and no toolstack is left to clean up after them (decision
 * P30, docs/reliability.md). So pvxstored itself
 *  - releases every introduced domain: its ring connection ends, the
 *    page mapping and event channel binding of the dead pvxd go, and
 *    @releaseDomain fires;
 *  - purges what the toolstack would have removed on destroy: the
 *    domain's /vm/<uuid>, /local/domain/<id> and its backend directories
 *    (/local/domain/<B>/backend/<type>/<id>), firing their watches, so the
 *    backends tear the devices (rings, TAPs) down and a new pvxd, which
 *    numbers domains from 1 again, finds no stale tree under a reused id.
 * Dom0's own tree and everything else stay: they are what a new toolstack
 * needs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dom_events.h"
#include "ring.h"

/* Removes path (and its subtree) as Dom0 would, firing its watches. */
static void purge_path(struct xs_store *st, const char *path)
{
	struct xs_node *n = tree_find(st, path);
	struct xs_perm *perms;
	uint32_t np;

	if (!n || n == st->root)
		return;
	np = n->nperms;
	perms = malloc(np * sizeof(*perms));
	if (!perms)
		return;
	memcpy(perms, n->perms, np * sizeof(*perms));
	tree_remove(st, path);
	watch_fire(st, path, perms, np, true);
	free(perms);
}

/* A domain id as a /local/domain child names it: digits, no leading 0. */
static bool parse_domid(const char *s, uint32_t *out)
{
	uint64_t v;

	if (!*s || (s[0] == '0' && s[1]) || xs_parse_uint(s, 0x7fef, &v))
		return false;
	*out = (uint32_t)v;
	return true;
}

void xs_domain_purge(struct xs_store *st, uint32_t domid)
{
	struct xs_node *local = tree_find(st, "/local/domain"), *n;
	struct hmap_link *b, *t;
	char path[XENSTORE_ABS_PATH_MAX];

	if (!domid)
		return;
	snprintf(path, sizeof(path), "/local/domain/%u/vm", domid);
	n = tree_find(st, path);
	if (n && n->value && n->len > 4 && n->len < 128 &&
	    strncmp(n->value, "/vm/", 4) == 0 && !memchr(n->value, '\0', n->len)) {
		char vm[128];

		memcpy(vm, n->value, n->len);
		vm[n->len] = '\0';
		if (!strchr(vm + 4, '/'))
			purge_path(st, vm);
	}
	snprintf(path, sizeof(path), "/local/domain/%u", domid);
	purge_path(st, path);
	if (!local)
		return;
	hmap_for_each(b, &local->children) {
		struct xs_node *be, *dom = hmap_entry(b, struct xs_node, link);

		snprintf(path, sizeof(path), "/local/domain/%s/backend", dom->name);
		if (!(be = tree_find(st, path)))
			continue;
		hmap_for_each(t, &be->children) {
			snprintf(path, sizeof(path), "/local/domain/%s/backend/%s/%u",
				 dom->name, hmap_entry(t, struct xs_node, link)->name, domid);
			purge_path(st, path);
		}
	}
}

/* Every domain pvxstored knows of: introduced, or with a tree. */
static size_t collect(struct xs_store *st, uint32_t *ids, size_t cap)
{
	struct xs_node *local = tree_find(st, "/local/domain");
	struct hmap_link *l;
	size_t n = 0;
	uint32_t id;

	hmap_for_each(l, &st->domains) {
		struct xs_domain *d = hmap_entry(l, struct xs_domain, link);

		if (d->domid && d->introduced && n < cap)
			ids[n++] = d->domid;
	}
	if (local)
		hmap_for_each(l, &local->children)
			if (parse_domid(hmap_entry(l, struct xs_node, link)->name, &id) &&
			    id && n < cap)
				ids[n++] = id;
	return n;
}

unsigned xs_platform_lost(struct xs_store *st)
{
	struct xs_node *local = tree_find(st, "/local/domain");
	size_t n, i, cap = st->domains.count + (local ? local->children.count : 0);
	unsigned dead = 0;
	uint32_t *ids;

	ids = calloc(cap + 1, sizeof(*ids));
	if (!ids)
		return 0;
	n = collect(st, ids, cap);
	for (i = 0; i < n; i++) {
		struct xs_domain *d = domain_get(st, ids[i], false);

		if (d && d->introduced)
			xs_domain_release(st, d);
	}
	for (i = 0; i < n; i++) {
		char path[48];

		snprintf(path, sizeof(path), "/local/domain/%u", ids[i]);
		if (tree_find(st, path))
			dead++;
		xs_domain_purge(st, ids[i]);
	}
	if (st->ring_backend && st->ring_backend->reset)
		st->ring_backend->reset(st->ring_ctx);
	free(ids);
	return dead;
}
