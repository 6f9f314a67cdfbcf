/*
 * mig-hv-peer: the Dom0 side of the mig-hv-* integration tests, straight
 * on pvxd's control ops (pvx/ctl.h), without the toolstack's stream.
 *
 *   mig-hv-peer copy DOM NAME
 *       pauses DOM unless it is suspended, reads its state (GET_STATE),
 *       creates NAME with PVX_CREATE_F_RESTORE and the same type, memory
 *       and vCPUs, copies RAM and the special pages through the memfds,
 *       loads the state (SET_STATE) and unpauses NAME. Prints its domid.
 *   mig-hv-peer resume DOM
 *       PVX_CTL_RESUME (a cancelled suspend).
 *   mig-hv-peer dirty DOM
 *       dirty log of a running guest, then of the same guest paused:
 *       prints "running N paused M" (pages seen dirty in 300 ms).
 *   mig-hv-peer orphan DOM
 *       a dirty log enabled on a second connection is switched off when
 *       that connection closes (FETCH refused, as after DISABLE), and
 *       kept when this connection enabled it again before the close.
 *   mig-hv-peer records DOM
 *       the record types, vCPUs and lengths of DOM's state blob.
 *   mig-hv-peer cost DOM
 *       milliseconds per dirty-log FETCH of all of DOM's RAM.
 *   mig-hv-peer bad DOM
 *       the refusals: GET_STATE of a running domain; on a restore
 *       domain SET_BOOT and unpause before SET_STATE; truncated, resized,
 *       wrong-vCPU-count and bad-port blobs (-EINVAL, domain unchanged:
 *       the good blob still loads afterwards); chunks out of order.
 * Exit 0 when every check held; each failure is printed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <pvx/ctlclient.h>

#include "../../hypervisor/domain/save_state.h"

static int failures;

#define CHECK(cond, ...) do { \
	if (!(cond)) { \
		fprintf(stderr, "mig-hv-peer: " __VA_ARGS__); \
		fputc('\n', stderr); \
		failures++; \
	} \
} while (0)

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void msleep(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static int get_state(struct pvx_ctl *c, int32_t dom, uint8_t **blob, size_t *len)
{
	static uint8_t rsp[PVX_CTL_MAX_PAYLOAD];
	struct pvx_ctl_state_chunk q = { 0, 0, 0, 0 };
	uint8_t *b = NULL;
	uint32_t n;
	int r;

	do {
		struct pvx_ctl_state_chunk a;

		r = pvx_ctl_call(c, PVX_CTL_GET_STATE, dom, &q, sizeof(q), rsp,
				 sizeof(rsp), &n, NULL, 0, NULL);
		if (r < 0)
			break;
		memcpy(&a, rsp, sizeof(a));
		if (!b)
			b = malloc(a.total);
		if (!b || a.offset + a.len > a.total) {
			r = -EIO;
			break;
		}
		memcpy(b + a.offset, rsp + sizeof(a), a.len);
		q.offset = a.offset + a.len;
		*len = a.total;
	} while (q.offset < *len);
	if (r < 0) {
		free(b);
		return r;
	}
	*blob = b;
	return 0;
}

static int set_state(struct pvx_ctl *c, int32_t dom, const uint8_t *blob,
		     size_t len, size_t claim)
{
	static uint8_t req[PVX_CTL_MAX_PAYLOAD];
	uint64_t off = 0;
	int r = 0;

	while (r == 0 && off < len) {
		struct pvx_ctl_state_chunk q = { off, claim, 0, 0 };
		size_t n = len - off < PVX_CTL_STATE_CHUNK_MAX ? len - off :
			   PVX_CTL_STATE_CHUNK_MAX;

		q.len = (uint32_t)n;
		memcpy(req, &q, sizeof(q));
		memcpy(req + sizeof(q), blob + off, n);
		r = pvx_ctl_call(c, PVX_CTL_SET_STATE, dom, req,
				 (uint32_t)(sizeof(q) + n), NULL, 0, NULL, NULL, 0, NULL);
		off += n;
	}
	return r;
}

static int create_like(struct pvx_ctl *c, const struct pvx_ctl_dominfo *src,
		       const char *name, int32_t *dom)
{
	struct pvx_ctl_create_req q;

	memset(&q, 0, sizeof(q));
	snprintf(q.name, sizeof(q.name), "%s", name);
	q.mem_kib = src->mem_kib;
	q.maxmem_kib = src->maxmem_kib;
	q.vcpus = src->vcpus;
	q.type = src->type;
	q.flags = PVX_CREATE_F_RESTORE;
	return pvx_ctl_create(c, &q, dom);
}

static int copy_memory(struct pvx_ctl *c, int32_t from, int32_t to)
{
	struct pvx_dom_mem a, b;
	int r = pvx_dom_mem_map(c, from, &a);

	if (r < 0)
		return r;
	r = pvx_dom_mem_map(c, to, &b);
	if (r == 0 && (a.ram_bytes != b.ram_bytes || a.special_pages != b.special_pages))
		r = -EINVAL;
	if (r == 0) {
		memcpy(b.base, a.base, a.ram_bytes);
		memcpy(b.special, a.special, (size_t)a.special_pages * PVX_PAGE_SIZE);
	}
	pvx_dom_mem_unmap(&b);
	pvx_dom_mem_unmap(&a);
	return r;
}

static int cmd_copy(struct pvx_ctl *c, int32_t dom, const char *name)
{
	struct pvx_ctl_dominfo di;
	uint8_t *blob = NULL;
	size_t len = 0;
	int32_t nd = -1;
	double t0, t_get = 0, t_set = 0;
	int r = pvx_ctl_info(c, dom, &di);

	if (r == 0 && di.state == PVX_DOM_RUNNING)
		r = pvx_ctl_pause(c, dom);
	t0 = now_ms();
	if (r == 0)
		r = get_state(c, dom, &blob, &len);
	t_get = now_ms() - t0;
	CHECK(r == 0, "GET_STATE of d%d: %s", dom, strerror(-r));
	if (r == 0)
		r = create_like(c, &di, name, &nd);
	if (r == 0)
		r = copy_memory(c, dom, nd);
	t0 = now_ms();
	if (r == 0)
		r = set_state(c, nd, blob, len, len);
	t_set = now_ms() - t0;
	CHECK(r == 0, "restore into %s: %s", name, strerror(-r));
	if (r == 0)
		r = pvx_ctl_unpause(c, nd);
	CHECK(r == 0, "unpause %s: %s", name, strerror(-r));
	if (r == 0)
		printf("%d %zu get_state %.2f ms set_state %.2f ms\n", nd, len, t_get, t_set);
	free(blob);
	return r;
}

static int fetch(struct pvx_ctl *c, int32_t dom, uint64_t *count)
{
	static uint8_t rsp[PVX_CTL_MAX_PAYLOAD];
	struct pvx_ctl_dominfo di;
	uint64_t pages, total = 0;
	int r = pvx_ctl_info(c, dom, &di);

	pages = di.maxmem_kib / 4;
	for (uint64_t first = 0; r == 0 && first < pages; first += PVX_CTL_DIRTY_MAX_PFNS) {
		struct pvx_ctl_dirty_req q = { PVX_DIRTY_FETCH, 0, first, PVX_CTL_DIRTY_MAX_PFNS };
		struct pvx_ctl_dirty_rsp a;
		uint32_t n;

		r = pvx_ctl_call(c, PVX_CTL_DIRTY_LOG, dom, &q, sizeof(q), rsp,
				 sizeof(rsp), &n, NULL, 0, NULL);
		if (r == 0) {
			memcpy(&a, rsp, sizeof(a));
			total += a.dirty;
		}
	}
	*count = total;
	return r;
}

static int dirty_cmd(struct pvx_ctl *c, int32_t dom, uint32_t cmd)
{
	struct pvx_ctl_dirty_req q = { cmd, 0, 0, 0 };

	return pvx_ctl_call(c, PVX_CTL_DIRTY_LOG, dom, &q, sizeof(q), NULL, 0,
			    NULL, NULL, 0, NULL);
}

/* The records of DOM's blob, "type/vcpu:len" each (paused for the read). */
static int cmd_records(struct pvx_ctl *c, int32_t dom)
{
	struct pvx_ctl_dominfo di;
	uint8_t *blob = NULL;
	size_t len = 0, at = sizeof(struct mig_hdr);
	int r = pvx_ctl_info(c, dom, &di);

	if (r == 0 && di.state == PVX_DOM_RUNNING)
		r = pvx_ctl_pause(c, dom);
	r = r ? r : get_state(c, dom, &blob, &len);
	CHECK(r == 0, "GET_STATE: %s", strerror(-r));
	while (r == 0 && at + sizeof(struct mig_rec_hdr) <= len) {
		struct mig_rec_hdr h;

		memcpy(&h, blob + at, sizeof(h));
		printf("%u/%d:%u ", h.type, h.vcpu == MIG_NO_VCPU ? -1 : h.vcpu, h.len);
		at += sizeof(h) + ((h.len + 7u) & ~7u);
	}
	printf("\n");
	if (di.state == PVX_DOM_RUNNING)
		(void)pvx_ctl_unpause(c, dom);
	free(blob);
	return r;
}

/* Milliseconds per FETCH of all RAM (median of 11), the guest running. */
static int cmd_cost(struct pvx_ctl *c, int32_t dom)
{
	double t[11];
	uint64_t n = 0;
	int r = dirty_cmd(c, dom, PVX_DIRTY_ENABLE);

	for (int i = 0; r == 0 && i < 11; i++) {
		double t0 = now_ms();

		r = fetch(c, dom, &n);
		t[i] = now_ms() - t0;
		msleep(20);
	}
	CHECK(r == 0, "dirty log: %s", strerror(-r));
	for (int i = 0; i < 11; i++)       /* insertion sort */
		for (int j = i; j > 0 && t[j] < t[j - 1]; j--) {
			double x = t[j];

			t[j] = t[j - 1];
			t[j - 1] = x;
		}
	(void)dirty_cmd(c, dom, PVX_DIRTY_DISABLE);
	printf("fetch %.3f ms (min %.3f, max %.3f), last %llu dirty\n", t[5], t[0], t[10],
	       (unsigned long long)n);
	return r;
}

static int cmd_dirty(struct pvx_ctl *c, int32_t dom)
{
	uint64_t run = 0, paused = 0, again = 0;
	int r = dirty_cmd(c, dom, PVX_DIRTY_ENABLE);

	CHECK(r == 0, "DIRTY_LOG enable: %s", strerror(-r));
	if (r < 0)
		return r;
	r = fetch(c, dom, &run);
	msleep(300);
	if (r == 0)
		r = fetch(c, dom, &run);
	if (r == 0)
		r = pvx_ctl_pause(c, dom);
	if (r == 0)
		r = fetch(c, dom, &paused);
	msleep(300);
	if (r == 0)
		r = fetch(c, dom, &paused);
	if (r == 0)
		r = fetch(c, dom, &again);
	CHECK(r == 0, "dirty log: %s", strerror(-r));
	CHECK(paused == again, "a paused guest's log changed: %llu then %llu",
	      (unsigned long long)paused, (unsigned long long)again);
	(void)pvx_ctl_unpause(c, dom);
	r = dirty_cmd(c, dom, PVX_DIRTY_DISABLE);
	CHECK(r == 0, "DIRTY_LOG disable: %s", strerror(-r));
	r = fetch(c, dom, &again);
	CHECK(r == -EINVAL, "FETCH after DISABLE: %d", r);
	printf("running %llu paused %llu\n", (unsigned long long)run,
	       (unsigned long long)paused);
	return 0;
}

/* FETCH on c until it is refused (the close is another socket's event:
 * pvxd may answer c first), for at most 2 s; the last result. */
static int fetch_until_refused(struct pvx_ctl *c, int32_t dom)
{
	uint64_t n;
	int r = 0;

	for (int i = 0; i < 100 && r == 0; i++) {
		r = fetch(c, dom, &n);
		if (r == 0)
			msleep(20);
	}
	return r;
}

static int cmd_orphan(struct pvx_ctl *c, int32_t dom)
{
	struct pvx_ctl *o = NULL;
	uint64_t n = 0;
	int r = pvx_ctl_open(&o);

	r = r ? r : dirty_cmd(o, dom, PVX_DIRTY_ENABLE);
	CHECK(r == 0, "DIRTY_LOG enable on a second connection: %s", strerror(-r));
	if (r < 0)
		return r;
	r = fetch(c, dom, &n);
	CHECK(r == 0, "FETCH of a log another connection enabled: %d", r);
	pvx_ctl_close(o);
	r = fetch_until_refused(c, dom);
	CHECK(r == -EINVAL, "the log stayed on after its enabler closed: FETCH gave %d", r);
	/* Enabled again here before the first enabler closes: ours now. */
	r = pvx_ctl_open(&o);
	r = r ? r : dirty_cmd(o, dom, PVX_DIRTY_ENABLE);
	r = r ? r : dirty_cmd(c, dom, PVX_DIRTY_ENABLE);
	CHECK(r == 0, "DIRTY_LOG enable twice: %s", strerror(-r));
	if (o)
		pvx_ctl_close(o);
	msleep(300);
	r = fetch(c, dom, &n);
	CHECK(r == 0, "a log this connection enabled went with another's close: %d", r);
	r = dirty_cmd(c, dom, PVX_DIRTY_DISABLE);
	CHECK(r == 0, "DIRTY_LOG disable: %s", strerror(-r));
	printf("orphan log switched off\n");
	return 0;
}

/* One mutated copy of blob must be refused, and leave the domain able
 * to take the good one. */
static void refuse(struct pvx_ctl *c, int32_t nd, const uint8_t *blob, size_t len,
		   const char *what, void (*mutate)(uint8_t *b, size_t *len))
{
	uint8_t *b = malloc(len + 64);
	size_t n = len;
	int r;

	memcpy(b, blob, len);
	mutate(b, &n);
	r = set_state(c, nd, b, n, n);
	CHECK(r == -EINVAL, "%s: SET_STATE gave %d, want -EINVAL", what, r);
	free(b);
}

static void m_truncate(uint8_t *b, size_t *len) { (void)b; *len -= 40; }
static void m_total(uint8_t *b, size_t *len)
{
	struct mig_hdr h;

	(void)len;
	memcpy(&h, b, sizeof(h));
	h.total += 8;
	memcpy(b, &h, sizeof(h));
}
static void m_vcpus(uint8_t *b, size_t *len)
{
	struct mig_hdr h;

	(void)len;
	memcpy(&h, b, sizeof(h));
	h.nr_vcpus++;
	memcpy(b, &h, sizeof(h));
}
static void m_reclen(uint8_t *b, size_t *len)
{
	struct mig_rec_hdr rh;

	(void)len;
	memcpy(&rh, b + sizeof(struct mig_hdr), sizeof(rh));
	rh.len = 0x7FFFFFF0u;
	memcpy(b + sizeof(struct mig_hdr), &rh, sizeof(rh));
}

/* An event channel on port 5000 (ports end at 1023): the first entry of
 * the blob's record, or a record of its own. */
static void m_port(uint8_t *b, size_t *len)
{
	struct mig_hdr h;
	struct mig_rec_hdr rh = { MIG_REC_EVTCHN, MIG_NO_VCPU, sizeof(struct mig_evtchn) };
	struct mig_evtchn e = { .port = 5000, .state = 5 };
	size_t at = sizeof(h);

	memcpy(&h, b, sizeof(h));
	for (uint32_t i = 0; i < h.nr_recs; i++) {
		struct mig_rec_hdr x;

		memcpy(&x, b + at, sizeof(x));
		if (x.type == MIG_REC_EVTCHN) {
			memcpy(&e, b + at + sizeof(x), sizeof(e));
			e.port = 5000;
			memcpy(b + at + sizeof(x), &e, sizeof(e));
			return;
		}
		at += sizeof(x) + ((x.len + 7) & ~7u);
	}
	memcpy(b + *len, &rh, sizeof(rh));
	memcpy(b + *len + sizeof(rh), &e, sizeof(e));
	*len += sizeof(rh) + sizeof(e);
	h.nr_recs++;
	h.total = *len;
	memcpy(b, &h, sizeof(h));
}

static int peer_resume(struct pvx_ctl *c, int32_t dom)
{
	return pvx_ctl_call(c, PVX_CTL_RESUME, dom, NULL, 0, NULL, 0, NULL,
			    NULL, 0, NULL);
}

static int cmd_bad(struct pvx_ctl *c, int32_t dom)
{
	struct pvx_ctl_state_chunk q = { 0, 0, 0, 0 };
	struct pvx_ctl_dominfo di;
	uint8_t rsp[128], *blob = NULL;
	uint32_t n;
	size_t len = 0;
	int32_t nd = -1;
	int r = pvx_ctl_info(c, dom, &di);

	if (r == 0 && di.state == PVX_DOM_RUNNING) {
		r = pvx_ctl_call(c, PVX_CTL_GET_STATE, dom, &q, sizeof(q), rsp,
				 sizeof(rsp), &n, NULL, 0, NULL);
		CHECK(r == -EBUSY, "GET_STATE of a running domain: %d", r);
		r = pvx_ctl_pause(c, dom);
	}
	r = r ? r : get_state(c, dom, &blob, &len);
	r = r ? r : create_like(c, &di, "mig-hv-bad", &nd);
	CHECK(r == 0, "setup: %s", strerror(-r));
	if (r < 0)
		return r;
	r = pvx_ctl_set_boot(c, nd, 0, 0x100000, 0x1000);
	CHECK(r == -EPERM, "SET_BOOT on a restore domain: %d", r);
	r = pvx_ctl_unpause(c, nd);
	CHECK(r == -EINVAL, "unpause before SET_STATE: %d", r);
	r = peer_resume(c, dom);
	CHECK(r == -EINVAL, "RESUME of a domain not suspended: %d", r);
	refuse(c, nd, blob, len, "truncated", m_truncate);
	refuse(c, nd, blob, len, "total too big", m_total);
	refuse(c, nd, blob, len, "vCPU count", m_vcpus);
	refuse(c, nd, blob, len, "record length", m_reclen);
	refuse(c, nd, blob, len, "port 5000", m_port);
	r = set_state(c, nd, blob, 64, len); /* the first 64 bytes only */
	CHECK(r == 0, "first chunk: %d", r);
	{
		struct pvx_ctl_state_chunk s = { 128, len, 8, 0 };
		uint8_t req[sizeof(s) + 8] = { 0 };

		memcpy(req, &s, sizeof(s));
		r = pvx_ctl_call(c, PVX_CTL_SET_STATE, nd, req, sizeof(req), NULL, 0,
				 NULL, NULL, 0, NULL);
		CHECK(r == -EINVAL, "chunk out of order: %d", r);
	}
	r = copy_memory(c, dom, nd);
	r = r ? r : set_state(c, nd, blob, len, len);
	CHECK(r == 0, "the good blob after the bad ones: %s", strerror(-r));
	r = set_state(c, nd, blob, len, len);
	CHECK(r == -EBUSY, "a second SET_STATE: %d", r);
	pvx_ctl_destroy(c, nd);
	(void)pvx_ctl_unpause(c, dom);
	free(blob);
	return 0;
}

int main(int argc, char **argv)
{
	struct pvx_ctl *c = NULL;
	int32_t dom;
	int r;

	if (argc < 3) {
		fprintf(stderr, "usage: mig-hv-peer copy|resume|dirty|orphan|cost|records|bad DOM [NAME]\n");
		return 2;
	}
	r = pvx_ctl_open(&c);
	if (r == 0)
		r = pvx_ctl_lookup(c, argv[2], &dom);
	if (r < 0) {
		fprintf(stderr, "mig-hv-peer: %s: %s\n", argv[2], strerror(-r));
		if (c)
			pvx_ctl_close(c);
		return 1;
	}
	if (!strcmp(argv[1], "copy") && argc > 3)
		cmd_copy(c, dom, argv[3]);
	else if (!strcmp(argv[1], "resume")) {
		r = peer_resume(c, dom);
		CHECK(r == 0, "RESUME: %s", strerror(-r));
	} else if (!strcmp(argv[1], "dirty"))
		cmd_dirty(c, dom);
	else if (!strcmp(argv[1], "orphan"))
		cmd_orphan(c, dom);
	else if (!strcmp(argv[1], "cost"))
		cmd_cost(c, dom);
	else if (!strcmp(argv[1], "records"))
		cmd_records(c, dom);
	else if (!strcmp(argv[1], "bad"))
		cmd_bad(c, dom);
	else {
		fprintf(stderr, "mig-hv-peer: unknown command %s\n", argv[1]);
		failures++;
	}
	pvx_ctl_close(c);
	return failures ? 1 : 0;
}
