/*
 * The guest's side of a real store ring, played from Dom0 for the
 * xenstore-ring integration test: it maps the (paused) domain's memory
 * through pvxd like pvxstored does and reads/writes the same
 * xenstore_domain_interface page.
 *
 *   xenstore-ring-peer features DOMID      print server_features
 *   xenstore-ring-peer put DOMID TYPE ARG.. queue a request in the ring
 *   xenstore-ring-peer expect DOMID N      wait (3 s) for N messages from
 *                                          pvxstored and print them
 *   xenstore-ring-peer reintroduce DOMID   RELEASE + INTRODUCE (the
 *                                          daemon then serves what is queued)
 * Messages print as "TYPE arg|arg|...", TYPE a number.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <pvx/ctlclient.h>
#include <pvx/xs.h>
#include <xen/public/hvm/params.h>
#include <xen/public/io/xs_wire.h>

static struct pvx_ctl *ctl;
static struct pvx_dom_mem mem;
static struct xenstore_domain_interface *page;
static uint64_t pfn, port;

static int die(const char *what, int rc)
{
	fprintf(stderr, "xenstore-ring-peer: %s: %s\n", what, strerror(-rc));
	exit(1);
}

static void map_page(int32_t domid)
{
	int rc;

	if ((rc = pvx_ctl_open(&ctl)))
		die("pvx_ctl_open", rc);
	if ((rc = pvx_ctl_get_hvm_param(ctl, domid, HVM_PARAM_STORE_PFN, &pfn)) ||
	    (rc = pvx_ctl_get_hvm_param(ctl, domid, HVM_PARAM_STORE_EVTCHN, &port)))
		die("get_hvm_param", rc);
	mem.fd = -1;
	if ((rc = pvx_dom_mem_map(ctl, domid, &mem)))
		die("pvx_dom_mem_map", rc);
	page = pvx_dom_mem_gpa(&mem, pfn * PVX_PAGE_SIZE, PVX_PAGE_SIZE);
	if (!page)
		die("store page outside the domain", -EINVAL);
}

static void put(const void *buf, size_t len)
{
	size_t i;

	if (page->req_prod - page->req_cons + len > XENSTORE_RING_SIZE)
		die("request ring full", -ENOSPC);
	for (i = 0; i < len; i++)
		page->req[MASK_XENSTORE_IDX(page->req_prod + i)] = ((const char *)buf)[i];
	__atomic_store_n(&page->req_prod, page->req_prod + len, __ATOMIC_RELEASE);
}

static void put_request(int argc, char **argv)
{
	char payload[XENSTORE_PAYLOAD_MAX];
	struct xsd_sockmsg h = { (uint32_t)atoi(argv[0]), 1, 0, 0 };
	int i;

	for (i = 1; i < argc; i++) {
		size_t n = strlen(argv[i]) + 1;

		memcpy(payload + h.len, argv[i], n);
		h.len += n;
	}
	put(&h, sizeof(h));
	put(payload, h.len);
}

static size_t avail(void)
{
	return __atomic_load_n(&page->rsp_prod, __ATOMIC_ACQUIRE) - page->rsp_cons;
}

static void take(void *out, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		((char *)out)[i] = page->rsp[MASK_XENSTORE_IDX(page->rsp_cons + i)];
	__atomic_store_n(&page->rsp_cons, page->rsp_cons + n, __ATOMIC_RELEASE);
}

static int expect(int n)
{
	char p[XENSTORE_PAYLOAD_MAX + 1];
	struct xsd_sockmsg h;
	time_t end = time(NULL) + 3;
	uint32_t k;

	while (n > 0 && time(NULL) <= end) {
		if (avail() < sizeof(h)) {
			usleep(1000);
			continue;
		}
		take(&h, sizeof(h));
		while (avail() < h.len && time(NULL) <= end)
			usleep(1000);
		if (h.len > XENSTORE_PAYLOAD_MAX || avail() < h.len)
			return 1;
		take(p, h.len);
		for (k = 0; k < h.len; k++)
			p[k] = p[k] ? p[k] : '|';
		p[h.len] = '\0';
		printf("%u %s\n", h.type, p);
		n--;
	}
	return n ? 1 : 0;
}

static void reintroduce(uint32_t domid)
{
	struct xs_handle *h;
	int rc;

	if ((rc = xs_open(&h)))
		die("xs_open", rc);
	rc = xs_release_domain(h, domid);
	if (rc && rc != -ENOENT)
		die("release", rc);
	if ((rc = xs_introduce_domain(h, domid, pfn, (uint32_t)port)))
		die("introduce", rc);
	xs_close(h);
}

int main(int argc, char **argv)
{
	int32_t domid;
	int rc = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: xenstore-ring-peer features|put|expect|"
			"reintroduce DOMID [args]\n");
		return 2;
	}
	domid = atoi(argv[2]);
	map_page(domid);
	if (strcmp(argv[1], "features") == 0)
		printf("%u\n", page->server_features);
	else if (strcmp(argv[1], "put") == 0 && argc > 3)
		put_request(argc - 3, argv + 3);
	else if (strcmp(argv[1], "expect") == 0 && argc > 3)
		rc = expect(atoi(argv[3]));
	else if (strcmp(argv[1], "reintroduce") == 0)
		reintroduce((uint32_t)domid);
	else
		rc = 2;
	fflush(stdout);
	pvx_dom_mem_unmap(&mem);
	pvx_ctl_close(ctl);
	return rc;
}
