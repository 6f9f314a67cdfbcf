/*
 * libpvxctl against a scripted server: well-formed replies decode, and
 * every kind of malformed reply (short, long, bad magic, lying length,
 * positive status, wrong op, stray fds) is an error that leaks nothing.
 */
#include <check.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fake_server.h"
#include "suites.h"

/* What a handler should do with the next request. */
enum mode {
	M_GOOD, M_SHORT, M_LONG, M_MAGIC, M_LYING_LEN, M_POS_STATUS,
	M_WRONG_OP, M_STALE_FIRST, M_EVENT_FIRST, M_ERROR_WITH_FDS,
	M_OLD_VERSION, M_CLOSE,
};

struct script {
	enum mode mode;
	int ndoms;
	int extra_fds;   /* fds to attach to the reply */
	uint64_t ram, memfd_size; /* GET_MEMFD geometry */
	int32_t last_domid;       /* hdr.domid of the last request */
};

static void hello_payload(struct pvx_ctl_hello_rsp *r, uint32_t version)
{
	memset(r, 'x', sizeof(*r)); /* unterminated strings on purpose */
	r->version = version;
	r->xen_major = 4;
	r->xen_minor = 19;
	r->free_mem_kib = 1024;
}

static void send_fds(int fd, const struct pvx_ctl_hdr *req, int32_t status,
		     const void *p, size_t plen, int n)
{
	int fds[4] = { -1, -1, -1, -1 };

	for (int i = 0; i < n; i++)
		fds[i] = eventfd(0, 0);
	fake_reply(fd, req, status, p, plen, fds, n);
	for (int i = 0; i < n; i++)
		close(fds[i]);
}

static void reply_malformed(int fd, const struct pvx_ctl_hdr *req,
			    const void *p, size_t plen, enum mode m)
{
	struct pvx_ctl_hdr h = { .magic = PVX_CTL_MAGIC, .op = req->op,
				 .seq = req->seq, .len = (uint32_t)plen };
	char big[512] = { 0 };

	switch (m) {
	case M_SHORT: fake_reply(fd, req, 0, p, plen - 1, NULL, 0); break;
	case M_LONG: fake_reply(fd, req, 0, big, plen + 8 < sizeof(big) ? plen + 8 : 0, NULL, 0); break;
	case M_MAGIC: h.magic = 0x12345678; fake_send_raw(fd, &h, p, plen, NULL, 0); break;
	case M_LYING_LEN: h.len = (uint32_t)plen + 100; fake_send_raw(fd, &h, p, plen, NULL, 0); break;
	case M_POS_STATUS: h.status = 5; fake_send_raw(fd, &h, p, plen, NULL, 0); break;
	case M_WRONG_OP: h.op = PVX_CTL_LIST; fake_send_raw(fd, &h, p, plen, NULL, 0); break;
	default: break;
	}
}

static void reply(int fd, const struct pvx_ctl_hdr *req, struct script *s,
		  const void *p, size_t plen)
{
	switch (s->mode) {
	case M_GOOD: case M_OLD_VERSION: send_fds(fd, req, 0, p, plen, s->extra_fds); break;
	case M_STALE_FIRST: {
		struct pvx_ctl_hdr stale = *req;
		stale.seq ^= 0x5a5a;
		fake_reply(fd, &stale, 0, p, plen, NULL, 0);
		fake_reply(fd, req, 0, p, plen, NULL, 0);
		break;
	}
	case M_EVENT_FIRST:
		fake_event(fd, 7, PVX_DOM_CRASHED, 3);
		fake_event(fd, 8, PVX_DOM_DEAD, -1);
		fake_reply(fd, req, 0, p, plen, NULL, 0);
		break;
	case M_ERROR_WITH_FDS: send_fds(fd, req, -ENOENT, NULL, 0, 2); break;
	case M_CLOSE: shutdown(fd, SHUT_RDWR); break;
	default: reply_malformed(fd, req, p, plen, s->mode); break;
	}
}

static void dominfo(struct pvx_ctl_dominfo *d, int32_t id, const char *name)
{
	memset(d, 0, sizeof(*d));
	d->domid = id;
	d->state = PVX_DOM_RUNNING;
	snprintf(d->name, sizeof(d->name), "%s", name);
	d->mem_kib = 32768;
}

static void handle_list(int fd, const struct pvx_ctl_hdr *req, struct script *s)
{
	struct pvx_ctl_dominfo v[3];
	const char *names[3] = { "alpha", "beta", "gamma" };

	for (int i = 0; i < 3; i++)
		dominfo(&v[i], i + 1, names[i]);
	if (req->op == PVX_CTL_INFO) {
		if (req->domid < 1 || req->domid > s->ndoms)
			fake_reply(fd, req, -ENOENT, NULL, 0, NULL, 0);
		else
			reply(fd, req, s, &v[req->domid - 1], sizeof(v[0]));
		return;
	}
	reply(fd, req, s, v, s->ndoms * sizeof(v[0]));
}

static void handle_memfd(int fd, const struct pvx_ctl_hdr *req, struct script *s)
{
	struct pvx_ctl_memfd_rsp r = {
		.memfd_size = s->memfd_size, .ram_bytes = s->ram,
		.special_gpa = PVX_SPECIAL_GPA, .special_offset = s->ram,
		.special_pages = PVX_SPECIAL_PAGES,
	};
	int mfd = memfd_create("fake", 0);

	ck_assert_int_ge(mfd, 0);
	ck_assert_int_eq(ftruncate(mfd, (off_t)(s->ram + PVX_SPECIAL_PAGES * 4096)), 0);
	fake_reply(fd, req, 0, &r, sizeof(r), &mfd, 1);
	close(mfd);
}

static void handle_dmesg(int fd, const struct pvx_ctl_hdr *req, const void *p,
			 struct script *s)
{
	struct pvx_ctl_dmesg_req q;
	struct pvx_ctl_dmesg_rsp r;
	uint8_t out[sizeof(r) + 5];

	memcpy(&q, p, sizeof(q));
	r.offset = q.offset;
	r.next = q.offset + (s->mode == M_LYING_LEN ? 9 : 5);
	memcpy(out, &r, sizeof(r));
	memcpy(out + sizeof(r), "hello", 5);
	fake_reply(fd, req, 0, out, sizeof(out), NULL, 0);
}

static void handler(int fd, const struct pvx_ctl_hdr *req, const void *p, void *opaque)
{
	struct script *s = opaque;
	struct pvx_ctl_hello_rsp h;
	struct pvx_ctl_create_rsp cr = { .domid = 5 };
	struct pvx_ctl_port_rsp pr = { .port = 9 };

	s->last_domid = req->domid;
	switch (req->op) {
	case PVX_CTL_HELLO:
		hello_payload(&h, s->mode == M_OLD_VERSION ? 0 : PVX_CTL_VERSION);
		reply(fd, req, s, &h, sizeof(h));
		break;
	case PVX_CTL_CREATE: reply(fd, req, s, &cr, sizeof(cr)); break;
	case PVX_CTL_LIST: case PVX_CTL_INFO: handle_list(fd, req, s); break;
	case PVX_CTL_GET_MEMFD: handle_memfd(fd, req, s); break;
	case PVX_CTL_DMESG: handle_dmesg(fd, req, p, s); break;
	case PVX_CTL_EVTCHN_BIND: reply(fd, req, s, &pr, sizeof(pr)); break;
	case PVX_CTL_EVTCHN_ALLOC_UNBOUND: reply(fd, req, s, &pr, sizeof(pr)); break;
	default: reply(fd, req, s, NULL, 0); break;
	}
}

/*
 * The server thread closes its copies of the fds it sent only after
 * sending: one more plain round trip guarantees it did, before fds are
 * counted.
 */
static void settle(struct pvx_ctl *c, struct script *s)
{
	s->mode = M_GOOD;
	s->extra_fds = 0;
	ck_assert_int_eq(pvx_ctl_pause(c, 1), 0);
}

START_TEST(hello_good)
{
	struct script s = { .mode = M_GOOD };
	struct pvx_ctl *c;
	struct fake_server *fs = fake_server_start(handler, &s, &c);
	struct pvx_ctl_hello_rsp h;

	ck_assert_int_eq(pvx_ctl_hello(c, &h), 0);
	ck_assert_uint_eq(h.xen_major, 4);
	ck_assert_uint_eq(strlen(h.caps), sizeof(h.caps) - 1);
	ck_assert_uint_eq(strlen(h.extraversion), sizeof(h.extraversion) - 1);
	fake_server_stop(fs, c);
}
END_TEST

/* Every malformed reply to HELLO is -EPROTO; the connection stays usable
 * for the next call when the datagram framing itself was intact. */
static const struct { enum mode m; int rc; } bad_hello[] = {
	{ M_SHORT, -EPROTO }, { M_LONG, -EPROTO }, { M_MAGIC, -EPROTO },
	{ M_LYING_LEN, -EPROTO }, { M_POS_STATUS, -EPROTO },
	{ M_WRONG_OP, -EPROTO }, { M_OLD_VERSION, -EPROTONOSUPPORT },
	{ M_CLOSE, -ECONNRESET }, { M_STALE_FIRST, 0 }, { M_EVENT_FIRST, 0 },
};

START_TEST(hello_malformed)
{
	struct script s = { .mode = bad_hello[_i].m };
	struct pvx_ctl *c;
	struct fake_server *fs = fake_server_start(handler, &s, &c);
	struct pvx_ctl_hello_rsp h;

	ck_assert_int_eq(pvx_ctl_hello(c, &h), bad_hello[_i].rc);
	fake_server_stop(fs, c);
}
END_TEST

START_TEST(error_status_and_fds_closed)
{
	struct script s = { .mode = M_ERROR_WITH_FDS };
	struct pvx_ctl *c;
	struct fake_server *fs = fake_server_start(handler, &s, &c);
	int before = fake_count_fds();

	ck_assert_int_eq(pvx_ctl_destroy(c, 3), -ENOENT);
	ck_assert_int_eq(pvx_ctl_pause(c, 3), -ENOENT);
	settle(c, &s);
	ck_assert_int_eq(fake_count_fds(), before);
	fake_server_stop(fs, c);
}
END_TEST

START_TEST(unwanted_fds_closed)
{
	struct script s = { .mode = M_GOOD, .extra_fds = 3 };
	struct pvx_ctl *c;
	struct fake_server *fs = fake_server_start(handler, &s, &c);
	int before = fake_count_fds();

	ck_assert_int_eq(pvx_ctl_unpause(c, 3), 0);
	settle(c, &s);
	ck_assert_int_eq(fake_count_fds(), before);
	fake_server_stop(fs, c);
}
END_TEST

START_TEST(events_met_during_call_are_queued)
{
	struct script s = { .mode = M_EVENT_FIRST };
	struct pvx_ctl *c;
	struct fake_server *fs = fake_server_start(handler, &s, &c);
	struct pvx_ctl_event ev;

	ck_assert_int_eq(pvx_ctl_subscribe(c), 0);
	ck_assert_int_eq(pvx_ctl_pending_events(c), 2);
	ck_assert_int_eq(pvx_ctl_read_event(c, &ev), 0);
	ck_assert_int_eq(ev.domid, 7);
	ck_assert_uint_eq(ev.state, PVX_DOM_CRASHED);
	ck_assert_int_eq(ev.shutdown_reason, 3);
	ck_assert_int_eq(pvx_ctl_read_event(c, &ev), 0);
	ck_assert_int_eq(ev.domid, 8);
	ck_assert_int_eq(pvx_ctl_pending_events(c), 0);
	fake_server_stop(fs, c);
}
END_TEST

START_TEST(subscribe_filter_travels_in_domid)
{
	struct script s = { .mode = M_GOOD };
	struct pvx_ctl *c;
	struct fake_server *fs = fake_server_start(handler, &s, &c);

	ck_assert_int_eq(pvx_ctl_subscribe_dom(c, 7), 0);
	ck_assert_int_eq(s.last_domid, 7);
	ck_assert_int_eq(pvx_ctl_subscribe(c), 0);
	ck_assert_int_eq(s.last_domid, -1);
	ck_assert_int_eq(pvx_ctl_subscribe_dom(c, -5), 0);
	ck_assert_int_eq(s.last_domid, -1);
	fake_server_stop(fs, c);
}
END_TEST

START_TEST(list_and_lookup)
{
	struct script s = { .mode = M_GOOD, .ndoms = 3 };
	struct pvx_ctl *c;
	struct fake_server *fs = fake_server_start(handler, &s, &c);
	struct pvx_ctl_dominfo *v;
	size_t n;
	int32_t id;

	ck_assert_int_eq(pvx_ctl_list(c, &v, &n), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(v[2].name, "gamma");
	free(v);
	ck_assert_int_eq(pvx_ctl_lookup(c, "beta", &id), 0);
	ck_assert_int_eq(id, 2);
	ck_assert_int_eq(pvx_ctl_lookup(c, "3", &id), 0);
	ck_assert_int_eq(id, 3);
	ck_assert_int_eq(pvx_ctl_lookup(c, "9", &id), -ESRCH);
	ck_assert_int_eq(pvx_ctl_lookup(c, "delta", &id), -ESRCH);
	ck_assert_int_eq(pvx_ctl_lookup(c, "99999999999", &id), -ESRCH);
	fake_server_stop(fs, c);
}
END_TEST

START_TEST(list_ragged_is_error)
{
	struct script s = { .mode = M_SHORT, .ndoms = 2 };
	struct pvx_ctl *c;
	struct fake_server *fs = fake_server_start(handler, &s, &c);
	struct pvx_ctl_dominfo *v = NULL;
	size_t n = 0;

	ck_assert_int_eq(pvx_ctl_list(c, &v, &n), -EPROTO);
	ck_assert_ptr_null(v);
	fake_server_stop(fs, c);
}
END_TEST

/* A pvxd with `ndoms` domains (ids 1..ndoms) that pages PVX_CTL_LIST
 * as pvx/ctl.h says; `old` answers any payload with -EINVAL as a
 * version-1 pvxd does; `lie` returns page 1 again for every request. */
struct pager {
	int ndoms, requests;
	bool old, lie;
};

static void pager(int fd, const struct pvx_ctl_hdr *req, const void *p, void *opaque)
{
	static struct pvx_ctl_dominfo v[PVX_CTL_LIST_PAGE];
	struct pager *pg = opaque;
	struct pvx_ctl_list_req lr = { 0, 0 };
	size_t n = 0;

	pg->requests++;
	if (req->len && (pg->old || req->len != sizeof(lr))) {
		fake_reply(fd, req, -EINVAL, NULL, 0, NULL, 0);
		return;
	}
	if (req->len && !pg->lie)
		memcpy(&lr, p, sizeof(lr));
	for (int id = lr.start_domid > 1 ? lr.start_domid : 1;
	     id <= pg->ndoms && n < (pg->old ? 3 : PVX_CTL_LIST_PAGE); id++)
		dominfo(&v[n++], id, "d");
	fake_reply(fd, req, 0, v, n * sizeof(v[0]), NULL, 0);
}

static int paged_list(struct pager *pg, struct pvx_ctl_dominfo **v, size_t *n)
{
	struct pvx_ctl *c;
	struct fake_server *fs = fake_server_start(pager, pg, &c);
	int rc = pvx_ctl_list(c, v, n);

	fake_server_stop(fs, c);
	return rc;
}

START_TEST(list_pages_past_one_reply)
{
	struct pager pg = { .ndoms = 1000 };
	struct pvx_ctl_dominfo *v;
	size_t n;

	ck_assert_uint_eq(PVX_CTL_LIST_PAGE, 455); /* 64 KiB of 144-byte dominfo */
	ck_assert_int_eq(paged_list(&pg, &v, &n), 0);
	ck_assert_uint_eq(n, 1000);
	for (size_t i = 0; i < n; i++)
		ck_assert_int_eq(v[i].domid, (int32_t)i + 1);
	ck_assert_int_eq(pg.requests, 3); /* 455 + 455 + 90 */
	free(v);
}
END_TEST

START_TEST(list_exactly_one_page)
{
	struct pager pg = { .ndoms = PVX_CTL_LIST_PAGE };
	struct pvx_ctl_dominfo *v;
	size_t n;

	ck_assert_int_eq(paged_list(&pg, &v, &n), 0);
	ck_assert_uint_eq(n, PVX_CTL_LIST_PAGE);
	ck_assert_int_eq(pg.requests, 2); /* a full page, then an empty one */
	free(v);
	pg = (struct pager){ .ndoms = 0 };
	ck_assert_int_eq(paged_list(&pg, &v, &n), 0);
	ck_assert_uint_eq(n, 0);
	free(v);
}
END_TEST

START_TEST(list_old_pvxd_without_paging)
{
	struct pager pg = { .ndoms = 3, .old = true };
	struct pvx_ctl_dominfo *v;
	size_t n;

	ck_assert_int_eq(paged_list(&pg, &v, &n), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(pg.requests, 2); /* paged request refused, then the old one */
	free(v);
}
END_TEST

START_TEST(list_pages_that_repeat_are_error)
{
	struct pager pg = { .ndoms = 600, .lie = true };
	struct pvx_ctl_dominfo *v = NULL;
	size_t n = 0;

	ck_assert_int_eq(paged_list(&pg, &v, &n), -EPROTO);
	ck_assert_ptr_null(v);
	ck_assert_int_eq(pg.requests, 2);
}
END_TEST

START_TEST(create_good_and_short)
{
	struct script s = { .mode = M_GOOD };
	struct pvx_ctl *c;
	struct fake_server *fs = fake_server_start(handler, &s, &c);
	struct pvx_ctl_create_req req = { .name = "x", .mem_kib = 4096, .vcpus = 1 };
	int32_t id = -1;

	ck_assert_int_eq(pvx_ctl_create(c, &req, &id), 0);
	ck_assert_int_eq(id, 5);
	s.mode = M_SHORT;
	ck_assert_int_eq(pvx_ctl_create(c, &req, &id), -EPROTO);
	fake_server_stop(fs, c);
}
END_TEST

START_TEST(memfd_map_and_gpa)
{
	struct script s = { .mode = M_GOOD, .ram = 1 << 20,
			    .memfd_size = (1 << 20) + PVX_SPECIAL_PAGES * 4096 };
	struct pvx_ctl *c;
	struct fake_server *fs = fake_server_start(handler, &s, &c);
	struct pvx_dom_mem m;
	uint8_t *p;

	ck_assert_int_eq(pvx_dom_mem_map(c, 1, &m), 0);
	ck_assert_uint_eq(m.ram_bytes, 1 << 20);
	p = pvx_dom_mem_gpa(&m, 0x1000, 16);
	ck_assert_ptr_eq(p, m.base + 0x1000);
	ck_assert_ptr_eq(pvx_dom_mem_gpa(&m, PVX_SPECIAL_GPA + 4096, 4096),
			 m.special + 4096);
	ck_assert_ptr_null(pvx_dom_mem_gpa(&m, (1 << 20) - 8, 16));
	ck_assert_ptr_null(pvx_dom_mem_gpa(&m, PVX_SPECIAL_GPA + 4 * 4096 - 1, 2));
	ck_assert_ptr_null(pvx_dom_mem_gpa(&m, UINT64_MAX - 4, 16));
	ck_assert_ptr_null(pvx_dom_mem_gpa(&m, 0, SIZE_MAX));
	pvx_dom_mem_unmap(&m);
	pvx_dom_mem_unmap(&m); /* idempotent */
	fake_server_stop(fs, c);
}
END_TEST

START_TEST(memfd_geometry_lies)
{
	/* pvxd claims more RAM than the memfd holds: refuse, close the fd. */
	struct script s = { .mode = M_GOOD, .ram = 1 << 20,
			    .memfd_size = 64 << 20 };
	struct pvx_ctl *c;
	struct fake_server *fs = fake_server_start(handler, &s, &c);
	struct pvx_dom_mem m;
	int before = fake_count_fds();

	ck_assert_int_eq(pvx_dom_mem_map(c, 1, &m), -EPROTO);
	ck_assert_ptr_null(m.base);
	settle(c, &s);
	ck_assert_int_eq(fake_count_fds(), before);
	fake_server_stop(fs, c);
}
END_TEST

START_TEST(evtchn_bind_fds)
{
	struct script s = { .mode = M_GOOD, .extra_fds = 2 };
	struct pvx_ctl *c;
	struct fake_server *fs = fake_server_start(handler, &s, &c);
	struct pvx_evtchn ev;
	int before = fake_count_fds();
	uint32_t port;

	ck_assert_int_eq(pvx_evtchn_bind(c, 1, 3, &ev), 0);
	ck_assert_uint_eq(ev.port, 9);
	ck_assert_int_eq(pvx_evtchn_consume(&ev), 0);
	ck_assert_int_eq(pvx_evtchn_notify(&ev), 0);
	pvx_evtchn_close(c, &ev);
	pvx_evtchn_close(c, &ev);
	settle(c, &s);
	ck_assert_int_eq(fake_count_fds(), before);
	s.extra_fds = 1; /* one fd missing: an error, and nothing leaks */
	ck_assert_int_eq(pvx_evtchn_bind(c, 1, 3, &ev), -EPROTO);
	settle(c, &s);
	ck_assert_int_eq(fake_count_fds(), before);
	s.extra_fds = 0;
	ck_assert_int_eq(pvx_ctl_evtchn_alloc_unbound(c, 2, 0, &port), 0);
	ck_assert_uint_eq(port, 9);
	fake_server_stop(fs, c);
}
END_TEST

START_TEST(dmesg_offsets)
{
	struct script s = { .mode = M_GOOD };
	struct pvx_ctl *c;
	struct fake_server *fs = fake_server_start(handler, &s, &c);
	uint64_t off = 10;
	char buf[64];

	ck_assert_int_eq(pvx_ctl_dmesg(c, -1, &off, buf, sizeof(buf)), 5);
	ck_assert_int_eq(memcmp(buf, "hello", 5), 0);
	ck_assert_uint_eq(off, 15);
	s.mode = M_LYING_LEN; /* next says 9 bytes, 5 came */
	ck_assert_int_eq(pvx_ctl_dmesg(c, -1, &off, buf, sizeof(buf)), -EPROTO);
	ck_assert_uint_eq(off, 15);
	fake_server_stop(fs, c);
}
END_TEST

START_TEST(no_pvxd_message)
{
	char dir[] = "/tmp/pvx-ut.XXXXXX", msg[256];
	struct pvx_ctl *c = NULL;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	setenv("PVX_RUNDIR", dir, 1);
	unsetenv("PVX_LOGDIR");
	ck_assert_int_eq(pvx_ctl_open(&c), -ENOENT);
	pvx_ctl_open_error(-ENOENT, msg, sizeof(msg));
	ck_assert_ptr_nonnull(strstr(msg, "pvxd is not running (no socket at /tmp/pvx-ut."));
	ck_assert_str_eq(pvx_rundir(), dir);
	ck_assert_ptr_nonnull(strstr(pvx_logdir(), "/log"));
	rmdir(dir);
}
END_TEST

Suite *make_ctlclient_suite(void)
{
	Suite *s = suite_create("ctlclient");
	TCase *t = tcase_create("core");

	tcase_add_test(t, hello_good);
	tcase_add_loop_test(t, hello_malformed, 0, sizeof(bad_hello) / sizeof(bad_hello[0]));
	tcase_add_test(t, error_status_and_fds_closed);
	tcase_add_test(t, unwanted_fds_closed);
	tcase_add_test(t, events_met_during_call_are_queued);
	tcase_add_test(t, subscribe_filter_travels_in_domid);
	tcase_add_test(t, list_and_lookup);
	tcase_add_test(t, list_ragged_is_error);
	tcase_add_test(t, list_pages_past_one_reply);
	tcase_add_test(t, list_exactly_one_page);
	tcase_add_test(t, list_old_pvxd_without_paging);
	tcase_add_test(t, list_pages_that_repeat_are_error);
	tcase_add_test(t, create_good_and_short);
	tcase_add_test(t, memfd_map_and_gpa);
	tcase_add_test(t, memfd_geometry_lies);
	tcase_add_test(t, evtchn_bind_fds);
	tcase_add_test(t, dmesg_offsets);
	tcase_add_test(t, no_pvxd_message);
	suite_add_tcase(s, t);
	return s;
}
