/*
 * Persistence: a saved store reloads node for node (values with any
 * bytes, permissions, owners' node counts, special-node permissions,
 * introduced domains and their watches); a torn or corrupt file is
 * refused rather than half-trusted.
 */
#include <event2/event.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "../../../xenbus/store/persist_priv.h"
#include "../../../xenbus/store/ring.h"

static char dir[64], file[128];
static struct tc *d0;
static char page[4096] __attribute__((aligned(4096)));
static uint32_t dead_domid; /* its page cannot be mapped: pvxd lost it */

static int fmap(void *ctx, uint32_t domid, uint64_t gfn,
		struct xenstore_domain_interface **intf, void **handle)
{
	(void)ctx; (void)gfn;
	if (domid && domid == dead_domid)
		return -ESRCH;
	*intf = (void *)page;
	*handle = page;
	return 0;
}

static void funmap(void *ctx, void *handle) { (void)ctx; (void)handle; }

static int fbind(void *ctx, uint32_t domid, uint32_t port, int *event_fd,
		 int *notify_fd, void **handle)
{
	(void)ctx; (void)domid; (void)port;
	*event_fd = eventfd(0, EFD_NONBLOCK);
	*notify_fd = eventfd(0, EFD_NONBLOCK);
	*handle = (void *)(intptr_t)((*event_fd << 16) | *notify_fd);
	return 0;
}

static void funbind(void *ctx, void *handle)
{
	intptr_t h = (intptr_t)handle;

	(void)ctx;
	close((int)(h >> 16));
	close((int)(h & 0xffff));
}

static const struct xs_ring_backend fake = { fmap, funmap, fbind, funbind, NULL };

static void setup(void)
{
	dead_domid = 0;
	h_setup();
	strcpy(dir, "/tmp/xs-persist.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(file, sizeof(file), "%s/db", dir);
	T_st->base = event_base_new();
	T_st->ring_backend = &fake;
	ck_assert_int_eq(persist_init(T_st, file, 200, NULL), 0);
	d0 = tc_new(0, true);
}

static void teardown(void)
{
	struct event_base *b = T_st->base;
	char tmp[160];

	persist_dispose(T_st);
	h_teardown();
	event_base_free(b);
	snprintf(tmp, sizeof(tmp), "rm -rf %s", dir);
	ck_assert_int_eq(system(tmp), 0);
}

static void load_fresh(struct event_base *b, int expect);

/* Throws the store away and loads the file into a fresh one; crash: as
 * pvxstored killed now (nothing flushed or synced by a shutdown). */
static void reload_as(int expect, bool crash)
{
	struct event_base *b = T_st->base;
	char cmd[1200];

	if (crash) {
		snprintf(cmd, sizeof(cmd), "cp -a %s %s.crash", dir, dir);
		ck_assert_int_eq(system(cmd), 0);
	}
	persist_dispose(T_st);
	if (crash) {
		snprintf(cmd, sizeof(cmd), "rm -rf %s && mv %s.crash %s", dir, dir, dir);
		ck_assert_int_eq(system(cmd), 0);
	}
	load_fresh(b, expect);
}

/* A fresh store from the files (persistence already disposed). */
static void load_fresh(struct event_base *b, int expect)
{
	struct persist_info info;

	while (!TAILQ_EMPTY(&T_st->conns))
		xs_conn_destroy(TAILQ_FIRST(&T_st->conns));
	xs_store_dispose(T_st);
	ck_assert_int_eq(xs_store_init(T_st), 0);
	T_st->base = b;
	T_st->ring_backend = &fake;
	ck_assert_int_eq(persist_load(T_st, file, &info), expect);
	ck_assert_int_eq(persist_init(T_st, file, 200, expect ? NULL : &info), 0);
	d0 = tc_new(0, true);
}

static void reload(int expect)
{
	reload_as(expect, false);
}

START_TEST(round_trip)
{
	static const char val[] = "bin\0\xff\x01";
	const char *perms[] = { "n5", "r6", "b7" }, *sp[] = { "n0", "r9" };
	char r[256], buf[64];
	uint32_t len;

	ck_assert_int_eq(tc_write(d0, 0, "/a/b/c", "hello"), 0);
	ck_assert_int_eq(tc_simple(d0, XS_MKDIR, 0, "/a/empty"), 0);
	memcpy(buf, "/bin", 5);
	memcpy(buf + 5, val, sizeof(val) - 1);
	ck_assert_uint_eq(tc_req(d0, XS_WRITE, 0, buf, 5 + sizeof(val) - 1, r, NULL),
			  XS_WRITE);
	ck_assert_int_eq(tc_perms(d0, "/a/b", perms, 3), 0);
	ck_assert_int_eq(tc_perms(d0, "@releaseDomain", sp, 2), 0);
	ck_assert_int_eq(persist_save(T_st), 0);
	reload(0);
	ck_assert_int_eq(tc_read(d0, 0, "/a/b/c", r), 5);
	ck_assert_str_eq(r, "hello");
	ck_assert_int_eq(tc_dir(d0, 0, "/a", r), 0);
	ck_assert_str_eq(r, "b,empty");
	ck_assert_uint_eq(tc_req(d0, XS_READ, 0, "/bin", 5, r, &len), XS_READ);
	ck_assert_uint_eq(len, sizeof(val) - 1);
	ck_assert_int_eq(memcmp(r, val, len), 0);
	ck_assert_uint_eq(tc_req(d0, XS_GET_PERMS, 0, "/a/b", 5, r, &len), XS_GET_PERMS);
	ck_assert_int_eq(memcmp(r, "n5\0r6\0b7\0", 9), 0);
	ck_assert_uint_eq(domain_nodes(T_st, 5), 1);
	ck_assert_uint_eq(T_st->special_nperms[1], 2);
	ck_assert_int_eq(tc_args(d0, XS_CONTROL, 0, (const char *[]){ "check" }, 1, r), 0);
	ck_assert_str_eq(r, "OK");
}
END_TEST

START_TEST(acknowledged_changes_survive_a_crash)
{
	const char *perms[] = { "n3" };
	char r[64];

	ck_assert_int_eq(tc_write(d0, 0, "/keep/a", "1"), 0);
	ck_assert_int_eq(tc_write(d0, 0, "/gone/b", "2"), 0);
	ck_assert_int_eq(tc_simple(d0, XS_RM, 0, "/gone"), 0);
	ck_assert_int_eq(tc_perms(d0, "/keep/a", perms, 1), 0);
	ck_assert_int_eq(tc_write(d0, 0, "/keep/a", "3"), 0);
	/* Replied to, no event loop turn, no shutdown: in the journal. */
	reload_as(0, true);
	ck_assert_int_eq(tc_read(d0, 0, "/keep/a", r), 1);
	ck_assert_str_eq(r, "3");
	ck_assert_int_eq(tc_read(d0, 0, "/gone", r), -ENOENT);
	ck_assert_uint_eq(domain_nodes(T_st, 3), 1);
	/* And the journal goes on after a replay. */
	ck_assert_int_eq(tc_write(d0, 0, "/keep/c", "4"), 0);
	reload_as(0, true);
	ck_assert_int_eq(tc_read(d0, 0, "/keep/a", r), 1);
	ck_assert_int_eq(tc_read(d0, 0, "/keep/c", r), 1);
	ck_assert_int_eq(tc_args(d0, XS_CONTROL, 0, (const char *[]){ "check" }, 1, r), 0);
}
END_TEST

START_TEST(domains_and_their_watches_come_back)
{
	const char *a[] = { "5", "4660", "7" };
	struct xs_domain *d;

	ck_assert_int_eq(tc_args(d0, XS_INTRODUCE, 0, a, 3, NULL), 0);
	d = domain_get(T_st, 5, false);
	ck_assert_int_eq(watch_add(d->conn, "/local/domain/5/control/shutdown",
				   "tok", true, -1), 0);
	ck_assert_int_eq(persist_save(T_st), 0);
	reload(0);
	d = domain_get(T_st, 5, false);
	ck_assert_ptr_nonnull(d);
	ck_assert(d->introduced);
	ck_assert_uint_eq(d->gfn, 4660);
	ck_assert_uint_eq(d->port, 7);
	ck_assert_ptr_nonnull(d->conn);
	ck_assert_uint_eq(d->conn->nwatches, 1);
	/* The restored watch fired once, so the guest re-reads. */
	event_base_loop(T_st->base, EVLOOP_NONBLOCK);
	ck_assert_uint_eq(d->conn->out_events, 0); /* flushed into the page */
	ck_assert_uint_ne(((struct xenstore_domain_interface *)page)->rsp_prod, 0);
}
END_TEST

static size_t file_size(const char *path);

/* Group commit: the first frame after a sync point arms one fdatasync,
 * interval_ms later; frames meanwhile share it. */
START_TEST(group_commit_syncs_within_the_interval)
{
	struct persist *ps = T_st->persist;
	struct timespec t0, t1;
	long ms;

	ck_assert_uint_eq(ps->syncs, 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(tc_write(d0, 0, "/s/a", "1"), 0);
	ck_assert_int_eq(tc_write(d0, 0, "/s/b", "2"), 0);
	ck_assert(ps->sync_armed);
	while (ps->syncs == 0)
		event_base_loop(T_st->base, EVLOOP_ONCE);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	ck_assert_int_ge(ms, 190);
	ck_assert_int_lt(ms, 1500);  /* generous: a loaded host */
	ck_assert_uint_eq(ps->syncs, 1);
	ck_assert(!ps->sync_armed);
	/* Nothing new: no more syncs. */
	event_base_loop(T_st->base, EVLOOP_NONBLOCK);
	ck_assert_uint_eq(ps->syncs, 1);
}
END_TEST

/* The whole-store file of the previous pvxstored still loads, and is
 * rewritten as a snapshot. */
START_TEST(old_format_still_loads)
{
	struct { uint32_t n; char s[2]; } __attribute__((packed)) name;
	uint32_t v32;
	uint64_t v64 = 2;
	char r[64];
	FILE *f;

	persist_dispose(T_st);
	f = fopen(file, "w");
	fputs("PVXSTORE1\n", f);
	/* N "/" perms [0 none] value "" ; N "/o" perms [0 none] value "k" */
	fputc('N', f); v32 = 1; fwrite(&v32, 4, 1, f); fputc('/', f);
	v32 = 1; fwrite(&v32, 4, 1, f); v32 = 0; fwrite(&v32, 4, 1, f);
	fwrite(&v32, 4, 1, f); fwrite(&v32, 4, 1, f);
	fputc('N', f); name.n = 2; memcpy(name.s, "/o", 2); fwrite(&name, 6, 1, f);
	v32 = 1; fwrite(&v32, 4, 1, f); v32 = 0; fwrite(&v32, 4, 1, f);
	fwrite(&v32, 4, 1, f); v32 = 1; fwrite(&v32, 4, 1, f); fputc('k', f);
	fputc('E', f); fwrite(&v64, 8, 1, f);
	fclose(f);
	load_fresh(T_st->base, 0);
	ck_assert_int_eq(tc_read(d0, 0, "/o", r), 1);
	ck_assert_str_eq(r, "k");
	f = fopen(file, "r");
	ck_assert_ptr_nonnull(fgets(r, 11, f));
	fclose(f);
	ck_assert_str_eq(r, "PVXSTORE2\n");
}
END_TEST

/* A failed append (here a descriptor that cannot be written, as a full
 * disk would) is followed by a compaction: nothing is lost. */
START_TEST(append_failure_compacts)
{
	struct persist *ps = T_st->persist;
	char r[64];

	ck_assert_int_eq(tc_write(d0, 0, "/f/a", "1"), 0);
	close(ps->fd);
	ps->fd = open("/dev/null", O_RDONLY);
	log_clear();
	ck_assert_int_eq(tc_write(d0, 0, "/f/b", "2"), 0);
	ck_assert(log_has("cannot append"));
	ck_assert(log_has("compacted"));
	ck_assert_int_eq(tc_write(d0, 0, "/f/c", "3"), 0);
	reload_as(0, true);
	ck_assert_int_eq(tc_read(d0, 0, "/f/a", r), 1);
	ck_assert_int_eq(tc_read(d0, 0, "/f/b", r), 1);
	ck_assert_int_eq(tc_read(d0, 0, "/f/c", r), 1);
}
END_TEST

/* Domains and ring watches through the journal alone: one record per
 * changed domain (a watch costs the same with 20 domains as with 1). */
START_TEST(domains_through_the_journal)
{
	char a[3][16], jpath[200];
	const char *args[3] = { a[0], a[1], a[2] };
	struct xs_domain *d;
	size_t before;
	uint32_t id;

	snprintf(jpath, sizeof(jpath), "%s.journal", file);
	for (id = 5; id < 25; id++) {
		snprintf(a[0], 16, "%u", id);
		snprintf(a[1], 16, "%u", 4096 + id);
		snprintf(a[2], 16, "%u", 7);
		ck_assert_int_eq(tc_args(d0, XS_INTRODUCE, 0, args, 3, NULL), 0);
		d = domain_get(T_st, id, false);
		ck_assert_int_eq(watch_add(d->conn, "/local/domain/x/a", "t", false, -1), 0);
		persist_flush(T_st);
	}
	d = domain_get(T_st, 5, false);
	before = file_size(jpath);
	ck_assert_int_eq(watch_add(d->conn, "/local/domain/5/b", "u", true, -1), 0);
	persist_flush(T_st);
	ck_assert_uint_lt(file_size(jpath) - before, 200);
	reload_as(0, true);
	d = domain_get(T_st, 5, false);
	ck_assert(d && d->introduced && d->conn);
	ck_assert_uint_eq(d->conn->nwatches, 2);
	ck_assert_uint_eq(domain_get(T_st, 24, false)->gfn, 4096 + 24);
	/* A watch removed, a domain released: so after a crash too. */
	ck_assert_int_eq(watch_remove(d->conn, "/local/domain/x/a", "t"), 0);
	persist_flush(T_st);
	ck_assert_int_eq(tc_simple(d0, XS_RELEASE, 0, "6"), 0);
	reload_as(0, true);
	d = domain_get(T_st, 5, false);
	ck_assert_uint_eq(d->conn->nwatches, 1);
	d = domain_get(T_st, 6, false);
	ck_assert(!d || !d->introduced);
	ck_assert(domain_get(T_st, 7, false)->introduced);
}
END_TEST

/* pvxstored restarted after pvxd died (P30): a saved domain whose ring
 * can no longer be mapped is gone, and so are its tree and backend
 * directories; a live one is introduced again with its tree. */
START_TEST(a_domain_gone_while_down_is_purged_at_load)
{
	const char *five[] = { "5", "4101", "7" }, *six[] = { "6", "4102", "7" };
	char v[64];

	ck_assert_int_eq(tc_args(d0, XS_INTRODUCE, 0, five, 3, NULL), 0);
	ck_assert_int_eq(tc_args(d0, XS_INTRODUCE, 0, six, 3, NULL), 0);
	ck_assert_int_eq(tc_write(d0, 0, "/local/domain/5/name", "a"), 0);
	ck_assert_int_eq(tc_write(d0, 0, "/local/domain/6/name", "b"), 0);
	ck_assert_int_eq(tc_write(d0, 0, "/local/domain/0/backend/vbd/6/51712/state", "4"), 0);
	persist_flush(T_st);
	dead_domid = 6;
	reload_as(0, true);
	ck_assert(domain_get(T_st, 5, false)->introduced);
	ck_assert_int_ge(tc_read(d0, 0, "/local/domain/5/name", v), 0);
	ck_assert_int_eq(tc_read(d0, 0, "/local/domain/6/name", v), -ENOENT);
	ck_assert_int_eq(tc_read(d0, 0, "/local/domain/0/backend/vbd/6/51712/state", v),
			 -ENOENT);
	ck_assert(!domain_get(T_st, 6, false) || !domain_get(T_st, 6, false)->introduced);
}
END_TEST

START_TEST(missing_file_is_an_empty_store)
{
	struct persist_info info;

	ck_assert_int_eq(persist_load(T_st, "/nonexistent/dir/db", &info), 0);
	ck_assert(!info.journal_ok);
}
END_TEST

START_TEST(corrupt_files_are_refused)
{
	static const char *bad[] = { "", "PVXSTORE1\n", "NOTASTORE\nE", "PVXSTORE1\nX" };
	struct persist_info info;
	char buf[4096];
	ssize_t n;
	size_t i;
	int fd;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		ck_assert_int_eq(write(fd, bad[i], strlen(bad[i])), (ssize_t)strlen(bad[i]));
		close(fd);
		ck_assert_int_eq(persist_load(T_st, file, &info), -EINVAL);
	}
	/* A good file cut short anywhere is refused too. */
	ck_assert_int_eq(tc_write(d0, 0, "/x/y", "z"), 0);
	ck_assert_int_eq(persist_save(T_st), 0);
	fd = open(file, O_RDONLY);
	n = read(fd, buf, sizeof(buf));
	close(fd);
	ck_assert_int_gt(n, 20);
	for (i = 10; i < (size_t)n; i += 7) {
		fd = open(file, O_WRONLY | O_TRUNC);
		ck_assert_int_eq(write(fd, buf, i), (ssize_t)i);
		close(fd);
		reload(-EINVAL);
	}
}
END_TEST

static size_t file_size(const char *path)
{
	struct stat sb;

	ck_assert_int_eq(stat(path, &sb), 0);
	return (size_t)sb.st_size;
}

static void cut(const char *path, size_t len)
{
	ck_assert_int_eq(truncate(path, (off_t)len), 0);
}

/* Every cut of the last frame (a transaction of two writes) loses the
 * whole transaction and keeps what came before; new writes then land
 * after the cut and replay. */
START_TEST(torn_tail_drops_a_whole_commit)
{
	char jpath[200], r[64];
	size_t before, after, at;
	uint32_t tx;

	snprintf(jpath, sizeof(jpath), "%s.journal", file);
	ck_assert_int_eq(tc_write(d0, 0, "/base", "0"), 0);
	before = file_size(jpath);
	ck_assert_int_eq(tc_tx_start(d0, &tx), 0);
	ck_assert_int_eq(tc_write(d0, tx, "/t/a", "1"), 0);
	ck_assert_int_eq(tc_write(d0, tx, "/t/b", "2"), 0);
	ck_assert_uint_eq(file_size(jpath), before);  /* nothing before commit */
	ck_assert_int_eq(tc_tx_end(d0, tx, true), 0);
	after = file_size(jpath);
	ck_assert_uint_gt(after, before);
	/* Cut the commit's frame: /base stays, /t goes, a line says so. */
	ck_assert_int_eq(tc_tx_start(d0, &tx), 0);
	ck_assert_int_eq(tc_write(d0, tx, "/u/a", "1"), 0);
	ck_assert_int_eq(tc_write(d0, tx, "/u/b", "2"), 0);
	before = file_size(jpath);
	ck_assert_int_eq(tc_tx_end(d0, tx, true), 0);
	after = file_size(jpath);
	for (at = before + 1; at < after; at += 7) {
		char cmd[1200];

		snprintf(cmd, sizeof(cmd), "cp %s %s.x && cp %s %s.y", file, file,
			 jpath, jpath);
		ck_assert_int_eq(system(cmd), 0);
		cut(jpath, at);
		log_clear();
		reload_as(0, true);
		ck_assert(log_has("torn frame"));
		ck_assert_int_eq(tc_read(d0, 0, "/base", r), 1);
		ck_assert_int_eq(tc_read(d0, 0, "/u", r), -ENOENT);
		ck_assert_int_eq(tc_write(d0, 0, "/after", "x"), 0);
		reload_as(0, true);
		ck_assert_int_eq(tc_read(d0, 0, "/after", r), 1);
		ck_assert_int_eq(tc_read(d0, 0, "/u/a", r), -ENOENT);
		/* Back to the uncut files for the next cut. */
		snprintf(cmd, sizeof(cmd), "cp %s.x %s && cp %s.y %s", file, file,
			 jpath, jpath);
		persist_dispose(T_st);
		ck_assert_int_eq(system(cmd), 0);
		reload_as(0, false);
		ck_assert_int_eq(tc_read(d0, 0, "/u/b", r), 1);
	}
}
END_TEST

/* Compaction: a new snapshot, an empty journal of the next epoch; a
 * journal of an older epoch (a crash between the two renames) is
 * ignored, its changes being in the snapshot. */
START_TEST(compaction_and_stale_journal)
{
	char jpath[200], cmd[1200], r[64];

	snprintf(jpath, sizeof(jpath), "%s.journal", file);
	ck_assert_int_eq(tc_write(d0, 0, "/c/a", "1"), 0);
	snprintf(cmd, sizeof(cmd), "cp %s %s.old", jpath, jpath);
	ck_assert_int_eq(system(cmd), 0);
	ck_assert_int_eq(persist_save(T_st), 0);
	ck_assert_uint_lt(file_size(jpath), 40);
	ck_assert_int_eq(tc_write(d0, 0, "/c/b", "2"), 0);
	persist_dispose(T_st);
	snprintf(cmd, sizeof(cmd), "mv %s.old %s", jpath, jpath);
	ck_assert_int_eq(system(cmd), 0);
	log_clear();
	reload_as(0, false);
	ck_assert(log_has("ignored"));
	ck_assert_int_eq(tc_read(d0, 0, "/c/a", r), 1);
	/* /c/b was only in the newer journal, which we replaced: lost, as
	 * expected of this artificial case; the store is consistent. */
	ck_assert_int_eq(tc_read(d0, 0, "/c/b", r), -ENOENT);
	ck_assert_int_eq(tc_args(d0, XS_CONTROL, 0, (const char *[]){ "check" }, 1, r), 0);
}
END_TEST

static bool exists(const char *suffix)
{
	char p[300];

	snprintf(p, sizeof(p), "%s%s", file, suffix);
	return access(p, F_OK) == 0;
}

/* Compaction in a child: what was written before and during it survives
 * a crash at any step (child running; child done, nothing renamed;
 * snapshot renamed, journal not), and once it is done journal.next is
 * the journal. */
START_TEST(compaction_in_a_child)
{
	struct persist *ps;
	siginfo_t si;
	char r[64], cmd[1200];

	ck_assert_int_eq(tc_write(d0, 0, "/bg/a", "1"), 0);
	ck_assert_int_eq(persist_compact(T_st), 0);
	ps = T_st->persist;
	ck_assert_int_ne(ps->bg_pid, 0);
	ck_assert_int_eq(persist_compact(T_st), -EBUSY);
	ck_assert_int_eq(tc_write(d0, 0, "/bg/b", "2"), 0);  /* journal.next */
	ck_assert(exists(".journal.next"));
	/* Crash while the child may still run. */
	snprintf(cmd, sizeof(cmd), "cp -a %s %s.A", dir, dir);
	ck_assert_int_eq(system(cmd), 0);
	/* Child done, parent not told yet: snapshot and journal as before,
	 * the child's snapshot in .tmp; then as if its rename happened. */
	ck_assert_int_eq(waitid(P_PID, (id_t)ps->bg_pid, &si, WEXITED | WNOWAIT), 0);
	snprintf(cmd, sizeof(cmd), "cp -a %s %s.B && mv %s.B/db.tmp %s.B/db",
		 dir, dir, dir, dir);
	ck_assert_int_eq(system(cmd), 0);
	/* The loop hears of it and installs both. */
	while (ps->bg_pid)
		event_base_loop(T_st->base, EVLOOP_ONCE);
	ck_assert(!exists(".journal.next"));
	ck_assert(!exists(".tmp"));
	ck_assert(log_has("in a child in"));
	ck_assert_int_eq(tc_write(d0, 0, "/bg/c", "3"), 0);
	reload_as(0, true);
	ck_assert_int_eq(tc_read(d0, 0, "/bg/a", r), 1);
	ck_assert_int_eq(tc_read(d0, 0, "/bg/b", r), 1);
	ck_assert_int_eq(tc_read(d0, 0, "/bg/c", r), 1);
	/* The two crash copies. */
	for (int k = 0; k < 2; k++) {
		persist_dispose(T_st);
		snprintf(cmd, sizeof(cmd), "rm -rf %s && mv %s.%c %s", dir, dir,
			 k ? 'B' : 'A', dir);
		ck_assert_int_eq(system(cmd), 0);
		load_fresh(T_st->base, 0);
		ck_assert_int_eq(tc_read(d0, 0, "/bg/a", r), 1);
		ck_assert_int_eq(tc_read(d0, 0, "/bg/b", r), 1);
		ck_assert_int_eq(tc_read(d0, 0, "/bg/c", r), -ENOENT);
		ck_assert(!exists(".journal.next"));  /* compacted at start */
		ck_assert_int_eq(tc_args(d0, XS_CONTROL, 0, (const char *[]){ "check" }, 1, r), 0);
	}
}
END_TEST

Suite *make_persist_suite(void)
{
	Suite *s = suite_create("persist");
	TCase *tc = tcase_create("persist");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, round_trip);
	tcase_add_test(tc, acknowledged_changes_survive_a_crash);
	tcase_add_test(tc, torn_tail_drops_a_whole_commit);
	tcase_add_test(tc, compaction_and_stale_journal);
	tcase_add_test(tc, compaction_in_a_child);
	tcase_add_test(tc, domains_through_the_journal);
	tcase_add_test(tc, group_commit_syncs_within_the_interval);
	tcase_add_test(tc, old_format_still_loads);
	tcase_add_test(tc, append_failure_compacts);
	tcase_add_test(tc, a_domain_gone_while_down_is_purged_at_load);
	tcase_add_test(tc, domains_and_their_watches_come_back);
	tcase_add_test(tc, missing_file_is_an_empty_store);
	tcase_add_test(tc, corrupt_files_are_refused);
	suite_add_tcase(s, tc);
	return s;
}
