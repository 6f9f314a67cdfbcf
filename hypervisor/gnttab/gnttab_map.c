/*
 * gnttab_map: mappers' handles (Xen's maptrack).
 *
 * An owner (a Dom0 control connection) has an array of handles, grown by
 * doubling up to GNTTAB_MAPTRACK_MAX, with a free list threaded through
 * the unused ones. A handle records what it pinned: the granter's domid
 * and cookie, the ref and whether it is read-only. Unmapping drops the
 * pin only if the granter is still the same registration (same cookie):
 * a destroyed granter's pins went away with its table. Room for a
 * handle is made before the pin is taken, so a full maptrack fails with
 * GNTST_no_space before the guest's entry is touched; the handle is
 * filled in only once the pin succeeded.
 */
#include <stdlib.h>

#include "gnttab_impl.h"

#define MT_INUSE    1u
#define MT_READONLY 2u

struct mt_entry {
	uint64_t cookie;
	grant_ref_t ref;
	domid_t dom;
	uint16_t flags;
	uint32_t next_free;
};

struct gt_owner {
	const void *key;
	struct mt_entry *mt;
	uint32_t size, used, free_head; /* free_head == size: none free */
	struct gt_owner *next;
};

static struct gt_owner *owners;

static struct gt_owner *owner_find(const void *key, struct gt_owner ***pp)
{
	struct gt_owner **p;

	for (p = &owners; *p; p = &(*p)->next)
		if ((*p)->key == key)
			break;
	if (pp)
		*pp = p;
	return *p;
}

static struct gt_owner *owner_get(const void *key)
{
	struct gt_owner *o = owner_find(key, NULL);

	if (o)
		return o;
	o = calloc(1, sizeof(*o));
	if (!o)
		return NULL;
	o->key = key;
	o->next = owners;
	owners = o;
	return o;
}

/* Makes sure one handle is free; false if the maptrack is full. */
static bool reserve(struct gt_owner *o)
{
	uint32_t n;
	struct mt_entry *mt;

	if (o->free_head < o->size)
		return true;
	if (o->size >= GNTTAB_MAPTRACK_MAX)
		return false;
	n = o->size ? o->size * 2 : 64;
	mt = realloc(o->mt, n * sizeof(*mt));
	if (!mt)
		return false;
	for (uint32_t i = o->size; i < n; i++)
		mt[i] = (struct mt_entry){ .next_free = i + 1 };
	o->mt = mt;
	o->free_head = o->size;
	o->size = n;
	return true;
}

static void release(struct gt_owner *o, uint32_t h)
{
	struct mt_entry *m = &o->mt[h];
	struct gt_dom *g = gt_dom(m->dom);

	if (g && g->cookie == m->cookie)
		gt_unpin(g, m->ref, m->flags & MT_READONLY);
	*m = (struct mt_entry){ .next_free = o->free_head };
	o->free_head = h;
	o->used--;
}

static int16_t map_locked(const void *owner, domid_t mapper, domid_t dom,
			  grant_ref_t ref, bool ro, struct gnttab_map_result *res)
{
	struct gt_dom *g = gt_dom(dom);
	struct gt_owner *o;
	struct gt_active *a;
	struct mt_entry *m;
	uint32_t h;
	int16_t st;

	if (!g)
		return GNTST_bad_domain;
	o = owner_get(owner);
	if (!o || !reserve(o))
		return GNTST_no_space;
	st = gt_pin(g, ref, mapper, ro);
	if (st != GNTST_okay)
		return st;
	h = o->free_head;
	m = &o->mt[h];
	o->free_head = m->next_free;
	*m = (struct mt_entry){ .cookie = g->cookie, .ref = ref, .dom = dom,
		.flags = MT_INUSE | (ro ? MT_READONLY : 0) };
	o->used++;
	a = gt_act(g, ref);
	res->handle = h;
	res->gfn = a->gfn;
	res->offset = (uint64_t)a->offset;
	return GNTST_okay;
}

int16_t gnttab_map(const void *owner, domid_t mapper, domid_t dom,
		   grant_ref_t ref, bool readonly, struct gnttab_map_result *res)
{
	int16_t st;

	pthread_mutex_lock(&gt_lock);
	st = map_locked(owner, mapper, dom, ref, readonly, res);
	pthread_mutex_unlock(&gt_lock);
	return st;
}

int16_t gnttab_unmap(const void *owner, uint32_t handle)
{
	struct gt_owner *o;
	int16_t st = GNTST_bad_handle;

	pthread_mutex_lock(&gt_lock);
	o = owner_find(owner, NULL);
	if (o && handle < o->size && (o->mt[handle].flags & MT_INUSE)) {
		release(o, handle);
		st = GNTST_okay;
	}
	pthread_mutex_unlock(&gt_lock);
	return st;
}

unsigned gnttab_owner_release(const void *owner)
{
	struct gt_owner *o, **pp;
	unsigned n = 0;

	pthread_mutex_lock(&gt_lock);
	o = owner_find(owner, &pp);
	if (o) {
		for (uint32_t h = 0; h < o->size; h++)
			if (o->mt[h].flags & MT_INUSE) {
				release(o, h);
				n++;
			}
		*pp = o->next;
		free(o->mt);
		free(o);
	}
	pthread_mutex_unlock(&gt_lock);
	return n;
}

unsigned gnttab_owner_count(const void *owner)
{
	struct gt_owner *o;
	unsigned n;

	pthread_mutex_lock(&gt_lock);
	o = owner_find(owner, NULL);
	n = o ? o->used : 0;
	pthread_mutex_unlock(&gt_lock);
	return n;
}

void gt_owners_exit(void)
{
	while (owners)
		gnttab_owner_release(owners->key);
}
