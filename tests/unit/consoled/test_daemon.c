/*
 * pvx-consoled's core in-process, against fake domains: a console page
 * in this process's memory and two eventfds standing in for the event
 * channel. The daemon's real files run on their own thread with a real
 * consoled.sock in a private run directory; the test thread plays both
 * the guest (writing the ring, kicking) and the clients (libpvxcons).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "../../../dom0-tools/consoled/consoled.h"
#include "harness.h"

struct fake_dom {
	int32_t domid;
	struct xencons_interface page;
	struct cons_dom_io io;
	int kick_fd;            /* guest -> daemon (io.event_fd) */
	int notify_fd;          /* daemon -> guest */
	int open;               /* atomic */
	char io_log[4096];      /* what the guest wrote through console_io */
	size_t io_log_len;      /* atomic */
	int io_log_gone;        /* atomic: the log went with the domain */
};

static struct fake_dom fakes[2] = { { .domid = 5 }, { .domid = 6 } };
static struct consoled cd;
static pthread_t thread;
static int stop_fd = -1;
static struct event *stop_ev;
static char rundir[64];

#define to_fake(p) ((struct fake_dom *)(void *)((char *)(p) - offsetof(struct fake_dom, io)))

static int fake_notify(struct cons_dom_io *io)
{
	uint64_t one = 1;

	return write(to_fake(io)->notify_fd, &one, 8) == 8 ? 0 : -errno;
}

static void fake_consume(struct cons_dom_io *io)
{
	uint64_t n;

	if (read(io->event_fd, &n, 8) < 0)
		return;
}

static int fake_read_log(struct cons_dom_io *io, uint64_t *off, char *buf,
			 size_t cap)
{
	struct fake_dom *f = to_fake(io);
	size_t len = __atomic_load_n(&f->io_log_len, __ATOMIC_ACQUIRE), n;

	if (__atomic_load_n(&f->io_log_gone, __ATOMIC_ACQUIRE))
		return -ESRCH;
	if (*off >= len)
		return 0;
	n = len - *off < cap ? len - *off : cap;
	memcpy(buf, f->io_log + *off, n);
	*off += n;
	return (int)n;
}

static void fake_release(struct cons_dom_io *io)
{
	struct fake_dom *f = to_fake(io);

	close(f->kick_fd);
	close(f->notify_fd);
	__atomic_store_n(&f->open, 0, __ATOMIC_RELEASE);
}

static int fake_open_io(struct consoled *c, int32_t domid, char *name,
			size_t len, struct cons_dom_io **io)
{
	(void)c;
	for (size_t i = 0; i < sizeof(fakes) / sizeof(fakes[0]); i++) {
		struct fake_dom *f = &fakes[i];

		if (f->domid != domid || __atomic_load_n(&f->open, __ATOMIC_ACQUIRE))
			continue;
		f->kick_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		f->notify_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		f->io = (struct cons_dom_io){
			.intf = &f->page, .event_fd = f->kick_fd,
			.notify = fake_notify, .consume = fake_consume,
			.release = fake_release, .read_log = fake_read_log,
		};
		if (!name[0])
			snprintf(name, len, "fake%d", domid);
		__atomic_store_n(&f->open, 1, __ATOMIC_RELEASE);
		*io = &f->io;
		return 0;
	}
	return -ESRCH;
}

static void stop_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	event_base_loopexit(cd.ds.base, NULL);
}

static void *loop(void *arg)
{
	(void)arg;
	event_base_dispatch(cd.ds.base);
	return NULL;
}

static void start(void)
{
	snprintf(rundir, sizeof(rundir), "/tmp/pvx-consoled-test-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(rundir));
	setenv("PVX_RUNDIR", rundir, 1);
	unsetenv("PVX_LOGDIR");
	memset(&cd, 0, sizeof(cd));
	cd.ds = (struct pvx_daemon_state)PVX_DAEMON_STATE_INIT("pvx-consoled");
	cd.open_io = fake_open_io;
	pvx_log_set_level(PVX_LOG_WARN);
	LIST_INIT(&cd.doms);
	LIST_INIT(&cd.clients);
	ck_assert_int_eq(pvx_daemon_paths(&cd), 0);
	ck_assert_int_eq(cons_paths_init(&cd), 0);
	cd.ds.base = event_base_new();
	ck_assert_int_eq(cons_listen_start(&cd), 0);
	stop_fd = eventfd(0, EFD_CLOEXEC);
	stop_ev = event_new(cd.ds.base, stop_fd, EV_READ, stop_cb, NULL);
	event_add(stop_ev, NULL);
	ck_assert_int_eq(pthread_create(&thread, NULL, loop, NULL), 0);
}

static void stop(void)
{
	uint64_t one = 1;
	struct cons_dom *d;
	char cmd[128];

	ck_assert_int_eq(write(stop_fd, &one, 8), 8);
	pthread_join(thread, NULL);
	while ((d = LIST_FIRST(&cd.doms)))
		cons_dom_remove(d);
	cons_listen_stop(&cd);
	event_free(stop_ev);
	close(stop_fd);
	event_base_free(cd.ds.base);
	cons_paths_exit(&cd);
	pvx_daemon_paths_exit(&cd);
	pvx_log_close();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", rundir);
	ck_assert_int_eq(system(cmd), 0);
}

/* The guest side: put bytes in the out ring (waiting for room), kick. */
static void guest_write(struct fake_dom *f, const char *s, size_t n, bool kick)
{
	struct xencons_interface *p = &f->page;
	uint64_t one = 1;

	while (n) {
		XENCONS_RING_IDX cons = __atomic_load_n(&p->out_cons, __ATOMIC_ACQUIRE);
		XENCONS_RING_IDX prod = p->out_prod;
		size_t room = sizeof(p->out) - (prod - cons), k = n < room ? n : room;

		for (size_t i = 0; i < k; i++)
			p->out[MASK_XENCONS_IDX(prod + i, p->out)] = s[i];
		__atomic_store_n(&p->out_prod, prod + (XENCONS_RING_IDX)k, __ATOMIC_RELEASE);
		s += k;
		n -= k;
		if (kick && __atomic_load_n(&f->open, __ATOMIC_ACQUIRE))
			ck_assert_int_eq(write(f->kick_fd, &one, 8), 8);
		if (n)
			usleep(200);
	}
}

static char *log_text(const char *name, size_t *len)
{
	char path[256], *buf = malloc(1 << 20);
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/log/console/%s.log", rundir, name);
	fd = open(path, O_RDONLY);
	n = fd >= 0 ? read(fd, buf, (1 << 20) - 1) : 0;
	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
	*len = n > 0 ? (size_t)n : 0;
	return buf;
}

static bool wait_log(const char *name, const char *want, size_t want_len)
{
	size_t len;
	char *t;

	for (int i = 0; i < 400; i++) {
		bool ok;

		t = log_text(name, &len);
		ok = len == want_len && !memcmp(t, want, len);
		free(t);
		if (ok)
			return true;
		usleep(5000);
	}
	t = log_text(name, &len);
	fprintf(stderr, "log %s has %zu bytes: '%s'\n", name, len, t);
	free(t);
	return false;
}

/* Reads from fd until `want` was seen (or 2 s passed); returns all. */
static char *read_until(int fd, const char *want, size_t *len)
{
	char *buf = calloc(1, 1 << 18);
	size_t n = 0;
	struct pollfd p = { .fd = fd, .events = POLLIN };

	while (!strstr(buf, want) && n < (1 << 18) - 1 && poll(&p, 1, 2000) > 0) {
		ssize_t r = read(fd, buf + n, (1 << 18) - 1 - n);

		if (r <= 0)
			break;
		n += (size_t)r;
	}
	*len = n;
	return buf;
}

static bool at_eof(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char c;

	return poll(&p, 1, 2000) == 1 && read(fd, &c, 1) == 0;
}

START_TEST(early_output_then_live)
{
	struct fake_dom *f = &fakes[0];

	guest_write(f, "boot line 1\n", 12, false);  /* before we serve it */
	ck_assert_int_eq(pvx_consoled_add(5, "web"), 0);
	/* drained before the reply: already in the log */
	ck_assert(wait_log("web", "boot line 1\n", 12));
	guest_write(f, "line 2\n", 7, true);
	ck_assert(wait_log("web", "boot line 1\nline 2\n", 19));
}
END_TEST

START_TEST(bulk_output_flow_control)
{
	struct fake_dom *f = &fakes[0];
	size_t total = 200 * 1024;
	char *data = malloc(total);
	uint64_t notifies = 0;

	for (size_t i = 0; i < total; i++)
		data[i] = (char)(i % 251);
	ck_assert_int_eq(pvx_consoled_add(5, "bulk"), 0);
	guest_write(f, data, total, true);  /* waits on out_cons: flow control */
	ck_assert(wait_log("bulk", data, total));
	ck_assert_int_eq(read(f->notify_fd, &notifies, 8), 8);
	ck_assert_uint_gt(notifies, 0);
	free(data);
}
END_TEST

START_TEST(attach_replay_live_and_input)
{
	struct fake_dom *f = &fakes[0];
	int a = -1, b = -1;
	bool rw_a, rw_b;
	char *got;
	size_t len;

	ck_assert_int_eq(pvx_consoled_add(5, "web"), 0);
	guest_write(f, "old 1\nold 2\n", 12, true);
	ck_assert(wait_log("web", "old 1\nold 2\n", 12));
	ck_assert_int_eq(pvx_consoled_attach(5, true, &rw_a, &a), 0);
	ck_assert(rw_a);
	got = read_until(a, "old 2\n", &len);
	ck_assert_str_eq(got, "old 1\nold 2\n");
	free(got);
	ck_assert_int_eq(pvx_consoled_attach(5, true, &rw_b, &b), 0);
	ck_assert(!rw_b);   /* the second rw attach is demoted to ro */
	free(read_until(b, "old 2\n", &len));
	guest_write(f, "live\n", 5, true);
	got = read_until(a, "live\n", &len);
	ck_assert_str_eq(got, "live\n");
	free(got);
	got = read_until(b, "live\n", &len);
	ck_assert_str_eq(got, "live\n");
	free(got);
	ck_assert_int_eq(write(b, "ignored", 7), 7);   /* read-only: dropped */
	usleep(50000);
	ck_assert_int_eq(write(a, "ls\n", 3), 3);
	for (int i = 0; i < 400 && __atomic_load_n(&f->page.in_prod, __ATOMIC_ACQUIRE) < 3; i++)
		usleep(5000);
	usleep(50000);
	ck_assert_uint_eq(f->page.in_prod, 3);
	ck_assert_mem_eq(f->page.in, "ls\n", 3);
	close(a);
	close(b);
}
END_TEST

START_TEST(input_waits_for_room)
{
	struct fake_dom *f = &fakes[0];
	char big[3000];
	uint64_t one = 1;
	bool rw;
	int a;

	memset(big, 'k', sizeof(big));
	ck_assert_int_eq(pvx_consoled_add(5, "web"), 0);
	ck_assert_int_eq(pvx_consoled_attach(5, true, &rw, &a), 0);
	ck_assert(rw);
	ck_assert_int_eq(write(a, big, sizeof(big)), (ssize_t)sizeof(big));
	for (int i = 0; i < 400 && f->page.in_prod < 1024; i++)
		usleep(5000);
	ck_assert_uint_eq(f->page.in_prod, 1024);  /* ring full: the rest waits */
	/* the guest consumes everything and kicks, three times */
	for (int round = 0; round < 3; round++) {
		__atomic_store_n(&f->page.in_cons, f->page.in_prod, __ATOMIC_RELEASE);
		ck_assert_int_eq(write(f->kick_fd, &one, 8), 8);
		usleep(50000);
	}
	ck_assert_uint_eq(f->page.in_prod, sizeof(big));
	close(a);
}
END_TEST

START_TEST(remove_drains_and_ends_attachments)
{
	struct fake_dom *f = &fakes[0];
	char *got;
	size_t len;
	bool rw;
	int a;

	ck_assert_int_eq(pvx_consoled_add(5, "web"), 0);
	ck_assert_int_eq(pvx_consoled_attach(5, false, &rw, &a), 0);
	ck_assert(!rw);
	guest_write(f, "last words\n", 11, false);  /* the guest died: no kick */
	ck_assert_int_eq(pvx_consoled_remove(5), 0);
	got = read_until(a, "last words\n", &len);
	ck_assert_str_eq(got, "last words\n");
	free(got);
	ck_assert(at_eof(a));
	ck_assert(wait_log("web", "last words\n", 11));
	ck_assert_int_eq(__atomic_load_n(&f->open, __ATOMIC_ACQUIRE), 0);
	ck_assert_int_eq(pvx_consoled_remove(5), -ESRCH);
	close(a);
	/* the same name again (a restarted guest) appends to the same log */
	ck_assert_int_eq(pvx_consoled_add(5, "web"), 0);
	guest_write(f, "again\n", 6, true);
	ck_assert(wait_log("web", "last words\nagain\n", 17));
}
END_TEST

START_TEST(corrupt_indices_resync)
{
	struct fake_dom *f = &fakes[1];
	uint64_t one = 1;

	ck_assert_int_eq(pvx_consoled_add(6, "evil"), 0);
	__atomic_store_n(&f->page.out_prod, f->page.out_prod + 5000, __ATOMIC_RELEASE);
	ck_assert_int_eq(write(f->kick_fd, &one, 8), 8);
	for (int i = 0; i < 400 && f->page.out_cons != f->page.out_prod; i++)
		usleep(5000);
	ck_assert_uint_eq(f->page.out_cons, f->page.out_prod);
	guest_write(f, "fine\n", 5, true);
	ck_assert(wait_log("evil", "fine\n", 5));
}
END_TEST

START_TEST(replay_is_bounded_to_line_start)
{
	struct fake_dom *f = &fakes[0];
	char line[64], *got;
	size_t len;
	bool rw;
	int a;

	ck_assert_int_eq(pvx_consoled_add(5, "chatty"), 0);
	for (int i = 0; i < 4000; i++) {
		snprintf(line, sizeof(line), "line %05d of chatter\n", i);
		guest_write(f, line, strlen(line), true);
	}
	free(log_text("chatty", &len));
	for (int i = 0; i < 2000 && len < 4000 * 22; i++) {
		usleep(5000);
		free(log_text("chatty", &len));
	}
	ck_assert_uint_eq(len, 4000 * 22);
	ck_assert_int_eq(pvx_consoled_attach(5, false, &rw, &a), 0);
	got = read_until(a, "line 03999 of chatter\n", &len);
	ck_assert_uint_le(len, CONS_REPLAY_BYTES);
	ck_assert_uint_gt(len, CONS_REPLAY_BYTES - 22);
	ck_assert(!strncmp(got, "line ", 5));
	ck_assert_str_eq(got + len - 22, "line 03999 of chatter\n");
	free(got);
	close(a);
}
END_TEST

static void guest_console_io(struct fake_dom *f, const char *s)
{
	size_t len = f->io_log_len;

	memcpy(f->io_log + len, s, strlen(s));
	__atomic_store_n(&f->io_log_len, len + strlen(s), __ATOMIC_RELEASE);
}

/* A guest that dies before using its ring: its console_io text is the
 * console log, seen live while it runs and complete after removal. */
START_TEST(console_io_before_ring)
{
	struct fake_dom *f = &fakes[0];

	guest_console_io(f, "12:00:00.001 pvxd info: d5: created 'early'\n");
	guest_console_io(f, "early: one\n");
	ck_assert_int_eq(pvx_consoled_add(5, "early"), 0);
	ck_assert(wait_log("early", "early: one\n", 11));
	guest_console_io(f, "early: two\n");
	ck_assert(wait_log("early", "early: one\nearly: two\n", 22));
	guest_console_io(f, "crash!\n12:00:00.002 pvxd info: d5: crashed\nunfin");
	ck_assert_int_eq(pvx_consoled_remove(5), 0);   /* last fetch on removal */
	ck_assert(wait_log("early", "early: one\nearly: two\ncrash!\nunfin", 34));
}
END_TEST

/* Once the ring carries output it is the console. A guest printing to
 * both (console_io first) has its first ring line in the mirror: the log
 * is cut back there, nothing appears twice, and what was in the log
 * before this domain stays. */
START_TEST(ring_takes_over_from_console_io)
{
	struct fake_dom *f = &fakes[0];

	ck_assert_int_eq(pvx_consoled_add(5, "both"), 0);
	guest_write(f, "previous boot\n", 14, true);
	ck_assert(wait_log("both", "previous boot\n", 14));
	ck_assert_int_eq(pvx_consoled_remove(5), 0);
	memset(&f->page, 0, sizeof(f->page));      /* a new domain, same name */
	ck_assert_int_eq(pvx_consoled_add(5, "both"), 0);
	guest_console_io(f, "booting\nminios: ready\n");
	ck_assert(wait_log("both", "previous boot\nbooting\nminios: ready\n", 36));
	guest_console_io(f, "PASS\n");             /* raced ahead of the ring */
	guest_write(f, "minios: ready\nPASS\n", 19, true);
	ck_assert(wait_log("both", "previous boot\nbooting\nminios: ready\nPASS\n", 41));
	guest_console_io(f, "after\n");            /* no more mirroring */
	usleep(100000);
	ck_assert(wait_log("both", "previous boot\nbooting\nminios: ready\nPASS\n", 41));
}
END_TEST

/* A first ring line not found in the console_io text keeps both. */
START_TEST(ring_without_overlap_keeps_both)
{
	struct fake_dom *f = &fakes[0];

	guest_console_io(f, "early\n");
	ck_assert_int_eq(pvx_consoled_add(5, "two"), 0);
	ck_assert(wait_log("two", "early\n", 6));
	guest_write(f, "hvc\n", 4, true);
	ck_assert(wait_log("two", "early\nhvc\n", 10));
}
END_TEST

/* Adopting a running domain (consoled restarted): its ring has moved,
 * so the ring is the console and its console_io log is not repeated. */
START_TEST(adopted_domain_no_mirror)
{
	struct fake_dom *f = &fakes[0];

	guest_console_io(f, "minios: ready\n");
	guest_write(f, "minios: ready\n", 14, false);
	f->page.out_cons = f->page.out_prod;    /* the previous consoled read it */
	ck_assert_int_eq(pvx_consoled_add(5, "adopted"), 0);
	guest_write(f, "later\n", 6, true);
	ck_assert(wait_log("adopted", "later\n", 6));
	usleep(50000);
	ck_assert(wait_log("adopted", "later\n", 6));
}
END_TEST

/* The domain and its console_io log are gone: removal still works. */
START_TEST(console_io_gone)
{
	struct fake_dom *f = &fakes[0];

	guest_console_io(f, "x\n");
	ck_assert_int_eq(pvx_consoled_add(5, "gone"), 0);
	ck_assert(wait_log("gone", "x\n", 2));
	__atomic_store_n(&f->io_log_gone, 1, __ATOMIC_RELEASE);
	guest_console_io(f, "lost\n");
	ck_assert_int_eq(pvx_consoled_remove(5), 0);
	ck_assert(wait_log("gone", "x\n", 2));
}
END_TEST

static void raw_send(int fd, const char *s)
{
	ck_assert_int_eq(write(fd, s, strlen(s)), (ssize_t)strlen(s));
}

START_TEST(protocol_errors)
{
	char *got, big[400];
	size_t len;
	int fd;

	ck_assert_int_eq(pvx_consoled_add(9, "nobody"), -ESRCH);
	ck_assert_int_eq(pvx_consoled_add(5, "web"), 0);
	ck_assert_int_eq(pvx_consoled_add(5, "web"), 0);          /* idempotent */
	ck_assert_int_eq(pvx_consoled_add(5, "other"), -EEXIST);
	ck_assert_int_eq(pvx_consoled_add(6, "a/b"), -EINVAL);    /* client refuses */
	ck_assert_int_eq(pvx_consoled_connect(&fd), 0);
	raw_send(fd, "bogus\n");
	got = read_until(fd, "\n", &len);
	ck_assert_str_eq(got, "error EINVAL: unknown command: 'bogus'\n");
	free(got);
	raw_send(fd, "add 6 ../x\nlist\n");
	got = read_until(fd, "ok 5:web\n", &len);
	ck_assert_str_eq(got, "error EINVAL: bad domain name: '../x'\nok 5:web\n");
	free(got);
	ck_assert_int_eq(write(fd, "add 5 x\0y\n", 10), 10);
	got = read_until(fd, "\n", &len);
	ck_assert_str_eq(got, "error EINVAL: malformed line\n");
	free(got);
	memset(big, 'a', sizeof(big));
	ck_assert_int_eq(write(fd, big, sizeof(big)), (ssize_t)sizeof(big));
	got = read_until(fd, "\n", &len);
	ck_assert_str_eq(got, "error EINVAL: line too long\n");
	free(got);
	ck_assert(at_eof(fd));
	close(fd);
}
END_TEST

/* Requests sent without reading the replies: the daemon stops reading
 * once its reply backlog is full (our writes then block), and after we
 * read, every request is answered, in order. */
START_TEST(request_backlog)
{
	static const char req[] = "ping\n";
	size_t total = 30000, sent = 0, replies = 0, want;
	char buf[65536], expect[64];
	int fd, small = 4096;
	bool blocked = false;

	ck_assert_int_eq(pvx_consoled_connect(&fd), 0);
	ck_assert_int_eq(setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &small, sizeof(small)), 0);
	ck_assert_int_eq(fcntl(fd, F_SETFL, O_NONBLOCK), 0);
	want = (size_t)snprintf(expect, sizeof(expect), "ok pvx-consoled %d\n", (int)getpid());
	/* phase 1: write only, until the daemon pushes back */
	for (int idle = 0; sent < total && idle < 200; ) {
		if (write(fd, req, sizeof(req) - 1) == (ssize_t)sizeof(req) - 1) {
			sent++;
			idle = 0;
		} else {
			idle++;
			usleep(1000);
		}
	}
	blocked = sent < total;
	ck_assert_msg(blocked, "the daemon read all %zu requests without pushing back", sent);
	/* phase 2: read everything, finish writing */
	while (replies < total * want) {
		struct pollfd p = { .fd = fd, .events = POLLIN | (sent < total ? POLLOUT : 0) };
		ssize_t r;

		ck_assert_int_eq(poll(&p, 1, 5000), 1);
		if ((p.revents & POLLOUT) && write(fd, req, sizeof(req) - 1) == (ssize_t)sizeof(req) - 1)
			sent++;
		if (p.revents & POLLIN) {
			r = read(fd, buf, sizeof(buf));
			ck_assert_int_gt(r, 0);
			for (ssize_t i = 0; i < r; i++)
				ck_assert_int_eq(buf[i], expect[(replies + (size_t)i) % want]);
			replies += (size_t)r;
		}
	}
	ck_assert_uint_eq(replies, total * want);
	close(fd);
}
END_TEST

Suite *make_daemon_suite(void)
{
	Suite *s = suite_create("daemon");
	TCase *tc = tcase_create("fake-domains");

	tcase_add_checked_fixture(tc, start, stop);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, early_output_then_live);
	tcase_add_test(tc, bulk_output_flow_control);
	tcase_add_test(tc, attach_replay_live_and_input);
	tcase_add_test(tc, input_waits_for_room);
	tcase_add_test(tc, remove_drains_and_ends_attachments);
	tcase_add_test(tc, corrupt_indices_resync);
	tcase_add_test(tc, replay_is_bounded_to_line_start);
	tcase_add_test(tc, protocol_errors);
	tcase_add_test(tc, console_io_before_ring);
	tcase_add_test(tc, ring_takes_over_from_console_io);
	tcase_add_test(tc, ring_without_overlap_keeps_both);
	tcase_add_test(tc, console_io_gone);
	tcase_add_test(tc, adopted_domain_no_mirror);
	tcase_add_test(tc, request_backlog);
	suite_add_tcase(s, tc);
	return s;
}
