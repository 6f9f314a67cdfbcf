/*
 * ctl_ops: one handler per control op (table at the bottom). Each gets a
 * checked request (size, and the domain when CTL_DOMAIN) and fills the
 * reply payload; a negative return becomes the reply status.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <xen/public/sched.h>

#include "ctl.h"
#include "dom.h"
#include "evtchn.h"
#include "kvm.h"
#include "platform.h"
#include "pvxd.h"

static uint64_t meminfo_kib(const char *key)
{
	FILE *f = fopen("/proc/meminfo", "re");
	char line[128];
	unsigned long long v = 0;
	size_t n = strlen(key);

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, key, n) == 0 && sscanf(line + n, " %llu", &v) == 1)
			break;
	fclose(f);
	return v;
}

/* Xen's xen_caps names: "xen-3.0-x86_64" is 64-bit PV, "hvm-3.0-x86_64"
 * HVM (here PVH). Without pvh in types, the kvm field is why KVM is
 * missing ("cannot open /dev/kvm: No such file or directory"). */
static void hello_platforms(struct pvx_ctl_hello_rsp *h)
{
	uint32_t types = platform_types();
	bool pv = types & PVX_TYPE_BIT(PVX_TYPE_PV);
	bool pvh = types & PVX_TYPE_BIT(PVX_TYPE_PVH);

	h->types = types;
	snprintf(h->caps, sizeof(h->caps), "%s%s%s", pv ? "xen-3.0-x86_64" : "",
		 pv && pvh ? " " : "", pvh ? "hvm-3.0-x86_64 pvh" : "");
	if (types & PVX_TYPE_BIT(PVX_TYPE_PVH))
		snprintf(h->kvm, sizeof(h->kvm), "kvm api %d%s",
			 kvm_host.api_version,
			 kvm_host.msr_filter ? ", msr filter" : "");
	else
		snprintf(h->kvm, sizeof(h->kvm), "%s", platform_why(PVX_TYPE_PVH));
}

static int op_hello(struct ctl_req *rq, struct ctl_reply *rep)
{
	struct pvx_ctl_hello_rsp *h = (void *)rep->buf;

	(void)rq;
	memset(h, 0, sizeof(*h));
	h->version = PVX_CTL_VERSION;
	h->xen_major = PVX_XEN_MAJOR;
	h->xen_minor = PVX_XEN_MINOR;
	h->nr_domains = dom_count();
	h->host_mem_kib = meminfo_kib("MemTotal:");
	h->free_mem_kib = meminfo_kib("MemAvailable:");
	h->nr_cpus = (uint32_t)sysconf(_SC_NPROCESSORS_ONLN);
	h->pid = (uint32_t)getpid();
	snprintf(h->extraversion, sizeof(h->extraversion), "%s", PVX_XEN_EXTRAVERSION);
	hello_platforms(h);
	rep->len = sizeof(*h);
	return 0;
}

static int op_create(struct ctl_req *rq, struct ctl_reply *rep)
{
	struct pvx_ctl_create_req req;
	struct pvx_ctl_create_rsp *rsp = (void *)rep->buf;
	struct domain *d;
	int r;

	memcpy(&req, rq->payload, sizeof(req));
	r = ctl_check_create(&req, meminfo_kib("MemTotal:"));
	if (r < 0)
		return r;
	if (dom_find_name(req.name))
		return -EEXIST;
	r = dom_create(&req, &d);
	if (r < 0)
		return r;
	if (req.flags & PVX_CREATE_F_TIED)
		d->tie = rq->conn; /* ctl.c: conn_close destroys it */
	memset(rsp, 0, sizeof(*rsp));
	rsp->domid = d->domid;
	rep->len = sizeof(*rsp);
	return 0;
}

static int op_destroy(struct ctl_req *rq, struct ctl_reply *rep)
{
	(void)rep;
	dom_destroy(rq->dom);
	return 0;
}

static int op_pause(struct ctl_req *rq, struct ctl_reply *rep)
{
	(void)rep;
	return dom_pause(rq->dom);
}

static int op_unpause(struct ctl_req *rq, struct ctl_reply *rep)
{
	int r;

	(void)rep;
	r = dom_unpause(rq->dom);
	if (r == 0)
		rq->dom->tie = NULL; /* it ran: an ordinary domain from now on */
	return r;
}

/* One domain into a LIST page (unit tested with fake domains): those
 * below the page's start are skipped; 1 stops the walk once it is full. */
int ctl_list_one(struct domain *d, void *arg)
{
	struct ctl_list_page *pg = arg;
	struct ctl_reply *rep = pg->rep;

	if (d->domid < pg->start)
		return 0;
	if (rep->len / sizeof(struct pvx_ctl_dominfo) >= pg->max)
		return 1; /* full: the reply says how many fit */
	dom_info(d, (struct pvx_ctl_dominfo *)(rep->buf + rep->len));
	rep->len += sizeof(struct pvx_ctl_dominfo);
	return 0;
}

int ctl_list_page_init(struct ctl_list_page *pg, struct ctl_reply *rep,
		       const void *payload, uint32_t len)
{
	struct pvx_ctl_list_req req = { 0, 0 };

	if (len && len < sizeof(req))
		return -EINVAL;
	if (len)
		memcpy(&req, payload, sizeof(req));
	pg->rep = rep;
	pg->start = req.start_domid;
	pg->max = req.max_domains && req.max_domains < PVX_CTL_LIST_PAGE ?
		  req.max_domains : PVX_CTL_LIST_PAGE;
	return 0;
}

static int op_list(struct ctl_req *rq, struct ctl_reply *rep)
{
	struct ctl_list_page pg;
	int r = ctl_list_page_init(&pg, rep, rq->payload, rq->hdr->len);

	if (r < 0)
		return r;
	dom_foreach(ctl_list_one, &pg);
	return 0;
}

static int op_info(struct ctl_req *rq, struct ctl_reply *rep)
{
	dom_info(rq->dom, (struct pvx_ctl_dominfo *)rep->buf);
	rep->len = sizeof(struct pvx_ctl_dominfo);
	return 0;
}

static int op_domstats(struct ctl_req *rq, struct ctl_reply *rep)
{
	struct pvx_ctl_domstats *s = (void *)rep->buf;
	struct pvx_ctl_dominfo di;

	memset(s, 0, sizeof(*s));
	dom_info(rq->dom, &di);
	s->cpu_time_ns = di.cpu_time_ns;
	s->hypercalls = __atomic_load_n(&rq->dom->nr_hypercalls, __ATOMIC_RELAXED);
	s->events = evtchn_dom_raised((domid_t)rq->dom->domid);
	rep->len = sizeof(*s);
	return 0;
}

static int op_get_memfd(struct ctl_req *rq, struct ctl_reply *rep)
{
	struct pvx_ctl_memfd_rsp *m = (void *)rep->buf;
	struct domain *d = rq->dom;

	memset(m, 0, sizeof(*m));
	m->memfd_size = d->vm.mem_size;
	m->ram_bytes = d->vm.ram_bytes;
	m->special_gpa = PVX_SPECIAL_GPA;
	m->special_offset = d->vm.ram_bytes;
	m->special_pages = PVX_SPECIAL_PAGES;
	rep->len = sizeof(*m);
	rep->fds[0] = d->vm.memfd;
	rep->nfds = 1;
	return 0;
}

static int op_set_boot(struct ctl_req *rq, struct ctl_reply *rep)
{
	struct pvx_ctl_boot_req b;

	(void)rep;
	memcpy(&b, rq->payload, sizeof(b));
	return dom_set_boot(rq->dom, &b);
}

static int op_set_hvm_param(struct ctl_req *rq, struct ctl_reply *rep)
{
	struct pvx_ctl_hvm_param p;

	(void)rep;
	memcpy(&p, rq->payload, sizeof(p));
	if (p.index >= HVM_NR_PARAMS)
		return -EINVAL;
	pthread_mutex_lock(&rq->dom->lock);
	rq->dom->hvm_param[p.index] = p.value;
	pthread_mutex_unlock(&rq->dom->lock);
	return 0;
}

static int op_get_hvm_param(struct ctl_req *rq, struct ctl_reply *rep)
{
	struct pvx_ctl_hvm_param p;

	memcpy(&p, rq->payload, sizeof(p));
	if (p.index >= HVM_NR_PARAMS)
		return -EINVAL;
	pthread_mutex_lock(&rq->dom->lock);
	p.value = rq->dom->hvm_param[p.index];
	pthread_mutex_unlock(&rq->dom->lock);
	memcpy(rep->buf, &p, sizeof(p));
	rep->len = sizeof(p);
	return 0;
}

static int op_evtchn_alloc(struct ctl_req *rq, struct ctl_reply *rep)
{
	struct pvx_ctl_evtchn_alloc_req a;
	struct pvx_ctl_port_rsp rsp = { 0 };
	int r;

	memcpy(&a, rq->payload, sizeof(a));
	if (a.remote_dom < 0 || a.remote_dom >= PVX_MAX_DOMAINS)
		return -EINVAL;
	r = evtchn_alloc_unbound((domid_t)rq->dom->domid, (domid_t)a.remote_dom,
				 &rsp.port);
	if (r < 0)
		return r;
	memcpy(rep->buf, &rsp, sizeof(rsp));
	rep->len = sizeof(rsp);
	return 0;
}

static int op_evtchn_bind(struct ctl_req *rq, struct ctl_reply *rep)
{
	struct pvx_ctl_evtchn_bind_req b;
	struct pvx_ctl_port_rsp rsp = { 0 };
	int efd, nfd, r;

	memcpy(&b, rq->payload, sizeof(b));
	if (b.remote_dom < 0 || b.remote_dom >= PVX_MAX_DOMAINS)
		return -EINVAL;
	efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	nfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	r = efd < 0 || nfd < 0 ? -errno : 0;
	if (r == 0)
		r = evtchn_dom0_bind(rq->conn, (domid_t)b.remote_dom, b.remote_port,
				     efd, &rsp.port);
	if (r < 0) {
		if (efd >= 0)
			close(efd);
		if (nfd >= 0)
			close(nfd);
		return r;
	}
	/* From here efd belongs to the port table. */
	r = ctl_conn_add_port(rq->conn, rsp.port, nfd);
	if (r < 0) {
		close(nfd);
		evtchn_dom0_close(rq->conn, rsp.port);
		return r;
	}
	memcpy(rep->buf, &rsp, sizeof(rsp));
	rep->len = sizeof(rsp);
	rep->fds[0] = efd;
	rep->fds[1] = nfd;
	rep->nfds = 2;
	return 0;
}

static int op_evtchn_notify(struct ctl_req *rq, struct ctl_reply *rep)
{
	struct pvx_ctl_port_req p;

	(void)rep;
	memcpy(&p, rq->payload, sizeof(p));
	return evtchn_dom0_send(rq->conn, p.port);
}

static int op_evtchn_close(struct ctl_req *rq, struct ctl_reply *rep)
{
	struct pvx_ctl_port_req p;

	(void)rep;
	memcpy(&p, rq->payload, sizeof(p));
	/* The port's notify eventfd is flushed before the port closes, so
	 * "notify, then close" never loses the notify. */
	return ctl_conn_del_port(rq->conn, p.port);
}

static int op_subscribe(struct ctl_req *rq, struct ctl_reply *rep)
{
	(void)rep;
	ctl_conn_subscribe(rq->conn, rq->hdr->domid);
	return 0;
}

static int op_dmesg(struct ctl_req *rq, struct ctl_reply *rep)
{
	struct pvx_ctl_dmesg_req q;
	struct pvx_ctl_dmesg_rsp rsp;
	struct textring *ring;
	size_t max = PVX_CTL_MAX_PAYLOAD - sizeof(rsp), n;

	memcpy(&q, rq->payload, sizeof(q));
	if (rq->hdr->domid == -1) {
		ring = log_ring();
	} else {
		struct domain *d = dom_find(rq->hdr->domid);

		if (!d)
			return -ESRCH;
		ring = &d->log;
	}
	if (!ring)
		return -ENOENT;
	if (q.max_bytes < max)
		max = q.max_bytes;
	n = textring_read(ring, q.offset, rep->buf + sizeof(rsp), max,
			  &rsp.offset, &rsp.next);
	memcpy(rep->buf, &rsp, sizeof(rsp));
	rep->len = (uint32_t)(sizeof(rsp) + n);
	return 0;
}

static int op_rename(struct ctl_req *rq, struct ctl_reply *rep)
{
	struct pvx_ctl_rename_req r;

	(void)rep;
	memcpy(&r, rq->payload, sizeof(r));
	if (ctl_check_name(r.name, sizeof(r.name)) < 0)
		return -EINVAL;
	return dom_rename(rq->dom, r.name);
}

static int op_set_maxmem(struct ctl_req *rq, struct ctl_reply *rep)
{
	struct pvx_ctl_maxmem_req m;

	(void)rep;
	memcpy(&m, rq->payload, sizeof(m));
	return dom_set_maxmem(rq->dom, m.maxmem_kib);
}

static int op_shutdown(struct ctl_req *rq, struct ctl_reply *rep)
{
	struct pvx_ctl_shutdown_req s;

	(void)rep;
	memcpy(&s, rq->payload, sizeof(s));
	if (s.reason < 0 || s.reason > SHUTDOWN_MAX)
		return -EINVAL;
	dom_shutdown(rq->dom, s.reason, s.code);
	return 0;
}

#define EX (CTL_EXACT)
#define DOM (CTL_EXACT | CTL_DOMAIN)

const struct ctl_op ctl_ops[PVX_CTL_OP_COUNT] = {
	[PVX_CTL_HELLO]    = { op_hello, 0, EX, "hello" },
	[PVX_CTL_CREATE]   = { op_create, sizeof(struct pvx_ctl_create_req), EX, "create" },
	[PVX_CTL_DESTROY]  = { op_destroy, 0, DOM, "destroy" },
	[PVX_CTL_PAUSE]    = { op_pause, 0, DOM, "pause" },
	[PVX_CTL_UNPAUSE]  = { op_unpause, 0, DOM, "unpause" },
	[PVX_CTL_LIST]     = { op_list, 0, 0, "list" }, /* optional pvx_ctl_list_req */
	[PVX_CTL_INFO]     = { op_info, 0, DOM, "info" },
	[PVX_CTL_GET_MEMFD] = { op_get_memfd, 0, DOM, "get_memfd" },
	[PVX_CTL_SET_BOOT] = { op_set_boot, sizeof(struct pvx_ctl_boot_req), DOM, "set_boot" },
	[PVX_CTL_SET_HVM_PARAM] = { op_set_hvm_param, sizeof(struct pvx_ctl_hvm_param), DOM, "set_hvm_param" },
	[PVX_CTL_GET_HVM_PARAM] = { op_get_hvm_param, sizeof(struct pvx_ctl_hvm_param), DOM, "get_hvm_param" },
	[PVX_CTL_EVTCHN_ALLOC_UNBOUND] = { op_evtchn_alloc, sizeof(struct pvx_ctl_evtchn_alloc_req), DOM, "evtchn_alloc_unbound" },
	[PVX_CTL_EVTCHN_BIND] = { op_evtchn_bind, sizeof(struct pvx_ctl_evtchn_bind_req), EX, "evtchn_bind" },
	[PVX_CTL_EVTCHN_NOTIFY] = { op_evtchn_notify, sizeof(struct pvx_ctl_port_req), EX, "evtchn_notify" },
	[PVX_CTL_EVTCHN_CLOSE] = { op_evtchn_close, sizeof(struct pvx_ctl_port_req), EX, "evtchn_close" },
	[PVX_CTL_SUBSCRIBE] = { op_subscribe, 0, EX, "subscribe" },
	[PVX_CTL_DMESG]    = { op_dmesg, sizeof(struct pvx_ctl_dmesg_req), EX, "dmesg" },
	[PVX_CTL_RENAME]   = { op_rename, sizeof(struct pvx_ctl_rename_req), DOM, "rename" },
	[PVX_CTL_SHUTDOWN] = { op_shutdown, sizeof(struct pvx_ctl_shutdown_req), DOM, "shutdown" },
	[PVX_CTL_GNTTAB_MAP] = { gnttab_ctl_map, sizeof(struct pvx_ctl_gnttab_map_req), CTL_DOMAIN, "gnttab_map" },
	[PVX_CTL_GNTTAB_UNMAP] = { gnttab_ctl_unmap, sizeof(struct pvx_ctl_gnttab_unmap_req), 0, "gnttab_unmap" },
	[PVX_CTL_GNTTAB_COPY] = { gnttab_ctl_copy, sizeof(struct pvx_ctl_gnttab_copy_req), CTL_DOMAIN, "gnttab_copy" },
	[PVX_CTL_DOMSTATS] = { op_domstats, 0, DOM, "domstats" },
	[PVX_CTL_SET_MAXMEM] = { op_set_maxmem, sizeof(struct pvx_ctl_maxmem_req), DOM, "set_maxmem" },
	[PVX_CTL_SCHED_GET] = { ctl_sched_get, 0, DOM, "sched_get" },
	[PVX_CTL_SCHED_SET] = { ctl_sched_set, sizeof(struct pvx_ctl_sched), DOM, "sched_set" },
	[PVX_CTL_VCPU_AFFINITY] = { ctl_vcpu_affinity, sizeof(struct pvx_ctl_vcpu_affinity), DOM, "vcpu_affinity" },
	[PVX_CTL_VCPU_INFO] = { ctl_vcpu_info, 0, DOM, "vcpu_info" },
	[PVX_CTL_GET_STATE] = { ctl_get_state, sizeof(struct pvx_ctl_state_chunk), DOM, "get_state" },
	[PVX_CTL_SET_STATE] = { ctl_set_state, sizeof(struct pvx_ctl_state_chunk), CTL_DOMAIN, "set_state" },
	[PVX_CTL_DIRTY_LOG] = { ctl_dirty_log, sizeof(struct pvx_ctl_dirty_req), DOM, "dirty_log" },
	[PVX_CTL_RESUME] = { ctl_resume, 0, DOM, "resume" },
};
