/*
 * The records of pvxstored's snapshot and journal, and the snapshot
 * writer. Records are one tag byte then fields (native endianness: the
 * files never leave this host); strings are u32 length + bytes.
 *   'H' epoch u64                first frame of either file
 *   'N' path, perms, value       the node now has these (created if new)
 *   'R' path                     the node and its subtree are gone
 *   'M'                          the meta state that follows replaces all
 *   'd' domid                    forget this domain (D and W may follow)
 *   'S' index, perms             a special node's permissions
 *   'D' domid, gfn u64, port, target   an introduced domain
 *   'W' domid, depth, relative, path, token   a watch of its ring
 *   'E' records u64              last frame of a snapshot
 * A snapshot lists nodes in pre-order (parents first) cut into frames of
 * about 64 KiB, then one meta group; a journal frame holds the records
 * of one request (a transaction commits as one frame), so replay applies
 * a commit whole or not at all.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "persist.h"

#define SNAP_FRAME 65536

static void put_perms(struct jbuf *b, const struct xs_perm *p, uint32_t n)
{
	uint32_t i;

	jb_put32(b, n);
	for (i = 0; i < n; i++) {
		jb_put32(b, p[i].id);
		jb_put32(b, p[i].perm);
	}
}

void persist_put_node(struct jbuf *b, const char *path, const struct xs_node *n)
{
	jb_put8(b, 'N');
	jb_str(b, path, (uint32_t)strlen(path));
	put_perms(b, n->perms, n->nperms);
	jb_str(b, n->value, n->len);
}

void persist_put_remove(struct jbuf *b, const char *path)
{
	jb_put8(b, 'R');
	jb_str(b, path, (uint32_t)strlen(path));
}

static void put_domain(struct jbuf *b, const struct xs_domain *d)
{
	struct xs_watch *wa;

	jb_put8(b, 'D');
	jb_put32(b, d->domid);
	jb_put64(b, d->gfn);
	jb_put32(b, d->port);
	jb_put32(b, d->target);
	if (!d->conn)
		return;
	TAILQ_FOREACH(wa, &d->conn->watches, conn_link) {
		jb_put8(b, 'W');
		jb_put32(b, d->domid);
		jb_put32(b, (uint32_t)wa->depth);
		jb_put32(b, wa->relative);
		jb_str(b, wa->path, (uint32_t)strlen(wa->path));
		jb_str(b, wa->token, (uint32_t)strlen(wa->token));
	}
}

void persist_put_specials(struct jbuf *b, struct xs_store *st)
{
	uint32_t i;

	for (i = 0; i < 2; i++) {
		jb_put8(b, 'S');
		jb_put32(b, i);
		put_perms(b, st->special_perms[i], st->special_nperms[i]);
	}
}

void persist_put_domain(struct jbuf *b, struct xs_store *st, uint32_t domid)
{
	struct xs_domain *d = domain_get(st, domid, false);

	jb_put8(b, 'd');
	jb_put32(b, domid);
	if (d && d->introduced)
		put_domain(b, d);
}

void persist_put_meta(struct jbuf *b, struct xs_store *st)
{
	struct hmap_link *l;

	jb_put8(b, 'M');
	persist_put_specials(b, st);
	hmap_for_each(l, &st->domains) {
		struct xs_domain *d = hmap_entry(l, struct xs_domain, link);

		if (d->introduced)
			put_domain(b, d);
	}
}

struct snap {
	int fd;
	struct jbuf b;
	long long bytes;
	uint64_t records;
	int err;
};

static void snap_emit(struct snap *s)
{
	uint8_t hdr[JOURNAL_HDR];

	if (s->err || !s->b.len)
		return;
	if (s->b.err) {
		s->err = -ENOMEM;
		return;
	}
	journal_frame_hdr(hdr, s->b.p, (uint32_t)s->b.len);
	if (write(s->fd, hdr, sizeof(hdr)) != (ssize_t)sizeof(hdr) ||
	    write(s->fd, s->b.p, s->b.len) != (ssize_t)s->b.len)
		s->err = errno ? -errno : -EIO;
	s->bytes += (long long)(sizeof(hdr) + s->b.len);
	s->b.len = 0;
}

static void snap_node(struct snap *s, const struct xs_node *n, char *path)
{
	size_t plen = strlen(path);
	struct hmap_link *l;

	persist_put_node(&s->b, path, n);
	s->records++;
	if (s->b.len >= SNAP_FRAME)
		snap_emit(s);
	hmap_for_each(l, &n->children) {
		const struct xs_node *k = hmap_entry(l, struct xs_node, link);

		snprintf(path + plen, XENSTORE_ABS_PATH_MAX - plen, "%s%s",
			 plen == 1 ? "" : "/", k->name);
		snap_node(s, k, path);
		path[plen] = '\0';
	}
}

long long persist_write_snapshot(struct xs_store *st, int fd, uint64_t epoch)
{
	char path[XENSTORE_ABS_PATH_MAX] = "/";
	struct snap s = { .fd = fd };

	if (write(fd, MAGIC_SNAP, MAGIC_LEN) != MAGIC_LEN)
		return errno ? -errno : -EIO;
	s.bytes = MAGIC_LEN;
	jb_put8(&s.b, 'H');
	jb_put64(&s.b, epoch);
	snap_emit(&s);
	snap_node(&s, st->root, path);
	snap_emit(&s);
	persist_put_meta(&s.b, st);
	s.records++;
	snap_emit(&s);
	jb_put8(&s.b, 'E');
	jb_put64(&s.b, s.records);
	snap_emit(&s);
	jb_free(&s.b);
	return s.err ? s.err : s.bytes;
}
