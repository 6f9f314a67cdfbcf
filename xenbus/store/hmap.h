/*
 * A small intrusive hash map keyed by strings, with insertion order.
 *
 * pvxstored keeps several "name -> thing" tables whose size is driven by
 * guests and by the number of domains: the children of a tree node
 * (/local/domain has one per domain), the watch trie's levels, a
 * transaction's overlay and the domain table. A lookup must stay O(1)
 * when /local/domain has a thousand children, and directory listings must
 * come out in creation order like C xenstored's, so each map is a chained
 * hash table (doubling at load 1) plus a doubly linked list in insertion
 * order. The element embeds a struct hmap_link; the map never allocates
 * or frees elements, only its bucket array.
 */
#ifndef XS_HMAP_H
#define XS_HMAP_H

#include <stddef.h>
#include <stdint.h>

struct hmap_link {
	struct hmap_link *hnext;        /* bucket chain */
	struct hmap_link *prev, *next;  /* insertion order */
	const char *key;                /* owned by the element */
	uint32_t hash;
};

struct hmap {
	struct hmap_link **buckets;
	size_t nbuckets;
	size_t count;
	struct hmap_link *first, *last;
};

#define hmap_entry(link, type, member) \
	((type *)((char *)(link) - offsetof(type, member)))

uint32_t hmap_hash(const char *key);
void hmap_init(struct hmap *m);
void hmap_dispose(struct hmap *m); /* frees buckets; elements are the caller's */
struct hmap_link *hmap_find(const struct hmap *m, const char *key);
/* Inserts link (its key must be set and not present); -ENOMEM if the
 * table could not grow (the insert still happens, in a longer chain). */
int hmap_insert(struct hmap *m, struct hmap_link *link);
void hmap_remove(struct hmap *m, struct hmap_link *link);

#define hmap_for_each(pos, m) \
	for ((pos) = (m)->first; (pos); (pos) = (pos)->next)
#define hmap_for_each_safe(pos, tmp, m) \
	for ((pos) = (m)->first; (pos) && ((tmp) = (pos)->next, 1); (pos) = (tmp))

#endif /* XS_HMAP_H */
