/*
 * The settings store: one entry per key holding its effective value.
 *
 * xl keeps every assignment and looks up the most recent one; keeping
 * only the effective value is equivalent and lets `+=` be resolved as
 * it is read: a list gains the new items (a single value is appended as
 * one item), a string gains the new text. `+=` on a number, or mixing a
 * string with a list, is an error: xl only warns, and the result is
 * never what the writer meant. `+=` on a key not yet set acts as `=`.
 *
 * Values carry pointers to their source name and base directory; those
 * strings live in a pool owned by the store so they outlive the parse.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"

struct cfg_value *cfg_value_new(enum cfg_vtype type, const char *source,
				const char *base_dir, int line)
{
	struct cfg_value *v = calloc(1, sizeof(*v));

	if (!v)
		return NULL;
	v->type = type;
	v->source = source;
	v->base_dir = base_dir;
	v->line = line;
	return v;
}

void cfg_value_free(struct cfg_value *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->n; i++)
		cfg_value_free(v->items[i]);
	free(v->items);
	free(v->text);
	free(v);
}

int cfg_list_push(struct cfg_value *list, struct cfg_value *item)
{
	if (list->n == list->cap) {
		size_t cap = list->cap ? list->cap * 2 : 4;
		struct cfg_value **items = realloc(list->items, cap * sizeof(*items));

		if (!items) {
			cfg_value_free(item);
			return -ENOMEM;
		}
		list->items = items;
		list->cap = cap;
	}
	list->items[list->n++] = item;
	return 0;
}

const char *cfg_store_intern(struct pvx_config_priv *st, const char *s)
{
	char **pool, *copy;

	for (size_t i = 0; i < st->npool; i++)
		if (!strcmp(st->pool[i], s))
			return st->pool[i];
	pool = realloc(st->pool, (st->npool + 1) * sizeof(*pool));
	if (!pool)
		return NULL;
	st->pool = pool;
	copy = strdup(s);
	if (!copy)
		return NULL;
	st->pool[st->npool++] = copy;
	return copy;
}

const struct cfg_setting *cfg_store_find(const struct pvx_config_priv *st,
					 const char *key)
{
	for (size_t i = 0; st && i < st->n; i++)
		if (!strcmp(st->set[i].key, key))
			return &st->set[i];
	return NULL;
}

static int append_value(struct cfg_setting *s, struct cfg_value *v,
			struct cfg_diag *d)
{
	struct cfg_value *old = s->value;
	char *joined;
	size_t a, b;
	int rc = 0;

	if (old->type == CFG_LIST && v->type == CFG_LIST) {
		for (size_t i = 0; !rc && i < v->n; i++) {
			rc = cfg_list_push(old, v->items[i]);
			v->items[i] = NULL;
		}
		cfg_value_free(v);
		return rc;
	}
	if (old->type == CFG_LIST)
		return cfg_list_push(old, v);
	if (old->type == CFG_STRING && v->type == CFG_STRING) {
		a = strlen(old->text);
		b = strlen(v->text);
		joined = realloc(old->text, a + b + 1);
		if (!joined) {
			cfg_value_free(v);
			return -ENOMEM;
		}
		memcpy(joined + a, v->text, b + 1);
		old->text = joined;
		old->line = v->line;
		old->source = v->source;
		cfg_value_free(v);
		return 0;
	}
	rc = cfg_verror(d, v, s->key, old->type == CFG_NUMBER
			? "'+=' cannot append to the number '%s'"
			: "'+=' cannot append a list or number to the string '%s'",
			s->key);
	cfg_value_free(v);
	return rc;
}

/* Takes v over in every case. */
int cfg_store_assign(struct pvx_config_priv *st, const char *key,
		     struct cfg_value *v, bool append, struct cfg_diag *d)
{
	struct cfg_setting *s = (struct cfg_setting *)cfg_store_find(st, key);

	if (s && append)
		return append_value(s, v, d);
	if (s) {
		cfg_value_free(s->value);
		s->value = v;
		return 0;
	}
	if (st->n == st->cap) {
		size_t cap = st->cap ? st->cap * 2 : 16;
		struct cfg_setting *set = realloc(st->set, cap * sizeof(*set));

		if (!set)
			goto nomem;
		st->set = set;
		st->cap = cap;
	}
	s = &st->set[st->n];
	s->key = strdup(key);
	if (!s->key)
		goto nomem;
	s->value = v;
	st->n++;
	return 0;
nomem:
	cfg_value_free(v);
	return -ENOMEM;
}

void cfg_store_dispose(struct pvx_config_priv *st)
{
	for (size_t i = 0; i < st->n; i++) {
		free(st->set[i].key);
		cfg_value_free(st->set[i].value);
	}
	free(st->set);
	for (size_t i = 0; i < st->npool; i++)
		free(st->pool[i]);
	free(st->pool);
	memset(st, 0, sizeof(*st));
}
