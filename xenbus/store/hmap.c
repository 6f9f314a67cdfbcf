/*
 * Chained string hash map with insertion order (see hmap.h). FNV-1a
 * hashing; the bucket array doubles when the load reaches 1 so a chain
 * stays short however many children a node gets.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hmap.h"

#define HMAP_MIN_BUCKETS 4

uint32_t hmap_hash(const char *key)
{
	uint32_t h = 2166136261u;

	while (*key) {
		h ^= (uint8_t)*key++;
		h *= 16777619u;
	}
	return h;
}

void hmap_init(struct hmap *m)
{
	memset(m, 0, sizeof(*m));
}

void hmap_dispose(struct hmap *m)
{
	free(m->buckets);
	hmap_init(m);
}

struct hmap_link *hmap_find(const struct hmap *m, const char *key)
{
	struct hmap_link *l;
	uint32_t h;

	if (!m->nbuckets)
		return NULL;
	h = hmap_hash(key);
	for (l = m->buckets[h & (m->nbuckets - 1)]; l; l = l->hnext)
		if (l->hash == h && strcmp(l->key, key) == 0)
			return l;
	return NULL;
}

static int grow(struct hmap *m)
{
	size_t n = m->nbuckets ? m->nbuckets * 2 : HMAP_MIN_BUCKETS;
	struct hmap_link **b = calloc(n, sizeof(*b));
	struct hmap_link *l;

	if (!b)
		return -ENOMEM;
	hmap_for_each(l, m) {
		l->hnext = b[l->hash & (n - 1)];
		b[l->hash & (n - 1)] = l;
	}
	free(m->buckets);
	m->buckets = b;
	m->nbuckets = n;
	return 0;
}

int hmap_insert(struct hmap *m, struct hmap_link *link)
{
	int rc = 0;
	size_t i;

	link->hash = hmap_hash(link->key);
	link->prev = m->last;
	link->next = NULL;
	if (m->last)
		m->last->next = link;
	else
		m->first = link;
	m->last = link;
	m->count++;
	if (m->count > m->nbuckets) {
		/* grow() rehashes every linked element, this one included. */
		rc = grow(m);
		if (rc == 0)
			return 0;
		if (!m->nbuckets) {
			m->count--;
			m->last = link->prev;
			if (m->last)
				m->last->next = NULL;
			else
				m->first = NULL;
			return rc;
		}
	}
	i = link->hash & (m->nbuckets - 1);
	link->hnext = m->buckets[i];
	m->buckets[i] = link;
	return rc == -ENOMEM && m->nbuckets ? 0 : rc;
}

void hmap_remove(struct hmap *m, struct hmap_link *link)
{
	struct hmap_link **pp = &m->buckets[link->hash & (m->nbuckets - 1)];

	while (*pp != link)
		pp = &(*pp)->hnext;
	*pp = link->hnext;
	if (link->prev)
		link->prev->next = link->next;
	else
		m->first = link->next;
	if (link->next)
		link->next->prev = link->prev;
	else
		m->last = link->prev;
	m->count--;
}
