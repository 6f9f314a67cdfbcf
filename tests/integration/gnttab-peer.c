/*
 * gnttab-peer: the Dom0 side of the gnttab-* integration tests, on
 * libpvxgnttab and libpvxctl.
 *
 *   gnttab-peer share DOMID REF PORT
 *       pairs with minios grant-share: map REF (writable, plus a second
 *       read-only mapping), check the guest's text, write ours, notify;
 *       after the guest's answer check its new text through the mapping
 *       and with a copy, copy text into the page, unmap, notify.
 *   gnttab-peer hold DOMID REF die|destroy
 *       pairs with minios grant-hold: map REF and print "mapped". `die`:
 *       wait to be killed (the test sends SIGKILL once the guest saw the
 *       mapping; the connection's close must release the grant). `destroy`: wait for the domain to be
 *       destroyed, check the page is still readable, unmap, check that
 *       mapping the domain again says -ESRCH.
 *   gnttab-peer bad DOMID REF OTHERDOM OTHERREF
 *       the failures Dom0 must see: refs out of range, a grant made to
 *       someone else (OTHERDOM's OTHERREF), a read-only grant mapped for writing, a page-crossing
 *       copy, a domain that does not exist.
 *   gnttab-peer ring DOMID REF PORT N
 *       pairs with minios grant-ring: map the ring page once (a
 *       persistent mapping), answer N requests with val + 1 as a backend
 *       does (hold-off notifications, final check before sleeping), then
 *       unmap; prints the notifications it sent and received.
 *   gnttab-peer bench DOMID REF
 *       map + unmap REF in batches of 1, 32 and 1024 (pins of one entry)
 *       and print the cost per batch and per grant.
 * Exit 0 when every check held; each failure is printed.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <pvx/ctlclient.h>
#include <pvx/gnttab.h>
#include <pvx/ring.h>

struct gring_msg {
	uint64_t id;
	uint64_t val;
};
PVX_RING_DEFINE(gring, struct gring_msg, struct gring_msg)

#define STEP_MS 30000

static int failures;

#define CHECK(cond, ...) do { \
	if (!(cond)) { \
		fprintf(stderr, "gnttab-peer: " __VA_ARGS__); \
		fputc('\n', stderr); \
		failures++; \
	} \
} while (0)

static int wait_event(const struct pvx_evtchn *ev, int ms)
{
	struct pollfd p = { .fd = ev->event_fd, .events = POLLIN };

	if (poll(&p, 1, ms) <= 0)
		return -ETIMEDOUT;
	return pvx_evtchn_consume(ev);
}

static void share_second_half(struct pvx_gnttab *g, int32_t dom, grant_ref_t ref,
			      uint8_t *page)
{
	char back[16] = { 0 };
	struct pvx_gnttab_copy c[2] = {
		{ .ref = ref, .offset = 64, .len = 12, .buf = back },
		{ .ref = ref, .offset = 3000, .len = 10, .to_guest = true,
		  .buf = (void *)"dom0:copy" },
	};

	CHECK(strcmp((char *)page + 64, "guest:again") == 0, "guest's answer not seen");
	CHECK(pvx_gnttab_copy(g, dom, c, 2) == 0, "copy round trip failed");
	CHECK(c[0].status == GNTST_okay && strcmp(back, "guest:again") == 0,
	      "copy from guest: %s '%s'", pvx_gnttab_strstatus(c[0].status), back);
	CHECK(c[1].status == GNTST_okay, "copy to guest: %s", pvx_gnttab_strstatus(c[1].status));
}

static int do_share(struct pvx_ctl *ctl, struct pvx_gnttab *g, int32_t dom,
		    grant_ref_t ref, uint32_t port)
{
	struct pvx_gnttab_map m[2] = { { .ref = ref }, { .ref = ref, .readonly = true } };
	struct pvx_evtchn ev;
	int rc = pvx_evtchn_bind(ctl, dom, port, &ev);

	if (rc < 0)
		return fprintf(stderr, "gnttab-peer: bind: %s\n", strerror(-rc)), 1;
	pvx_evtchn_consume(&ev); /* the bind's own event */
	rc = pvx_gnttab_map_batch(g, dom, m, 2);
	if (rc < 0 || m[0].status || m[1].status)
		return fprintf(stderr, "gnttab-peer: map: %d %s %s\n", rc,
			       pvx_gnttab_strstatus(m[0].status),
			       pvx_gnttab_strstatus(m[1].status)), 1;
	CHECK(strcmp(m[0].addr, "guest:hello") == 0, "guest's text not in the page");
	CHECK(strcmp(m[1].addr, "guest:hello") == 0, "read-only view differs");
	CHECK(pvx_gnttab_nr_mapped(g) == 2, "nr_mapped %zu", pvx_gnttab_nr_mapped(g));
	strcpy((char *)m[0].addr + 2048, "dom0:hello");
	pvx_evtchn_notify(&ev);
	if (wait_event(&ev, STEP_MS) <= 0)
		return fprintf(stderr, "gnttab-peer: no answer from the guest\n"), 1;
	share_second_half(g, dom, ref, m[0].addr);
	CHECK(pvx_gnttab_unmap(g, m[0].handle) == 0, "unmap rw");
	CHECK(pvx_gnttab_unmap(g, m[1].handle) == 0, "unmap ro");
	CHECK(pvx_gnttab_unmap(g, m[1].handle) == -EINVAL, "double unmap accepted");
	CHECK(pvx_gnttab_nr_mapped(g) == 0, "still mapped: %zu", pvx_gnttab_nr_mapped(g));
	pvx_evtchn_notify(&ev);
	pvx_evtchn_close(ctl, &ev);
	return failures != 0;
}

static int do_hold(struct pvx_ctl *ctl, struct pvx_gnttab *g, int32_t dom,
		   grant_ref_t ref, const char *mode)
{
	struct pvx_ctl_dominfo info;
	uint32_t handle;
	int16_t st;
	char *p = pvx_gnttab_map_ref(g, dom, ref, false, &handle, &st);

	if (!p)
		return fprintf(stderr, "gnttab-peer: map: %s\n", pvx_gnttab_strstatus(st)), 1;
	printf("mapped\n");
	fflush(stdout);
	if (strcmp(mode, "die") == 0)
		for (;;)
			pause(); /* no unmap, no close: the test kills us */
	for (int i = 0; i < STEP_MS / 10 && pvx_ctl_info(ctl, dom, &info) == 0; i++)
		usleep(10000);
	CHECK(pvx_ctl_info(ctl, dom, &info) == -ESRCH, "domain %d not destroyed", dom);
	/* Our view keeps the dead domain's memory until we unmap. */
	CHECK(strcmp(p, "hold:data") == 0, "page unreadable after destroy");
	CHECK(pvx_gnttab_unmap(g, handle) == 0, "unmap after destroy");
	CHECK(pvx_gnttab_nr_mapped(g) == 0, "still mapped");
	CHECK(pvx_gnttab_map_ref(g, dom, ref, false, NULL, &st) == NULL, "dead domain mapped");
	printf("released\n");
	return failures != 0;
}

static int do_bad(struct pvx_gnttab *g, int32_t dom, grant_ref_t ref, int32_t other,
		  grant_ref_t oref)
{
	struct pvx_gnttab_map m[4] = {
		{ .ref = 100000 }, { .ref = 0xFFFFFFFFu }, { .ref = ref },
		{ .ref = ref, .readonly = true },
	};
	char buf[64];
	struct pvx_gnttab_copy c = { .ref = ref, .offset = 4090, .len = 64, .buf = buf };

	CHECK(pvx_gnttab_map_batch(g, dom, m, 4) == 0, "map batch failed");
	CHECK(m[0].status == GNTST_bad_gntref, "ref 100000: %s", pvx_gnttab_strstatus(m[0].status));
	CHECK(m[1].status == GNTST_bad_gntref, "ref ~0: %s", pvx_gnttab_strstatus(m[1].status));
	CHECK(m[2].status == GNTST_okay, "good ref: %s", pvx_gnttab_strstatus(m[2].status));
	CHECK(m[3].status == GNTST_okay, "good ref ro: %s", pvx_gnttab_strstatus(m[3].status));
	CHECK(pvx_gnttab_copy(g, dom, &c, 1) == 0 && c.status == GNTST_bad_copy_arg,
	      "page-crossing copy: %s", pvx_gnttab_strstatus(c.status));
	/* OTHERDOM's ref was granted to another guest, not to us */
	m[0] = (struct pvx_gnttab_map){ .ref = oref };
	CHECK(pvx_gnttab_map_batch(g, other, m, 1) == 0 &&
	      m[0].status == GNTST_permission_denied,
	      "someone else's grant: %s", pvx_gnttab_strstatus(m[0].status));
	CHECK(pvx_gnttab_map_batch(g, 1000, m, 1) == -ESRCH, "no such domain");
	CHECK(pvx_gnttab_unmap(g, m[2].handle) == 0 && pvx_gnttab_unmap(g, m[3].handle) == 0,
	      "unmap");
	return failures != 0;
}

/* Answers what is on the ring; -1 on a bad ring. */
static int serve(struct gring_back_ring *br, const struct pvx_evtchn *ev,
		 uint64_t *served, uint64_t *kicks)
{
	struct gring_msg m;
	int r;

	while ((r = gring_back_get_request(br, &m)) == 1) {
		m.val++;
		if (gring_back_put_response(br, &m) < 0)
			return -1;
		(*served)++;
	}
	if (r < 0)
		return -1;
	if (gring_back_push_responses_and_check_notify(br)) {
		pvx_evtchn_notify(ev);
		(*kicks)++;
	}
	return 0;
}

static int do_ring(struct pvx_ctl *ctl, struct pvx_gnttab *g, int32_t dom,
		   grant_ref_t ref, uint32_t port, uint64_t n)
{
	struct gring_back_ring br;
	struct pvx_evtchn ev;
	uint64_t served = 0, kicks = 0, wakes = 0;
	uint32_t handle;
	int16_t st;
	void *page = pvx_gnttab_map_ref(g, dom, ref, false, &handle, &st);
	int rc = page ? pvx_evtchn_bind(ctl, dom, port, &ev) : -EINVAL;

	if (!page || rc < 0 || gring_back_attach(&br, page, PVX_PAGE_SIZE) < 0)
		return fprintf(stderr, "gnttab-peer: ring setup: %s %d\n",
			       pvx_gnttab_strstatus(st), rc), 1;
	while (served < n) {
		if (serve(&br, &ev, &served, &kicks) < 0)
			return fprintf(stderr, "gnttab-peer: bad ring after %llu\n",
				       (unsigned long long)served), 1;
		if (served >= n || gring_back_final_check_for_requests(&br) != 0)
			continue;
		if (wait_event(&ev, STEP_MS) <= 0)
			return fprintf(stderr, "gnttab-peer: ring went quiet after %llu\n",
				       (unsigned long long)served), 1;
		wakes++;
	}
	printf("ring: %llu answered, %llu notifications sent, %llu wake-ups\n",
	       (unsigned long long)served, (unsigned long long)kicks,
	       (unsigned long long)wakes);
	CHECK(pvx_gnttab_unmap(g, handle) == 0, "unmap ring");
	pvx_evtchn_close(ctl, &ev);
	return failures != 0;
}

static double now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static int do_bench(struct pvx_gnttab *g, int32_t dom, grant_ref_t ref)
{
	static struct pvx_gnttab_map m[1024];
	static uint32_t h[1024];
	static const size_t sizes[] = { 1, 32, 1024 };

	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		size_t b = sizes[s], rounds = 20480 / b;
		double t0 = now_us(), t1;

		for (size_t r = 0; r < rounds; r++) {
			for (size_t i = 0; i < b; i++)
				m[i] = (struct pvx_gnttab_map){ .ref = ref };
			if (pvx_gnttab_map_batch(g, dom, m, b) < 0 || m[0].status || m[b - 1].status)
				return fprintf(stderr, "gnttab-peer: bench map: %s\n",
					       pvx_gnttab_strstatus(m[0].status)), 1;
			for (size_t i = 0; i < b; i++)
				h[i] = m[i].handle;
			if (pvx_gnttab_unmap_batch(g, h, NULL, b) < 0)
				return fprintf(stderr, "gnttab-peer: bench unmap\n"), 1;
		}
		t1 = now_us();
		printf("bench: batch %4zu: map+unmap %8.1f us per batch, %6.3f us per grant\n",
		       b, (t1 - t0) / rounds, (t1 - t0) / (rounds * b));
	}
	return failures != 0;
}

int main(int argc, char **argv)
{
	struct pvx_ctl *ctl = NULL;
	struct pvx_gnttab *g = NULL;
	int32_t dom;
	grant_ref_t ref;
	int rc;

	if (argc < 4) {
		fprintf(stderr, "usage: gnttab-peer share DOMID REF PORT | hold DOMID REF "
			"die|destroy | bad DOMID REF OTHERDOM OTHERREF | ring DOMID REF PORT N\n");
		return 2;
	}
	dom = atoi(argv[2]);
	ref = (grant_ref_t)strtoul(argv[3], NULL, 0);
	rc = pvx_ctl_open(&ctl);
	if (rc == 0)
		rc = pvx_gnttab_open(ctl, &g);
	if (rc < 0) {
		fprintf(stderr, "gnttab-peer: open: %s\n", strerror(-rc));
		return 1;
	}
	if (!strcmp(argv[1], "share") && argc == 5)
		rc = do_share(ctl, g, dom, ref, (uint32_t)atoi(argv[4]));
	else if (!strcmp(argv[1], "hold") && argc == 5)
		rc = do_hold(ctl, g, dom, ref, argv[4]);
	else if (!strcmp(argv[1], "ring") && argc == 6)
		rc = do_ring(ctl, g, dom, ref, (uint32_t)atoi(argv[4]),
			     strtoull(argv[5], NULL, 0));
	else if (!strcmp(argv[1], "bench") && argc == 4)
		rc = do_bench(g, dom, ref);
	else if (!strcmp(argv[1], "bad") && argc == 6)
		rc = do_bad(g, dom, ref, atoi(argv[4]), (grant_ref_t)atoi(argv[5]));
	else
		rc = 2;
	pvx_gnttab_close(g);
	pvx_ctl_close(ctl);
	return rc;
}
