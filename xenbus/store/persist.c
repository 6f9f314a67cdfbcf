/*
 * Persistence: the whole store (nodes with permissions and values, the
 * special nodes' permissions, introduced domains and the watches of their
 * ring connections) is written to one file, and reloaded at start.
 *
 * Write-behind: the first change after a save arms a timer; when it fires
 * the store is serialised to "<file>.tmp" and renamed over the file, so
 * the file is always a complete snapshot. A crash (even kill -9) loses at
 * most the changes of the last interval (200 ms in pvxstored). There is
 * no fsync: the guarantee is against the daemon dying, not the host.
 *
 * Format (native endianness, this host only): "PVXSTORE1\n", then records
 * tagged by one byte: 'N' node (path, perms, value) in pre-order so a
 * parent always precedes its children; 'S' special-node perms; 'D'
 * introduced domain (domid, gfn, port, target); 'W' a domain's watch;
 * 'E' end with the record count. Strings are u32 length + bytes.
 */
#include <errno.h>
#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "persist.h"



struct persist {
	char *path;
	struct event *timer;
	unsigned interval_ms;
	bool armed;
};

struct wr {
	FILE *f;
	uint64_t records;
	bool err;
};

static void put(struct wr *w, const void *p, size_t n)
{
	if (n && fwrite(p, 1, n, w->f) != n)
		w->err = true;
}

static void put32(struct wr *w, uint32_t v) { put(w, &v, sizeof(v)); }
static void put64(struct wr *w, uint64_t v) { put(w, &v, sizeof(v)); }

static void put_str(struct wr *w, const char *s, uint32_t n)
{
	put32(w, n);
	put(w, s, n);
}

static void put_perms(struct wr *w, const struct xs_perm *p, uint32_t n)
{
	uint32_t i;

	put32(w, n);
	for (i = 0; i < n; i++) {
		put32(w, p[i].id);
		put32(w, p[i].perm);
	}
}

static void save_node(struct wr *w, const struct xs_node *n, char *path)
{
	size_t plen = strlen(path);
	struct hmap_link *l;

	put(w, "N", 1);
	put_str(w, path, plen);
	put_perms(w, n->perms, n->nperms);
	put_str(w, n->value, n->len);
	w->records++;
	hmap_for_each(l, &n->children) {
		const struct xs_node *k = hmap_entry(l, struct xs_node, link);

		snprintf(path + plen, XENSTORE_ABS_PATH_MAX - plen, "%s%s",
			 plen == 1 ? "" : "/", k->name);
		save_node(w, k, path);
		path[plen] = '\0';
	}
}

static void save_domains(struct wr *w, struct xs_store *st)
{
	struct hmap_link *l;
	struct xs_watch *wa;

	hmap_for_each(l, &st->domains) {
		struct xs_domain *d = hmap_entry(l, struct xs_domain, link);

		if (!d->introduced)
			continue;
		put(w, "D", 1);
		put32(w, d->domid);
		put64(w, d->gfn);
		put32(w, d->port);
		put32(w, d->target);
		w->records++;
		if (!d->conn)
			continue;
		TAILQ_FOREACH(wa, &d->conn->watches, conn_link) {
			put(w, "W", 1);
			put32(w, d->domid);
			put32(w, (uint32_t)wa->depth);
			put32(w, wa->relative);
			put_str(w, wa->path, strlen(wa->path));
			put_str(w, wa->token, strlen(wa->token));
			w->records++;
		}
	}
}

int persist_save(struct xs_store *st)
{
	struct persist *ps = st->persist;
	char path[XENSTORE_ABS_PATH_MAX] = "/", tmp[4096];
	struct wr w = { 0 };
	int i;

	if (!ps)
		return 0;
	ps->armed = false;
	snprintf(tmp, sizeof(tmp), "%s.tmp", ps->path);
	w.f = fopen(tmp, "we");
	if (!w.f)
		return -errno;
	put(&w, MAGIC_STR, strlen(MAGIC_STR));
	save_node(&w, st->root, path);
	for (i = 0; i < 2; i++) {
		put(&w, "S", 1);
		put32(&w, (uint32_t)i);
		put_perms(&w, st->special_perms[i], st->special_nperms[i]);
		w.records++;
	}
	save_domains(&w, st);
	put(&w, "E", 1);
	put64(&w, w.records);
	if (fclose(w.f) || w.err || rename(tmp, ps->path)) {
		pvx_log_err("persist: cannot save %s: %s", ps->path,
		       strerror(errno));
		unlink(tmp);
		return -EIO;
	}
	return 0;
}

static void timer_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	persist_save(arg);
}

static void on_change(struct xs_store *st)
{
	struct persist *ps = st->persist;
	struct timeval tv = { ps->interval_ms / 1000, (ps->interval_ms % 1000) * 1000 };

	if (ps->armed)
		return;
	ps->armed = true;
	evtimer_add(ps->timer, &tv);
}

int persist_init(struct xs_store *st, const char *path, unsigned interval_ms)
{
	struct persist *ps = calloc(1, sizeof(*ps));

	if (!ps || !(ps->path = strdup(path)))
		goto err;
	ps->interval_ms = interval_ms;
	ps->timer = evtimer_new(st->base, timer_cb, st);
	if (!ps->timer)
		goto err;
	st->persist = ps;
	st->on_change = on_change;
	return 0;
err:
	if (ps)
		free(ps->path);
	free(ps);
	return -ENOMEM;
}

void persist_dispose(struct xs_store *st)
{
	struct persist *ps = st->persist;

	if (!ps)
		return;
	if (ps->armed)
		persist_save(st);
	event_free(ps->timer);
	free(ps->path);
	free(ps);
	st->persist = NULL;
	st->on_change = NULL;
}
