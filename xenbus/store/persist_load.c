/*
 * Loading the persisted store (formats in persist_rec.c): the snapshot,
 * then the journal of its epoch, frame by frame. The files are ours, but
 * every length is checked: a snapshot that is not whole (no 'E' frame, a
 * bad CRC, a record count that differs) is refused with -EINVAL; in the
 * journal, the first torn or corrupt frame and everything after it are
 * dropped with a log line (a crash mid-append leaves exactly that), and
 * persist_init cuts the file there before appending.
 *
 * Domains, their ring watches and the special nodes' permissions are
 * collected while reading ('M' replaces them) and applied at the end:
 * domains are re-introduced (their rings reconnect: we adopt the indices
 * we left in the page) and each restored watch fires once, so a guest
 * re-reads what changed while the daemon was down. A domain whose ring
 * can no longer be mapped died meanwhile (with pvxd): its tree, /vm
 * entry and backend directories are purged (decision P30).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dom_events.h"
#include "persist.h"

#define MAX_PERMS 1024

struct rd {
	const uint8_t *p, *end;
	bool err;
};

struct ld_dom {
	uint32_t domid, port, target;
	uint64_t gfn;
};

struct ld_watch {
	uint32_t domid, depth, rel;
	char *path, *token;
};

struct loader {
	struct xs_store *st;
	bool dry;                  /* check a frame, change nothing */
	uint64_t records;          /* 'N' and 'M' */
	struct xs_perm special[2][8];
	uint32_t nspecial[2];
	struct ld_dom *doms;
	size_t ndoms, cdoms;
	struct ld_watch *watches;
	size_t nwatches, cwatches;
};

static void get(struct rd *r, void *out, size_t n)
{
	if ((size_t)(r->end - r->p) < n) {
		r->err = true;
		memset(out, 0, n);
		return;
	}
	memcpy(out, r->p, n);
	r->p += n;
}

static uint32_t get32(struct rd *r) { uint32_t v; get(r, &v, 4); return v; }
static uint64_t get64(struct rd *r) { uint64_t v; get(r, &v, 8); return v; }

/* A string of at most max bytes, NUL-terminated into out. */
static uint32_t get_str(struct rd *r, char *out, uint32_t max)
{
	uint32_t n = get32(r);

	if (n > max) {
		r->err = true;
		out[0] = '\0';
		return 0;
	}
	get(r, out, n);
	out[r->err ? 0 : n] = '\0';
	return n;
}

static uint32_t get_perms(struct rd *r, struct xs_perm *p, uint32_t max)
{
	uint32_t n = get32(r), i;

	if (n == 0 || n > max) {
		r->err = true;
		return 0;
	}
	for (i = 0; i < n; i++) {
		p[i].id = get32(r);
		p[i].perm = get32(r) & XS_PERM_BOTH;
	}
	return n;
}

static int load_node(struct loader *ld, struct rd *r)
{
	static char path[XENSTORE_ABS_PATH_MAX], value[XENSTORE_PAYLOAD_MAX + 1];
	static struct xs_perm perms[MAX_PERMS];
	uint32_t n, len;

	get_str(r, path, XENSTORE_ABS_PATH_MAX - 1);
	n = get_perms(r, perms, MAX_PERMS);
	len = get_str(r, value, XENSTORE_PAYLOAD_MAX);
	if (r->err || path[0] != '/')
		return -EINVAL;
	if (ld->dry)
		return 0;
	ld->records++;
	if (tree_find(ld->st, path))
		return tree_set(ld->st, path, value, len, true, perms, n);
	return tree_create(ld->st, path, value, len, perms, n);
}

static int load_remove(struct loader *ld, struct rd *r)
{
	static char path[XENSTORE_ABS_PATH_MAX];

	get_str(r, path, XENSTORE_ABS_PATH_MAX - 1);
	if (r->err || path[0] != '/')
		return -EINVAL;
	if (!ld->dry)
		tree_remove(ld->st, path);
	return 0;
}

static void meta_clear(struct loader *ld)
{
	size_t i;

	for (i = 0; i < ld->nwatches; i++) {
		free(ld->watches[i].path);
		free(ld->watches[i].token);
	}
	ld->nwatches = ld->ndoms = 0;
	ld->nspecial[0] = ld->nspecial[1] = 0;
}

static void *grow(void *p, size_t *cap, size_t need, size_t size)
{
	void *q;

	if (need <= *cap)
		return p;
	q = realloc(p, (*cap ? *cap * 2 : 16) * size);
	if (q)
		*cap = *cap ? *cap * 2 : 16;
	return q;
}

/* 'd': the domain's records that follow replace what we had. */
static void forget_domain(struct loader *ld, uint32_t domid)
{
	size_t i, k;

	for (i = k = 0; i < ld->ndoms; i++)
		if (ld->doms[i].domid != domid)
			ld->doms[k++] = ld->doms[i];
	ld->ndoms = k;
	for (i = k = 0; i < ld->nwatches; i++) {
		if (ld->watches[i].domid == domid) {
			free(ld->watches[i].path);
			free(ld->watches[i].token);
		} else
			ld->watches[k++] = ld->watches[i];
	}
	ld->nwatches = k;
}

static int load_domain(struct loader *ld, struct rd *r)
{
	struct ld_dom d;
	void *q;

	d.domid = get32(r);
	d.gfn = get64(r);
	d.port = get32(r);
	d.target = get32(r);
	if (r->err)
		return -EINVAL;
	if (ld->dry)
		return 0;
	q = grow(ld->doms, &ld->cdoms, ld->ndoms + 1, sizeof(d));
	if (!q)
		return -ENOMEM;
	ld->doms = q;
	ld->doms[ld->ndoms++] = d;
	return 0;
}

static int load_watch(struct loader *ld, struct rd *r)
{
	static char path[XENSTORE_ABS_PATH_MAX], token[XENSTORE_PAYLOAD_MAX + 1];
	struct ld_watch w;
	void *q;

	w.domid = get32(r);
	w.depth = get32(r);
	w.rel = get32(r);
	get_str(r, path, XENSTORE_ABS_PATH_MAX - 1);
	get_str(r, token, XENSTORE_PAYLOAD_MAX);
	if (r->err)
		return -EINVAL;
	if (ld->dry)
		return 0;
	q = grow(ld->watches, &ld->cwatches, ld->nwatches + 1, sizeof(w));
	if (!q)
		return -ENOMEM;
	ld->watches = q;
	w.path = strdup(path);
	w.token = strdup(token);
	ld->watches[ld->nwatches++] = w;
	return w.path && w.token ? 0 : -ENOMEM;
}

static int load_record(struct loader *ld, struct rd *r, char tag)
{
	struct xs_perm p[8];
	uint32_t i, n;

	switch (tag) {
	case 'N':
		return load_node(ld, r);
	case 'R':
		return load_remove(ld, r);
	case 'M':
		if (!ld->dry) {
			ld->records++;
			meta_clear(ld);
		}
		return 0;
	case 'S':
		i = get32(r);
		n = get_perms(r, p, 8);
		if (r->err || i > 1)
			return -EINVAL;
		if (!ld->dry) {
			memcpy(ld->special[i], p, n * sizeof(p[0]));
			ld->nspecial[i] = n;
		}
		return 0;
	case 'd':
		i = get32(r);
		if (r->err)
			return -EINVAL;
		if (!ld->dry)
			forget_domain(ld, i);
		return 0;
	case 'D':
		return load_domain(ld, r);
	case 'W':
		return load_watch(ld, r);
	default:
		return -EINVAL;
	}
}

/* Every record of one frame's payload. */
static int load_frame(struct loader *ld, const uint8_t *p, uint32_t n)
{
	struct rd r = { p, p + n, false };
	char tag;
	int rc;

	while (r.p < r.end) {
		get(&r, &tag, 1);
		if ((rc = load_record(ld, &r, tag)))
			return rc;
	}
	return 0;
}

/* The introduced domains and their watches, once every record is in. */
static void meta_apply(struct loader *ld)
{
	struct xs_store *st = ld->st;
	struct xs_domain *d;
	char home[32];
	size_t i, k;
	int j;

	for (j = 0; j < 2; j++)
		if (ld->nspecial[j]) {
			memcpy(st->special_perms[j], ld->special[j],
			       ld->nspecial[j] * sizeof(ld->special[j][0]));
			st->special_nperms[j] = ld->nspecial[j];
		}
	for (i = 0; i < ld->ndoms; i++) {
		int rc = xs_domain_introduce(st, ld->doms[i].domid, ld->doms[i].gfn,
					     ld->doms[i].port);

		if (rc == -EINVAL) {
			/* Its ring cannot be mapped: pvxd does not know the
			 * domain (or is not running): it died while we were
			 * down. Its tree goes, as at pvxd's loss (P30). */
			pvx_log_warn("domain %u of the saved store is gone; purging"
				     " its tree", ld->doms[i].domid);
			xs_domain_purge(st, ld->doms[i].domid);
		}
		if (rc)
			continue;
		d = domain_get(st, ld->doms[i].domid, false);
		if (d)
			d->target = ld->doms[i].target;
	}
	for (i = 0; i < ld->nwatches; i++) {
		struct ld_watch *w = &ld->watches[i];

		d = domain_get(st, w->domid, false);
		if (!d || !d->conn || watch_add(d->conn, w->path, w->token,
						w->rel != 0, (int)w->depth))
			continue;
		k = (size_t)snprintf(home, sizeof(home), "/local/domain/%u/", w->domid);
		xs_conn_event(d->conn, w->rel && strncmp(w->path, home, k) == 0 ?
			      w->path + k : w->path, w->token);
	}
}

static int read_file(const char *path, uint8_t **buf, size_t *len)
{
	struct stat sb;
	size_t got = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc = 0;

	if (fd < 0)
		return errno == ENOENT ? 1 : -errno;
	if (fstat(fd, &sb) || !(*buf = malloc(sb.st_size + 1))) {
		close(fd);
		return -ENOMEM;
	}
	while (got < (size_t)sb.st_size) {
		n = read(fd, *buf + got, sb.st_size - got);
		if (n <= 0) {
			rc = -EIO;
			break;
		}
		got += (size_t)n;
	}
	*len = got;
	close(fd);
	return rc;
}

/* The old whole-store format: unframed records ending in 'E' count. */
static int load_v1(struct loader *ld, const uint8_t *p, size_t len)
{
	struct rd r = { p + MAGIC_LEN, p + len, false };
	char tag;

	for (;;) {
		get(&r, &tag, 1);
		if (r.err)
			return -EINVAL;
		if (tag == 'E')
			break;
		if (load_record(ld, &r, tag))
			return -EINVAL;
	}
	/* v1 counted every record; ours counts nodes only: accept. */
	get64(&r);
	return r.err ? -EINVAL : 0;
}

/* "H epoch" as the first frame at *off. */
static int read_header(const uint8_t *buf, size_t len, size_t *off,
		       uint64_t *epoch)
{
	const uint8_t *p;
	uint32_t n;

	if (journal_next(buf, len, off, &p, &n) != JOURNAL_FRAME ||
	    n != 9 || p[0] != 'H')
		return -EINVAL;
	memcpy(epoch, p + 1, 8);
	return 0;
}

static int load_snapshot(struct loader *ld, const uint8_t *buf, size_t len,
			 uint64_t *epoch)
{
	size_t off = MAGIC_LEN;
	const uint8_t *p;
	uint64_t count;
	uint32_t n;

	if (read_header(buf, len, &off, epoch))
		return -EINVAL;
	while (journal_next(buf, len, &off, &p, &n) == JOURNAL_FRAME) {
		if (n == 9 && p[0] == 'E') {
			memcpy(&count, p + 1, 8);
			return count == ld->records && off == len ? 0 : -EINVAL;
		}
		if (load_frame(ld, p, n))
			return -EINVAL;
	}
	return -EINVAL;
}

/* Replays jpath if it is a journal of epoch want: 1 if it was (*end: the
 * bytes that replayed), 0 if not. */
static int replay(struct loader *ld, const char *jpath, uint64_t want,
		  struct persist_info *info, uint64_t *end)
{
	uint8_t *buf = NULL;
	size_t len = 0, off = MAGIC_LEN, at;
	enum journal_next_rc k = JOURNAL_END;
	const uint8_t *p;
	uint64_t epoch;
	uint32_t n;
	int rc = 0;

	if (read_file(jpath, &buf, &len))
		goto out;
	if (len < MAGIC_LEN || memcmp(buf, MAGIC_JOURNAL, MAGIC_LEN) ||
	    read_header(buf, len, &off, &epoch)) {
		pvx_log_warn("persist: %s has no valid header: ignored", jpath);
		goto out;
	}
	if (epoch != want) {
		/* A compaction ended after writing the snapshot: the journal's
		 * changes are in it. */
		pvx_log_info("persist: %s is of epoch %llu, expected %llu: "
			     "ignored", jpath, (unsigned long long)epoch,
			     (unsigned long long)want);
		goto out;
	}
	for (at = off; (k = journal_next(buf, len, &off, &p, &n)) == JOURNAL_FRAME;
	     at = off) {
		ld->dry = true;
		if (load_frame(ld, p, n)) {
			k = JOURNAL_BAD;
			break;
		}
		ld->dry = false;
		if (load_frame(ld, p, n)) {
			pvx_log_err("persist: %s: frame at %zu does not apply: "
				    "replay stops there", jpath, at);
			break;
		}
		info->frames++;
	}
	ld->dry = false;
	if (k != JOURNAL_END)
		pvx_log_warn("persist: %s: %s frame at byte %zu of %zu: it and the "
			     "%zu bytes after it are dropped", jpath,
			     k == JOURNAL_TORN ? "torn" : "corrupt", at, len, len - at);
	*end = at;
	rc = 1;
out:
	free(buf);
	return rc;
}

/* The journal of the snapshot's epoch, then the journal.next that a
 * compaction in a child left (persist_bg.c), if its epoch follows. */
static void replay_all(struct loader *ld, const char *path,
		       struct persist_info *info)
{
	uint64_t want = info->epoch, end = 0;
	char jpath[4200];

	snprintf(jpath, sizeof(jpath), "%s.journal", path);
	if (replay(ld, jpath, want, info, &end)) {
		info->journal_ok = true;
		info->journal_end = end;
		want++;
	}
	snprintf(jpath, sizeof(jpath), "%s.journal.next", path);
	if (access(jpath, F_OK) == 0 && replay(ld, jpath, want, info, &end)) {
		/* Compact at start (epoch want + 1), removing both. */
		info->journal_ok = false;
		info->epoch = want;
	}
}

int persist_load(struct xs_store *st, const char *path, struct persist_info *info)
{
	struct loader ld = { .st = st };
	uint8_t *buf = NULL;
	size_t len = 0;
	int rc = read_file(path, &buf, &len);

	memset(info, 0, sizeof(*info));
	if (rc)
		return rc > 0 ? 0 : rc;
	if (len >= MAGIC_LEN && memcmp(buf, MAGIC_STR, MAGIC_LEN) == 0)
		rc = load_v1(&ld, buf, len);
	else if (len >= MAGIC_LEN && memcmp(buf, MAGIC_SNAP, MAGIC_LEN) == 0)
		rc = load_snapshot(&ld, buf, len, &info->epoch);
	else
		rc = -EINVAL;
	free(buf);
	if (!rc) {
		info->snap_bytes = len;
		if (info->epoch)
			replay_all(&ld, path, info);
		meta_apply(&ld);
		pvx_log_info("persist: loaded %s (%llu records, %zu bytes) and "
			     "%llu journal frames (%llu bytes)", path,
			     (unsigned long long)ld.records, len,
			     (unsigned long long)info->frames,
			     (unsigned long long)info->journal_end);
	}
	meta_clear(&ld);
	free(ld.doms);
	free(ld.watches);
	return rc;
}
