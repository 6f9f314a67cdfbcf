/*
 * The guest ring transport against a fake platform: the "domain's page"
 * is plain memory and its event channel a pair of eventfds, so the test
 * plays the guest byte for byte (free-running indices, notifications)
 * while the real conn_ring.c runs on a real libevent loop.
 */
#include <event2/event.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "harness.h"
#include "../../../xenbus/store/dom_events.h"
#include "../../../xenbus/store/ring.h"

struct fake_dom {
	struct xenstore_domain_interface *page;
	int evfd, ntfd;
	int maps, unmaps, binds, unbinds;
};
static struct fake_dom dom;
static struct tc *d0, *w0;

static int fmap(void *ctx, uint32_t domid, uint64_t gfn,
		struct xenstore_domain_interface **intf, void **handle)
{
	(void)ctx;
	(void)domid;
	if (gfn == 0xbad)
		return -EFAULT;
	dom.maps++;
	*intf = dom.page;
	*handle = &dom;
	return 0;
}

static void funmap(void *ctx, void *handle)
{
	(void)ctx;
	(void)handle;
	dom.unmaps++;
}

static int fbind(void *ctx, uint32_t domid, uint32_t port, int *event_fd,
		 int *notify_fd, void **handle)
{
	(void)ctx;
	(void)domid;
	(void)port;
	dom.evfd = eventfd(0, EFD_NONBLOCK);
	dom.ntfd = eventfd(0, EFD_NONBLOCK);
	*event_fd = dom.evfd;
	*notify_fd = dom.ntfd;
	*handle = &dom;
	dom.binds++;
	return 0;
}

static void funbind(void *ctx, void *handle)
{
	(void)ctx;
	(void)handle;
	close(dom.evfd);
	close(dom.ntfd);
	dom.unbinds++;
}

static int resets;

static void freset(void *ctx)
{
	(void)ctx;
	resets++;
}

static const struct xs_ring_backend fake = { fmap, funmap, fbind, funbind, freset };

static void pump(void)
{
	int i;

	for (i = 0; i < 8; i++)
		event_base_loop(T_st->base, EVLOOP_NONBLOCK);
}

static void guest_notify(void)
{
	uint64_t one = 1;

	ck_assert_int_eq(write(dom.evfd, &one, 8), 8);
}

/* Appends bytes to the request ring (the guest's producer side). */
static void guest_put(const void *buf, size_t len)
{
	struct xenstore_domain_interface *p = dom.page;
	size_t i;

	ck_assert_uint_le(p->req_prod - p->req_cons + len, XENSTORE_RING_SIZE);
	for (i = 0; i < len; i++)
		p->req[MASK_XENSTORE_IDX(p->req_prod + i)] = ((const char *)buf)[i];
	__atomic_store_n(&p->req_prod, p->req_prod + len, __ATOMIC_RELEASE);
}

static void guest_send(uint32_t type, const void *payload, uint32_t len)
{
	struct xsd_sockmsg h = { type, 42, 0, len };

	guest_put(&h, sizeof(h));
	guest_put(payload, len);
	guest_notify();
}

/* Takes up to want bytes from the response ring. */
static size_t guest_take(char *out, size_t want)
{
	struct xenstore_domain_interface *p = dom.page;
	size_t n = p->rsp_prod - p->rsp_cons, i;

	n = n < want ? n : want;
	for (i = 0; i < n; i++)
		out[i] = p->rsp[MASK_XENSTORE_IDX(p->rsp_cons + i)];
	__atomic_store_n(&p->rsp_cons, p->rsp_cons + n, __ATOMIC_RELEASE);
	return n;
}

/* One whole message, consuming as the daemon streams it. */
static bool guest_recv(struct xsd_sockmsg *h, char *payload)
{
	size_t got = 0;
	int spins;

	for (spins = 0; got < sizeof(*h) && spins < 50; spins++) {
		pump();
		got += guest_take((char *)h + got, sizeof(*h) - got);
	}
	if (got < sizeof(*h))
		return false;
	got = 0;
	for (spins = 0; got < h->len && spins < 50; spins++) {
		got += guest_take(payload + got, h->len - got);
		guest_notify();
		pump();
	}
	payload[h->len] = '\0';
	return got == h->len;
}

static void introduce(int expect)
{
	const char *a[] = { "5", "4660", "7" };

	ck_assert_int_eq(tc_args(d0, XS_INTRODUCE, 0, a, 3, NULL), expect);
}

static void setup(void)
{
	const char *home[] = { "n0", "r5" }, *data[] = { "n5" };

	h_setup();
	memset(&dom, 0, sizeof(dom));
	resets = 0;
	dom.page = calloc(1, 4096);
	T_st->base = event_base_new();
	T_st->ring_backend = &fake;
	d0 = tc_new(0, true);
	w0 = tc_new(0, true);
	ck_assert_int_eq(tc_simple(d0, XS_MKDIR, 0, "/local/domain/5/data"), 0);
	ck_assert_int_eq(tc_perms(d0, "/local/domain/5", home, 2), 0);
	ck_assert_int_eq(tc_perms(d0, "/local/domain/5/data", data, 1), 0);
	ck_assert_int_eq(tc_write(d0, 0, "/local/domain/6/secret", "s"), 0);
}

static void teardown(void)
{
	struct event_base *b = T_st->base;

	h_teardown();
	event_base_free(b);
	free(dom.page);
}

START_TEST(introduce_fires_and_advertises)
{
	char r[8];

	ck_assert_int_eq(tc_watch(w0, "@introduceDomain", "i"), 0);
	tc_drain_events(w0);
	introduce(0);
	ck_assert_int_eq(tc_event_count(w0), 1);
	ck_assert_uint_eq(dom.page->server_features,
			  XENSTORE_SERVER_FEATURE_RECONNECTION | XENSTORE_SERVER_FEATURE_ERROR);
	ck_assert_int_eq(tc_args(d0, XS_IS_DOMAIN_INTRODUCED, 0,
				 (const char *[]){ "5" }, 1, r), 0);
	ck_assert_str_eq(r, "T");
	introduce(0); /* the same again: fine */
	ck_assert_int_eq(tc_args(d0, XS_INTRODUCE, 0,
				 (const char *[]){ "5", "4661", "7" }, 3, NULL), -EEXIST);
	ck_assert_int_eq(tc_args(d0, XS_INTRODUCE, 0,
				 (const char *[]){ "8", "2989", "7" }, 3, NULL), -EINVAL);
	ck_assert_int_eq(tc_args(d0, XS_IS_DOMAIN_INTRODUCED, 0,
				 (const char *[]){ "8" }, 1, r), 0);
	ck_assert_str_eq(r, "F");
	ck_assert_int_eq(tc_args(d0, XS_INTRODUCE, 0,
				 (const char *[]){ "0", "1", "7" }, 3, NULL), -EINVAL);
}
END_TEST

START_TEST(guest_reads_and_writes_over_the_ring)
{
	struct xsd_sockmsg h;
	char p[XENSTORE_PAYLOAD_MAX + 1];

	introduce(0);
	guest_send(XS_WRITE, "data/x\0hi", 9);
	ck_assert(guest_recv(&h, p));
	ck_assert_uint_eq(h.type, XS_WRITE);
	ck_assert_uint_eq(h.req_id, 42);
	ck_assert_str_eq(p, "OK");
	guest_send(XS_READ, "data/x", 7);
	ck_assert(guest_recv(&h, p));
	ck_assert_str_eq(p, "hi");
	guest_send(XS_READ, "/local/domain/6/secret", 23);
	ck_assert(guest_recv(&h, p));
	ck_assert_uint_eq(h.type, XS_ERROR);
	ck_assert_str_eq(p, "EACCES");
	ck_assert_int_eq(tc_read(d0, 0, "/local/domain/5/data/x", p), 2);
}
END_TEST

START_TEST(big_reply_streams_through_the_ring)
{
	static char big[2001];
	struct xsd_sockmsg h;
	char p[XENSTORE_PAYLOAD_MAX + 1];

	memset(big, 'b', 2000);
	ck_assert_int_eq(tc_write(d0, 0, "/local/domain/5/data/big", big), 0);
	introduce(0);
	guest_send(XS_READ, "data/big", 9);
	ck_assert(guest_recv(&h, p));
	ck_assert_uint_eq(h.len, 2000);
	ck_assert_str_eq(p, big);
}
END_TEST

START_TEST(indices_wrap_at_uint32_max)
{
	struct xsd_sockmsg h;
	char p[XENSTORE_PAYLOAD_MAX + 1];
	int i;

	dom.page->req_cons = dom.page->req_prod = 0xFFFFFF00u;
	dom.page->rsp_cons = dom.page->rsp_prod = 0xFFFFFF10u;
	introduce(0);
	for (i = 0; i < 40; i++) {
		guest_send(XS_GET_DOMAIN_PATH, "123", 4);
		ck_assert(guest_recv(&h, p));
		ck_assert_str_eq(p, "/local/domain/123");
	}
	ck_assert_uint_lt(dom.page->req_prod, 0x1000);
	ck_assert_uint_lt(dom.page->rsp_prod, 0x1000);
}
END_TEST

START_TEST(bad_producer_index_stops_the_ring)
{
	char v[8];

	introduce(0);
	dom.page->req_prod = dom.page->req_cons + 5000;
	guest_notify();
	pump();
	ck_assert_uint_eq(dom.page->error, XENSTORE_ERROR_RINGIDX);
	ck_assert(log_has("domain 5: ring stopped: bad req_prod"));
	ck_assert_int_eq(tc_read(d0, 0, "/local/domain/6/secret", v), 1);
}
END_TEST

START_TEST(oversized_packet_sets_proto_error)
{
	struct xsd_sockmsg h = { XS_READ, 1, 0, 5000 };

	introduce(0);
	guest_put(&h, sizeof(h));
	guest_notify();
	pump();
	ck_assert_uint_eq(dom.page->error, XENSTORE_ERROR_PROTO);
	/* Further requests are ignored until the guest reconnects. */
	guest_send(XS_GET_DOMAIN_PATH, "1", 2);
	pump();
	ck_assert_uint_eq(dom.page->rsp_prod, dom.page->rsp_cons);
}
END_TEST

START_TEST(reconnect_resets_the_connection)
{
	struct xsd_sockmsg h = { XS_READ, 1, 0, 5000 };
	char p[XENSTORE_PAYLOAD_MAX + 1];
	struct xs_domain *d;

	introduce(0);
	d = domain_get(T_st, 5, false);
	guest_send(XS_WATCH, "data\0tok", 9);
	ck_assert(guest_recv(&h, p));               /* OK */
	ck_assert(guest_recv(&h, p));               /* the initial event */
	ck_assert_uint_eq(h.type, XS_WATCH_EVENT);
	ck_assert_uint_eq(d->conn->nwatches, 1);
	h.len = 5000;
	guest_put(&h, sizeof(h));                   /* break it */
	guest_notify();
	pump();
	ck_assert_uint_eq(dom.page->error, XENSTORE_ERROR_PROTO);
	dom.page->connection = XENSTORE_RECONNECT;
	guest_notify();
	pump();
	ck_assert_uint_eq(dom.page->connection, XENSTORE_CONNECTED);
	ck_assert_uint_eq(dom.page->error, XENSTORE_ERROR_NONE);
	ck_assert_uint_eq(dom.page->req_cons, dom.page->req_prod);
	ck_assert_uint_eq(d->conn->nwatches, 0);
	guest_send(XS_GET_DOMAIN_PATH, "5", 2);
	ck_assert(guest_recv(&h, p));
	ck_assert_str_eq(p, "/local/domain/5");
}
END_TEST

START_TEST(watch_events_reach_the_guest)
{
	struct xsd_sockmsg h;
	char p[XENSTORE_PAYLOAD_MAX + 1];

	introduce(0);
	guest_send(XS_WATCH, "data\0tok", 9);
	ck_assert(guest_recv(&h, p));
	ck_assert(guest_recv(&h, p));
	ck_assert_str_eq(p, "data");
	ck_assert_int_eq(tc_write(d0, 0, "/local/domain/5/data/k", "1"), 0);
	ck_assert(guest_recv(&h, p));
	ck_assert_uint_eq(h.type, XS_WATCH_EVENT);
	ck_assert_uint_eq(h.req_id, 0);
	ck_assert_str_eq(p, "data/k");
	ck_assert_str_eq(p + 7, "tok");
}
END_TEST

START_TEST(release_ends_the_connection)
{
	char r[8];
	uint32_t t;

	ck_assert_int_eq(tc_watch(w0, "@releaseDomain", "r"), 0);
	tc_drain_events(w0);
	introduce(0);
	guest_send(XS_TRANSACTION_START, "", 1);
	pump();
	ck_assert_int_eq(tc_simple(d0, XS_RELEASE, 0, "5"), 0);
	ck_assert_int_eq(tc_event_count(w0), 1);
	ck_assert_int_eq(dom.unbinds, 1);
	ck_assert_int_eq(dom.unmaps, 1);
	ck_assert(TAILQ_EMPTY(&T_st->open_txns));
	ck_assert_int_eq(tc_args(d0, XS_IS_DOMAIN_INTRODUCED, 0,
				 (const char *[]){ "5" }, 1, r), 0);
	ck_assert_str_eq(r, "F");
	ck_assert_int_eq(tc_simple(d0, XS_RELEASE, 0, "5"), -ENOENT);
	/* The subtree stays until the toolstack removes it. */
	ck_assert_ptr_nonnull(tree_find(T_st, "/local/domain/5/data"));
	(void)t;
}
END_TEST

START_TEST(pvxd_events_fire_and_release)
{
	struct pvx_ctl_event shut = { 5, PVX_DOM_SHUTDOWN, 0, 0 };
	struct pvx_ctl_event dead = { 5, PVX_DOM_DEAD, -1, 0 };
	struct pvx_ctl_event other = { 9, PVX_DOM_DEAD, -1, 0 };
	struct pvx_ctl_event run = { 5, PVX_DOM_RUNNING, -1, 0 };

	ck_assert_int_eq(tc_watch(w0, "@releaseDomain", "r"), 0);
	tc_drain_events(w0);
	introduce(0);
	dom_events_apply(T_st, &run);
	dom_events_apply(T_st, &other);
	ck_assert_int_eq(tc_event_count(w0), 0);
	dom_events_apply(T_st, &shut);
	ck_assert_int_eq(tc_event_count(w0), 1);
	ck_assert(domain_get(T_st, 5, false)->introduced);
	tc_drain_events(w0);
	dom_events_apply(T_st, &dead);
	ck_assert_int_eq(tc_event_count(w0), 1);
	ck_assert_int_eq(dom.unbinds, 1);
	ck_assert_int_eq(dom.unmaps, 1);
	ck_assert_int_eq(tc_simple(d0, XS_RELEASE, 0, "5"), -ENOENT);
}
END_TEST

/* Create/destroy cycles leave nothing behind: no domain entries, no
 * connections, no watch-trie levels, no mappings or bindings. */
START_TEST(introduce_release_cycles_leave_nothing)
{
	const char *a[] = { "9", "4660", "7" };
	size_t domains = T_st->domains.count;
	unsigned nodes = T_st->nnodes;
	int i, conns = 0;
	struct xs_conn *c;

	for (i = 0; i < 50; i++) {
		ck_assert_int_eq(tc_args(d0, XS_INTRODUCE, 0, a, 3, NULL), 0);
		ck_assert_int_eq(tc_write(d0, 0, "/local/domain/9/name", "x"), 0);
		ck_assert_int_eq(tc_perms(d0, "/local/domain/9/name",
					  (const char *[]){ "n9" }, 1), 0);
		ck_assert_int_eq(watch_add(domain_get(T_st, 9, false)->conn,
					   "/local/domain/9/x/y/z", "t", false, -1), 0);
		ck_assert_int_eq(tc_simple(d0, XS_RELEASE, 0, "9"), 0);
		ck_assert_int_eq(tc_simple(d0, XS_RM, 0, "/local/domain/9"), 0);
	}
	TAILQ_FOREACH(c, &T_st->conns, link)
		conns++;
	ck_assert_int_eq(conns, 2); /* d0 and w0 */
	ck_assert_uint_eq(T_st->domains.count, domains);
	ck_assert_uint_eq(T_st->nnodes, nodes);
	ck_assert_int_eq(dom.maps, dom.unmaps);
	ck_assert_int_eq(dom.binds, dom.unbinds);
	ck_assert_ptr_null(hmap_find(&T_st->wroot->kids, "local"));
}
END_TEST

/* pvxd died and its domains with it (P30): the introduced ones are
 * released (ring, mapping, binding), every domain's tree, /vm entry and
 * backend directories go with their watches fired, the ring backend is
 * reset for the next pvxd; Dom0's tree and the backend type directories
 * stay. */
START_TEST(platform_lost_releases_and_purges_every_domain)
{
	char v[64], names[256];

	introduce(0);
	ck_assert_int_eq(tc_write(d0, 0, "/local/domain/5/vm", "/vm/u-5"), 0);
	ck_assert_int_eq(tc_write(d0, 0, "/vm/u-5/name", "a"), 0);
	ck_assert_int_eq(tc_write(d0, 0, "/vm/u-9/name", "other"), 0);
	ck_assert_int_eq(tc_write(d0, 0, "/local/domain/0/backend/vbd/5/51712/state", "4"), 0);
	ck_assert_int_eq(tc_write(d0, 0, "/local/domain/0/backend/vif/5/0/state", "4"), 0);
	ck_assert_int_eq(tc_write(d0, 0, "/local/domain/0/backend/vif/6/0/state", "4"), 0);
	ck_assert_int_eq(tc_write(d0, 0, "/local/domain/0/name", "Domain-0"), 0);
	ck_assert_int_eq(tc_write(d0, 0, "/local/domain/007/x", "not a domid"), 0);
	ck_assert_int_eq(tc_watch(w0, "/local/domain/0/backend/vbd", "be"), 0);
	ck_assert_int_eq(tc_watch(w0, "@releaseDomain", "r"), 0);
	tc_drain_events(w0);

	ck_assert_uint_eq(xs_platform_lost(T_st), 2); /* 5 and 6 */
	ck_assert_int_eq(dom.unmaps, 1);
	ck_assert_int_eq(dom.unbinds, 1);
	ck_assert_int_eq(resets, 1);
	ck_assert_int_eq(tc_args(d0, XS_IS_DOMAIN_INTRODUCED, 0,
				 (const char *[]){ "5" }, 1, v), 0);
	ck_assert_str_eq(v, "F");
	ck_assert_int_ge(tc_event_count(w0), 2); /* @releaseDomain, the vbd */
	ck_assert_int_eq(tc_read(d0, 0, "/local/domain/5/vm", v), -ENOENT);
	ck_assert_int_eq(tc_read(d0, 0, "/local/domain/6/secret", v), -ENOENT);
	ck_assert_int_eq(tc_read(d0, 0, "/vm/u-5/name", v), -ENOENT);
	ck_assert_int_ge(tc_read(d0, 0, "/vm/u-9/name", v), 0);
	ck_assert_int_eq(tc_dir(d0, 0, "/local/domain/0/backend/vbd", names), 0);
	ck_assert_str_eq(names, "");
	ck_assert_int_eq(tc_dir(d0, 0, "/local/domain/0/backend/vif", names), 0);
	ck_assert_str_eq(names, "");
	ck_assert_int_ge(tc_read(d0, 0, "/local/domain/0/name", v), 0);
	ck_assert_int_ge(tc_read(d0, 0, "/local/domain/007/x", v), 0);
	/* Nothing left to do a second time. */
	ck_assert_uint_eq(xs_platform_lost(T_st), 0);
	ck_assert_int_eq(dom.unmaps, 1);
	/* The next pvxd's domain 5 is introduced afresh. */
	introduce(0);
	ck_assert_int_eq(dom.maps, 2);
}
END_TEST

Suite *make_ring_suite(void)
{
	Suite *s = suite_create("ring");
	TCase *tc = tcase_create("ring");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, introduce_fires_and_advertises);
	tcase_add_test(tc, guest_reads_and_writes_over_the_ring);
	tcase_add_test(tc, big_reply_streams_through_the_ring);
	tcase_add_test(tc, indices_wrap_at_uint32_max);
	tcase_add_test(tc, bad_producer_index_stops_the_ring);
	tcase_add_test(tc, oversized_packet_sets_proto_error);
	tcase_add_test(tc, reconnect_resets_the_connection);
	tcase_add_test(tc, watch_events_reach_the_guest);
	tcase_add_test(tc, release_ends_the_connection);
	tcase_add_test(tc, pvxd_events_fire_and_release);
	tcase_add_test(tc, introduce_release_cycles_leave_nothing);
	tcase_add_test(tc, platform_lost_releases_and_purges_every_domain);
	suite_add_tcase(s, tc);
	return s;
}
