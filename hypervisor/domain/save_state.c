/*
 * save_state: the state blob's writer and its checking parser
 * (save_state.h). The parser trusts nothing: a blob may come from a
 * file or another host, so every length is checked before it is used,
 * and a blob that fails any check is refused whole.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xen/public/event_channel.h>

#include "save_state.h"

#define ALIGN8(x) (((x) + 7u) & ~(size_t)7u)

static void reserve(struct mig_writer *w, size_t more)
{
	size_t cap = w->cap ? w->cap : 4096;
	uint8_t *b;

	if (w->err)
		return;
	if (w->len + more > MIG_MAX_BLOB) {
		w->err = -E2BIG;
		return;
	}
	while (cap < w->len + more)
		cap *= 2;
	if (cap == w->cap)
		return;
	b = realloc(w->buf, cap);
	if (!b) {
		w->err = -ENOMEM;
		return;
	}
	memset(b + w->cap, 0, cap - w->cap);
	w->buf = b;
	w->cap = cap;
}

void mig_writer_init(struct mig_writer *w, uint32_t type, uint32_t nr_vcpus)
{
	struct mig_hdr h = { MIG_MAGIC, MIG_VERSION, (uint16_t)type, nr_vcpus, 0, 0 };

	memset(w, 0, sizeof(*w));
	reserve(w, sizeof(h));
	if (!w->err) {
		memcpy(w->buf, &h, sizeof(h));
		w->len = sizeof(h);
	}
}

void mig_put(struct mig_writer *w, uint16_t type, uint16_t vcpu,
	     const void *data, uint32_t len)
{
	struct mig_rec_hdr rh = { type, vcpu, len };

	reserve(w, sizeof(rh) + ALIGN8(len));
	if (w->err)
		return;
	memcpy(w->buf + w->len, &rh, sizeof(rh));
	memcpy(w->buf + w->len + sizeof(rh), data, len);
	w->len += sizeof(rh) + ALIGN8(len);
	w->nr_recs++;
}

int mig_writer_finish(struct mig_writer *w)
{
	struct mig_hdr *h;

	if (w->err)
		return w->err;
	h = (struct mig_hdr *)w->buf;
	h->nr_recs = w->nr_recs;
	h->total = w->len;
	return 0;
}

void mig_writer_dispose(struct mig_writer *w)
{
	free(w->buf);
	memset(w, 0, sizeof(*w));
}

void mig_limits_init(struct mig_limits *l, uint32_t type, uint32_t nr_vcpus,
		     uint64_t ram_pages, uint64_t ram_floor, uint32_t max_grant_frames)
{
	memset(l, 0, sizeof(*l));
	l->type = type;
	l->nr_vcpus = nr_vcpus;
	l->ram_pages = ram_pages;
	l->ram_floor = ram_floor;
	l->max_grant_frames = max_grant_frames;
	l->nr_virqs = 24;      /* NR_VIRQS */
	l->max_ports = 1024;   /* EVTCHN_MAX_PORTS */
	l->hvm_params = MIG_HVM_PARAMS;
}

static int bad(char *why, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int bad(char *why, size_t n, const char *fmt, ...)
{
	va_list ap;

	if (why && n) {
		va_start(ap, fmt);
		vsnprintf(why, n, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

const struct mig_rec *mig_find(const struct mig_parsed *p, uint16_t type,
			       uint16_t vcpu)
{
	for (unsigned i = 0; i < p->nr; i++)
		if (p->rec[i].type == type && p->rec[i].vcpu == vcpu)
			return &p->rec[i];
	return NULL;
}

static bool gfn_ok(const struct mig_limits *l, uint64_t gfn)
{
	return gfn < l->ram_pages && gfn * 4096 >= l->ram_floor;
}

/* Expected payload size of a record type, or 0 if the type is unknown
 * here; variable-size types are checked by their own function. */
static uint32_t fixed_size(const struct mig_limits *l, uint16_t type)
{
	switch (type) {
	case MIG_REC_DOM: return sizeof(struct mig_dom);
	case MIG_REC_HVM_PARAMS: return l->hvm_params * 8;
	case MIG_REC_BALLOON: return (uint32_t)(l->ram_pages / 8 + 1);
	case MIG_REC_VCPU: return sizeof(struct mig_vcpu);
	case MIG_REC_XPAGE: return 4096;
	default: return type < MIG_REC_TYPE_MAX ? l->rec_size[type] : 0;
	}
}

static bool per_vcpu(uint16_t type)
{
	return (type >= MIG_REC_VCPU && type < MIG_REC_KVM_IRQCHIP) ||
	       type == MIG_REC_PV_REGS;
}

static int check_dom(const struct mig_limits *l, const struct mig_dom *d,
		     char *why, size_t n)
{
	if (d->ram_pages != l->ram_pages)
		return bad(why, n, "RAM is %llu pages, the domain has %llu",
			   (unsigned long long)d->ram_pages,
			   (unsigned long long)l->ram_pages);
	if (d->nr_pages > d->ram_pages || d->maxmem_bytes / 4096 > d->ram_pages)
		return bad(why, n, "reservation beyond RAM");
	if (d->shinfo_gpa % 4096 || (d->shinfo_gpa && d->shinfo_gpa < l->ram_floor) ||
	    (d->shinfo_gpa >= l->ram_pages * 4096 && (d->shinfo_gpa >= (1ull << 40) ||
	     (d->shinfo_gpa >= 0xFEC00000ull && d->shinfo_gpa < (1ull << 32)))))
		return bad(why, n, "shared_info at 0x%llx",
			   (unsigned long long)d->shinfo_gpa);
	if (d->flags & ~MIG_DOM_SUSPENDED)
		return bad(why, n, "unknown flags 0x%x", d->flags);
	if ((d->flags & MIG_DOM_SUSPENDED) && d->suspend_vcpu >= l->nr_vcpus)
		return bad(why, n, "suspend vCPU %u", d->suspend_vcpu);
	return 0;
}

static int check_balloon(const struct mig_rec *r, const struct mig_dom *d,
			 char *why, size_t n)
{
	uint64_t released = 0;

	for (uint64_t i = 0; i < d->ram_pages; i++)
		released += (r->data[i / 8] >> (i % 8)) & 1;
	if (d->ram_pages - released != d->nr_pages)
		return bad(why, n, "balloon: %llu populated pages, reservation %llu",
			   (unsigned long long)(d->ram_pages - released),
			   (unsigned long long)d->nr_pages);
	return 0;
}

static int check_gnttab(const struct mig_limits *l, const struct mig_rec *r,
			char *why, size_t n)
{
	struct mig_gnttab g;
	const uint64_t *gfn = (const uint64_t *)(r->data + sizeof(g));

	if (r->len < sizeof(g))
		return bad(why, n, "grant table record of %u bytes", r->len);
	memcpy(&g, r->data, sizeof(g));
	if (g.version != 1 || g.nr_frames < 1 || g.nr_frames > l->max_grant_frames ||
	    r->len != sizeof(g) + (uint64_t)g.nr_frames * 8)
		return bad(why, n, "grant table v%u, %u frames, %u bytes",
			   g.version, g.nr_frames, r->len);
	for (uint32_t i = 0; i < g.nr_frames; i++)
		if (gfn[i] != MIG_NO_GFN && !gfn_ok(l, gfn[i]))
			return bad(why, n, "grant frame %u at gfn 0x%llx", i,
				   (unsigned long long)gfn[i]);
	return 0;
}

static int check_evtchn(const struct mig_limits *l, const struct mig_rec *r,
			char *why, size_t n)
{
	const struct mig_evtchn *e = (const struct mig_evtchn *)r->data;
	uint32_t count = r->len / sizeof(*e);
	uint8_t seen[1024 / 8] = { 0 };

	if (r->len % sizeof(*e) || count >= l->max_ports)
		return bad(why, n, "event channel record of %u bytes", r->len);
	for (uint32_t i = 0; i < count; i++) {
		uint32_t p = e[i].port;

		if (p == 0 || p >= l->max_ports || (seen[p / 8] >> (p % 8)) & 1)
			return bad(why, n, "event channel port %u", p);
		seen[p / 8] |= (uint8_t)(1u << (p % 8));
		if (e[i].vcpu >= l->nr_vcpus)
			return bad(why, n, "port %u on vCPU %u", p, e[i].vcpu);
		switch (e[i].state) {
		case EVTCHNSTAT_unbound:
		case EVTCHNSTAT_interdomain:
		case EVTCHNSTAT_ipi:
			break;
		case EVTCHNSTAT_virq:
			if (e[i].virq >= l->nr_virqs)
				return bad(why, n, "port %u: VIRQ %u", p, e[i].virq);
			for (uint32_t j = 0; j < i; j++)
				if (e[j].state == EVTCHNSTAT_virq && e[j].virq == e[i].virq &&
				    e[j].vcpu == e[i].vcpu)
					return bad(why, n, "VIRQ %u bound twice", e[i].virq);
			break;
		default:
			return bad(why, n, "port %u in state %u", p, e[i].state);
		}
	}
	return 0;
}

static int check_vcpu(const struct mig_limits *l, const struct mig_rec *r,
		      char *why, size_t n)
{
	struct mig_vcpu v;
	uint64_t off;

	memcpy(&v, r->data, sizeof(v));
	off = v.vcpu_info_gpa % 4096;
	if (v.vcpu_info_gpa && (!gfn_ok(l, v.vcpu_info_gpa / 4096) || off > 4096 - 64))
		return bad(why, n, "vCPU %u: vcpu_info at 0x%llx", r->vcpu,
			   (unsigned long long)v.vcpu_info_gpa);
	if (v.upcall_vector && v.upcall_vector < 0x10)
		return bad(why, n, "vCPU %u: upcall vector %u", r->vcpu, v.upcall_vector);
	return 0;
}

static int check_msrs(const struct mig_rec *r, char *why, size_t n)
{
	if (r->len % sizeof(struct mig_msr) || r->len / sizeof(struct mig_msr) > MIG_MAX_MSRS)
		return bad(why, n, "vCPU %u: MSR record of %u bytes", r->vcpu, r->len);
	return 0;
}

static int split(const uint8_t *blob, size_t len, struct mig_parsed *p,
		 char *why, size_t n)
{
	size_t at = sizeof(struct mig_hdr);

	if (p->hdr.nr_recs > MIG_MAX_RECS)
		return bad(why, n, "%u records", p->hdr.nr_recs);
	for (uint32_t i = 0; i < p->hdr.nr_recs; i++) {
		struct mig_rec_hdr rh;

		if (len - at < sizeof(rh))
			return bad(why, n, "record %u: truncated header", i);
		memcpy(&rh, blob + at, sizeof(rh));
		at += sizeof(rh);
		if (rh.len > len - at || ALIGN8(rh.len) > len - at)
			return bad(why, n, "record %u: %u bytes past the end", i, rh.len);
		p->rec[i] = (struct mig_rec){ rh.type, rh.vcpu, rh.len, blob + at };
		at += ALIGN8(rh.len);
	}
	if (at != len)
		return bad(why, n, "%zu bytes after the last record", len - at);
	p->nr = p->hdr.nr_recs;
	return 0;
}

static int check_rec(const struct mig_limits *l, const struct mig_parsed *p,
		     const struct mig_rec *r, char *why, size_t n)
{
	uint32_t want = fixed_size(l, r->type);

	if (r->type >= MIG_REC_TYPE_MAX || (want == 0 && r->type != MIG_REC_GNTTAB &&
					   r->type != MIG_REC_EVTCHN))
		return bad(why, n, "record type %u not for this domain", r->type);
	if (per_vcpu(r->type) ? r->vcpu >= l->nr_vcpus : r->vcpu != MIG_NO_VCPU)
		return bad(why, n, "record type %u for vCPU %u", r->type, r->vcpu);
	if (mig_find(p, r->type, r->vcpu) != r)
		return bad(why, n, "record type %u (vCPU %u) twice", r->type, r->vcpu);
	if (want == MIG_SIZE_MSRS)
		return check_msrs(r, why, n);
	if (want && r->len != want)
		return bad(why, n, "record type %u: %u bytes, want %u", r->type,
			   r->len, want);
	switch (r->type) {
	case MIG_REC_GNTTAB: return check_gnttab(l, r, why, n);
	case MIG_REC_EVTCHN: return check_evtchn(l, r, why, n);
	case MIG_REC_VCPU:   return check_vcpu(l, r, why, n);
	default:             return 0;
	}
}

int mig_parse(const uint8_t *blob, size_t len, const struct mig_limits *l,
	      struct mig_parsed *p, char *why, size_t n)
{
	const struct mig_rec *dr, *br;
	int r;

	memset(p, 0, sizeof(*p));
	if (len < sizeof(p->hdr))
		return bad(why, n, "blob of %zu bytes", len);
	memcpy(&p->hdr, blob, sizeof(p->hdr));
	if (p->hdr.magic != MIG_MAGIC || p->hdr.version != MIG_VERSION)
		return bad(why, n, "magic 0x%x version %u", p->hdr.magic, p->hdr.version);
	if (p->hdr.total != len || len > MIG_MAX_BLOB || (uintptr_t)blob % 8)
		return bad(why, n, "blob says %llu bytes, has %zu",
			   (unsigned long long)p->hdr.total, len);
	if (p->hdr.type != l->type || p->hdr.nr_vcpus != l->nr_vcpus)
		return bad(why, n, "type %u with %u vCPUs, the domain: type %u, %u vCPUs",
			   p->hdr.type, p->hdr.nr_vcpus, l->type, l->nr_vcpus);
	r = split(blob, len, p, why, n);
	for (unsigned i = 0; r == 0 && i < p->nr; i++)
		r = check_rec(l, p, &p->rec[i], why, n);
	if (r < 0)
		return r;
	dr = mig_find(p, MIG_REC_DOM, MIG_NO_VCPU);
	if (!dr)
		return bad(why, n, "no domain record");
	p->dom = (const struct mig_dom *)dr->data;
	r = check_dom(l, p->dom, why, n);
	if (r < 0)
		return r;
	for (uint32_t v = 0; v < l->nr_vcpus; v++)
		if (!mig_find(p, MIG_REC_VCPU, (uint16_t)v))
			return bad(why, n, "no record for vCPU %u", v);
	br = mig_find(p, MIG_REC_BALLOON, MIG_NO_VCPU);
	if (br)
		return check_balloon(br, p->dom, why, n);
	if (p->dom->nr_pages != p->dom->ram_pages)
		return bad(why, n, "ballooned domain without a balloon record");
	return 0;
}
