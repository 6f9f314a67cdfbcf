/*
 * Transaction overlay entries (txn.h): allocation, copying a tree node's
 * state into an entry, and the ordered child-name list of a copied entry.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "txn.h"

struct xs_tentry *txn_entry(struct xs_txn *t, const char *path)
{
	struct hmap_link *l = hmap_find(&t->entries, path);

	return l ? hmap_entry(l, struct xs_tentry, link) : NULL;
}

struct xs_tentry *txn_entry_new(struct xs_txn *t, const char *path)
{
	struct xs_tentry *e = calloc(1, sizeof(*e));

	if (!e)
		return NULL;
	e->path = strdup(path);
	if (!e->path) {
		free(e);
		return NULL;
	}
	e->link.key = e->path;
	e->seq = t->nseq++;
	if (hmap_insert(&t->entries, &e->link)) {
		free(e->path);
		free(e);
		return NULL;
	}
	return e;
}

void txn_entry_clear(struct xs_tentry *e)
{
	uint32_t i;

	for (i = 0; i < e->nkids; i++)
		free(e->kids[i]);
	free(e->kids);
	e->kids = NULL;
	e->nkids = e->capkids = 0;
	free(e->value);
	e->value = NULL;
	e->len = 0;
}

static int kid_append(struct xs_tentry *e, const char *name)
{
	char **k;

	if (e->nkids == e->capkids) {
		uint32_t cap = e->capkids ? e->capkids * 2 : 8;

		k = realloc(e->kids, cap * sizeof(*k));
		if (!k)
			return -ENOMEM;
		e->kids = k;
		e->capkids = cap;
	}
	e->kids[e->nkids] = strdup(name);
	if (!e->kids[e->nkids])
		return -ENOMEM;
	e->nkids++;
	return 0;
}

int tentry_add_kid(struct xs_tentry *e, const char *name)
{
	uint32_t i;

	for (i = 0; i < e->nkids; i++)
		if (strcmp(e->kids[i], name) == 0)
			return 0;
	return kid_append(e, name);
}

void tentry_del_kid(struct xs_tentry *e, const char *name)
{
	uint32_t i;

	for (i = 0; i < e->nkids; i++) {
		if (strcmp(e->kids[i], name) != 0)
			continue;
		free(e->kids[i]);
		memmove(&e->kids[i], &e->kids[i + 1],
			(e->nkids - i - 1) * sizeof(e->kids[0]));
		e->nkids--;
		return;
	}
}

/* Copies n's state (or absence, n == NULL) into e and marks it TE_COPY. */
int txn_entry_fill(struct xs_tentry *e, const struct xs_node *n)
{
	struct hmap_link *l;

	txn_entry_clear(e);
	free(e->perms);
	e->perms = NULL;
	e->nperms = 0;
	e->exists = n != NULL;
	e->gen = n ? n->gen : 0;
	e->flags |= TE_COPY;
	if (!n)
		return 0;
	if (n->len) {
		e->value = malloc(n->len);
		if (!e->value)
			return -ENOMEM;
		memcpy(e->value, n->value, n->len);
		e->len = n->len;
	}
	e->perms = malloc(n->nperms * sizeof(*e->perms));
	if (!e->perms)
		return -ENOMEM;
	memcpy(e->perms, n->perms, n->nperms * sizeof(*e->perms));
	e->nperms = n->nperms;
	hmap_for_each(l, &n->children)
		if (kid_append(e, l->key))
			return -ENOMEM;
	return 0;
}
