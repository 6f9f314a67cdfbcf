/*
 * dom_mig: a domain's side of save/restore and live migration
 * (docs/migration-hv.md): the state blob of GET_STATE/SET_STATE built
 * from and applied to the domain (the codec is save_state.c, the
 * platform adds its vCPU and device records), the chunk buffers, the
 * dirty log, and cancelling a suspend. Main thread only; the domain's
 * vCPU threads are parked whenever state is read or written.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <xen/public/sched.h>

#include "dom.h"
#include "evtchn.h"
#include "gnttab.h"
#include "save_state.h"
#include "timer.h"
#include "xtime.h"

struct dom_mig {
	uint8_t *out;              /* GET_STATE: built at offset 0 */
	size_t out_len;
	uint8_t *in;               /* SET_STATE: chunks so far */
	uint64_t in_total, in_have;
	bool loaded;
	bool dirty_on;
	const void *dirty_owner;   /* the ctl connection that enabled it */
	uint64_t *dirty;           /* ram_pages bits not yet fetched */
	/* Pages pvxd wrote for the guest (hypercall results), set from
	 * vCPU threads: allocated at the first enable, freed with d. */
	uint64_t *hv_dirty;
	int hv_on;                 /* atomic */
};

/* Platforms without migration support (test fakes): every hook NULL. */
static const struct platform_mig_ops no_mig;

static const struct platform_mig_ops *mops(const struct domain *d)
{
	return d->plat->mig ? d->plat->mig : &no_mig;
}

static struct dom_mig *mig_of(struct domain *d)
{
	if (!d->mig) /* vCPU threads read it (dom_mig_logging) */
		__atomic_store_n(&d->mig, calloc(1, sizeof(*d->mig)), __ATOMIC_RELEASE);
	return d->mig;
}

static bool suspended(struct domain *d)
{
	bool s;

	pthread_mutex_lock(&d->lock);
	s = d->state == PVX_DOM_SHUTDOWN && d->shutdown_reason == SHUTDOWN_suspend;
	pthread_mutex_unlock(&d->lock);
	return s;
}

static uint32_t run_state(struct domain *d)
{
	uint32_t s;

	pthread_mutex_lock(&d->lock);
	s = d->state;
	pthread_mutex_unlock(&d->lock);
	return s;
}

/* A suspend is seen (SHUTDOWN event) while the suspending vCPU still
 * finishes its hypercall: state is read once every thread is parked. */
static int wait_parked(struct domain *d)
{
	struct timespec ts;
	int r = 0;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 2;
	pthread_mutex_lock(&d->lock);
	while (r == 0 && d->nr_parked < d->nr_threads && !d->dying)
		r = pthread_cond_timedwait(&d->cond, &d->lock, &ts);
	pthread_mutex_unlock(&d->lock);
	return r ? -EBUSY : 0;
}

/* ---- save ---- */

static void put_dom(struct domain *d, struct mig_writer *w, bool susp)
{
	struct mig_dom m = {
		.system_time_ns = dom_system_time(d),
		.wallclock_ns = real_ns(),
		.shinfo_gpa = d->shinfo_gpa,
		.ram_pages = d->ram_pages,
		.maxmem_bytes = d->maxmem_bytes,
		.flags = susp ? MIG_DOM_SUSPENDED : 0,
		.max_grant_frames = d->max_grant_frames,
	};

	pthread_mutex_lock(&d->lock);
	m.nr_pages = d->nr_pages;
	m.suspend_vcpu = susp ? d->suspend_vcpu : 0;
	mig_put(w, MIG_REC_HVM_PARAMS, MIG_NO_VCPU, d->hvm_param, sizeof(d->hvm_param));
	mig_put(w, MIG_REC_BALLOON, MIG_NO_VCPU, d->released,
		(uint32_t)(d->ram_pages / 8 + 1));
	pthread_mutex_unlock(&d->lock);
	mig_put(w, MIG_REC_DOM, MIG_NO_VCPU, &m, sizeof(m));
	if (d->shinfo_gpa >= d->vm.ram_bytes)
		mig_put(w, MIG_REC_XPAGE, MIG_NO_VCPU, d->vm.xpage, PVX_PAGE_SIZE);
}

static int put_tables(struct domain *d, struct mig_writer *w)
{
	struct mig_evtchn *e = calloc(1024, sizeof(*e));
	struct { struct mig_gnttab h; uint64_t gfn[1024]; } *g = calloc(1, sizeof(*g));
	int n, r = -ENOMEM;

	if (!e || !g)
		goto out;
	r = gnttab_state_get((domid_t)d->domid, &g->h.nr_frames, g->gfn, 1024);
	if (r < 0)
		goto out;
	g->h.version = 1;
	mig_put(w, MIG_REC_GNTTAB, MIG_NO_VCPU, g, (uint32_t)(sizeof(g->h) +
		g->h.nr_frames * sizeof(uint64_t)));
	n = evtchn_state_get((domid_t)d->domid, e, 1024);
	r = n < 0 ? n : 0;
	if (n > 0)
		mig_put(w, MIG_REC_EVTCHN, MIG_NO_VCPU, e, (uint32_t)(n * sizeof(*e)));
out:
	free(e);
	free(g);
	return r;
}

static void put_vcpus(struct domain *d, struct mig_writer *w)
{
	evtchn_lock(); /* guards vcpu_info and the upcall vector */
	for (unsigned i = 0; i < d->nr_vcpus; i++) {
		struct vcpu *v = &d->vcpus[i];
		struct mig_vcpu m = {
			.timer_deadline = __atomic_load_n(&v->timer_deadline, __ATOMIC_RELAXED),
			.vcpu_info_gpa = v->vcpu_info ? v->vcpu_info_gpa : 0,
			.upcall_vector = v->upcall_vector,
		};

		mig_put(w, MIG_REC_VCPU, (uint16_t)i, &m, sizeof(m));
	}
	evtchn_unlock();
}

static int build(struct domain *d)
{
	struct dom_mig *m = mig_of(d);
	struct mig_writer w;
	bool susp = suspended(d);
	int r;

	if (!m)
		return -ENOMEM;
	if (run_state(d) != PVX_DOM_PAUSED && !susp)
		return -EBUSY;
	r = wait_parked(d);
	if (r < 0)
		return r;
	mig_writer_init(&w, d->type, d->nr_vcpus);
	put_dom(d, &w, susp);
	r = put_tables(d, &w);
	if (r == 0) {
		put_vcpus(d, &w);
		r = mops(d)->state_save ? mops(d)->state_save(d, &w) : -EOPNOTSUPP;
	}
	if (r == 0)
		r = mig_writer_finish(&w);
	if (r < 0) {
		mig_writer_dispose(&w);
		return r;
	}
	free(m->out);
	m->out = w.buf;
	m->out_len = w.len;
	dlog(d, LOG_INFO, "state saved: %zu bytes%s", w.len, susp ? " (suspended)" : "");
	return 0;
}

int dom_mig_get_state(struct domain *d, uint64_t offset, uint8_t *out,
		      uint32_t max, uint32_t *len, uint64_t *total)
{
	struct dom_mig *m;
	int r;

	if (offset == 0) {
		r = build(d);
		if (r < 0)
			return r;
	}
	m = d->mig;
	if (!m || !m->out || offset > m->out_len)
		return -EINVAL; /* start at 0 */
	*len = (uint32_t)(m->out_len - offset < max ? m->out_len - offset : max);
	memcpy(out, m->out + offset, *len);
	*total = m->out_len;
	if (offset + *len == m->out_len) {
		free(m->out); /* read to the end: done */
		m->out = NULL;
	}
	return 0;
}

/* ---- restore ---- */

static void load_time(struct domain *d, const struct mig_dom *md)
{
	uint64_t now = mono_ns();

	/* Guest time goes on from where it stopped; the wallclock record
	 * keeps saying the real time. */
	d->create_mono_ns = now > md->system_time_ns ? now - md->system_time_ns : 0;
	d->create_real_ns = real_ns() - md->system_time_ns;
}

static int load_memory(struct domain *d, const struct mig_parsed *p)
{
	const struct mig_rec *b = mig_find(p, MIG_REC_BALLOON, MIG_NO_VCPU);
	const struct mig_rec *h = mig_find(p, MIG_REC_HVM_PARAMS, MIG_NO_VCPU);
	const uint64_t *hv = h ? (const uint64_t *)h->data : NULL;

	pthread_mutex_lock(&d->lock);
	d->nr_pages = p->dom->nr_pages;
	d->maxmem_bytes = p->dom->maxmem_bytes;
	if (b)
		memcpy(d->released, b->data, b->len);
	/* The toolstack sets the store and console params of the new
	 * domain itself: those it set win. */
	for (unsigned i = 0; hv && i < HVM_NR_PARAMS; i++)
		if (!d->hvm_param[i])
			d->hvm_param[i] = hv[i];
	pthread_mutex_unlock(&d->lock);
	/* Ballooned-out pages hold nothing: punch each run of them out. */
	for (uint64_t i = 0; b && i < d->ram_pages; ) {
		uint64_t j = i;

		while (j < d->ram_pages && ((b->data[j / 8] >> (j % 8)) & 1))
			j++;
		if (j > i)
			(void)vm_release(&d->vm, i * PVX_PAGE_SIZE, (j - i) * PVX_PAGE_SIZE);
		i = j + 1;
	}
	return 0;
}

static int load_shinfo(struct domain *d, const struct mig_parsed *p)
{
	const struct mig_rec *x = mig_find(p, MIG_REC_XPAGE, MIG_NO_VCPU);
	uint64_t gpa = p->dom->shinfo_gpa;
	int r = 0;

	if (!gpa)
		return 0;
	evtchn_lock();
	if (gpa < d->vm.ram_bytes) {
		d->shinfo = (struct shared_info *)(d->vm.mem + gpa);
	} else if (!x) {
		r = -EINVAL;
	} else {
		memcpy(d->vm.xpage, x->data, PVX_PAGE_SIZE);
		r = d->plat->map_xpage(d, gpa);
		if (r == 0) {
			d->view.r[2] = (struct gmem_region){ gpa, PVX_PAGE_SIZE, d->vm.xpage };
			__atomic_store_n(&d->view.n, 3, __ATOMIC_RELEASE);
		}
	}
	if (r == 0)
		d->shinfo_gpa = gpa;
	evtchn_unlock();
	return r;
}

static int load_tables(struct domain *d, const struct mig_parsed *p)
{
	const struct mig_rec *g = mig_find(p, MIG_REC_GNTTAB, MIG_NO_VCPU);
	const struct mig_rec *e = mig_find(p, MIG_REC_EVTCHN, MIG_NO_VCPU);
	int r = 0;

	if (g) {
		struct mig_gnttab h;

		memcpy(&h, g->data, sizeof(h));
		r = gnttab_state_set((domid_t)d->domid, h.nr_frames,
				     (const uint64_t *)(g->data + sizeof(h)));
	}
	/* A suspended guest rebinds its ports itself, as on Xen. */
	if (r == 0 && e && !(p->dom->flags & MIG_DOM_SUSPENDED))
		r = evtchn_state_set((domid_t)d->domid, (const struct mig_evtchn *)e->data,
				     e->len / sizeof(struct mig_evtchn));
	return r;
}

/* A guest saved suspended registers its vcpu_info again, as in a new Xen
 * domain; Linux falls back to the shared_info slot when that fails, so
 * a kept registration would divert its events. */
static void load_vcpus(struct domain *d, const struct mig_parsed *p)
{
	bool fresh = p->dom->flags & MIG_DOM_SUSPENDED;

	evtchn_lock();
	for (unsigned i = 0; i < d->nr_vcpus; i++) {
		const struct mig_vcpu *m = (const void *)mig_find(p, MIG_REC_VCPU,
								 (uint16_t)i)->data;
		struct vcpu *v = &d->vcpus[i];

		if (m->vcpu_info_gpa && !fresh) {
			v->vcpu_info = (struct vcpu_info *)(d->vm.mem + m->vcpu_info_gpa);
			v->vcpu_info_gpa = m->vcpu_info_gpa;
		}
		if (d->plat->upcall_vector)
			v->upcall_vector = m->upcall_vector;
	}
	evtchn_unlock();
	for (unsigned i = 0; i < d->nr_vcpus; i++) {
		const struct mig_vcpu *m = (const void *)mig_find(p, MIG_REC_VCPU,
								 (uint16_t)i)->data;

		if (m->timer_deadline)
			(void)timer_set(&d->vcpus[i], m->timer_deadline);
	}
}

static int apply(struct domain *d, const uint8_t *blob, size_t len)
{
	struct mig_parsed *p = malloc(sizeof(*p));
	struct mig_limits l;
	char why[160] = "";
	int r;

	if (!p)
		return -ENOMEM;
	mig_limits_init(&l, d->type, d->nr_vcpus, d->ram_pages, d->plat->ram_floor,
			d->max_grant_frames);
	if (mops(d)->state_limits)
		mops(d)->state_limits(&l);
	r = mig_parse(blob, len, &l, p, why, sizeof(why));
	if (r < 0) {
		dlog(d, LOG_WARN, "state refused: %s", why);
		goto out;
	}
	load_time(d, p->dom);
	r = load_shinfo(d, p);
	if (r == 0)
		r = load_tables(d, p);
	if (r == 0)
		r = load_memory(d, p);
	if (r == 0)
		load_vcpus(d, p);
	if (r == 0)
		r = mops(d)->state_load ? mops(d)->state_load(d, p) : -EOPNOTSUPP;
	if (r == 0) {
		xtime_update_all(d);
		dlog(d, LOG_INFO, "state restored: %zu bytes%s", len,
		     p->dom->flags & MIG_DOM_SUSPENDED ? " (resumes from suspend)" : "");
	} else {
		dlog(d, LOG_ERR, "state restore failed: %d", r);
	}
out:
	free(p);
	return r;
}

int dom_mig_set_state(struct domain *d, uint64_t offset, uint64_t total,
		      const uint8_t *data, uint32_t len)
{
	struct dom_mig *m = mig_of(d);
	int r;

	if (!m)
		return -ENOMEM;
	if (!d->restore_mode || m->loaded || run_state(d) != PVX_DOM_CREATED)
		return -EBUSY;
	if (offset == 0) {
		free(m->in);
		m->in = NULL;
		if (total < sizeof(struct mig_hdr) || total > MIG_MAX_BLOB)
			return -EINVAL;
		m->in = malloc(total);
		if (!m->in)
			return -ENOMEM;
		m->in_total = total;
		m->in_have = 0;
	}
	if (!m->in || offset != m->in_have || total != m->in_total ||
	    len > total - offset) {
		free(m->in);
		m->in = NULL;
		return -EINVAL; /* chunks in order, from 0 */
	}
	memcpy(m->in + offset, data, len);
	m->in_have += len;
	if (m->in_have < m->in_total)
		return 0;
	r = apply(d, m->in, m->in_total);
	free(m->in);
	m->in = NULL;
	if (r == 0)
		m->loaded = true;
	return r;
}

bool dom_mig_can_start(struct domain *d)
{
	return !d->restore_mode || (d->mig && d->mig->loaded) ||
	       run_state(d) != PVX_DOM_CREATED;
}

/* ---- resume: a cancelled suspend ---- */

int dom_mig_resume(struct domain *d)
{
	uint32_t vcpu;
	int r;

	if (!suspended(d))
		return -EINVAL;
	pthread_mutex_lock(&d->lock);
	vcpu = d->suspend_vcpu;
	pthread_mutex_unlock(&d->lock);
	if (!mops(d)->set_retval || vcpu >= d->nr_vcpus)
		return -EOPNOTSUPP;
	r = wait_parked(d);
	if (r < 0)
		return r;
	r = mops(d)->set_retval(&d->vcpus[vcpu], 1);
	if (r == 0 && d->plat->dom_start)
		r = d->plat->dom_start(d);
	if (r < 0)
		return r;
	pthread_mutex_lock(&d->lock);
	d->state = PVX_DOM_RUNNING;
	d->shutdown_reason = -1;
	d->shutdown_code = 0;
	__atomic_store_n(&d->stopping, false, __ATOMIC_SEQ_CST);
	__atomic_store_n(&d->paused, false, __ATOMIC_SEQ_CST);
	pthread_cond_broadcast(&d->cond);
	pthread_mutex_unlock(&d->lock);
	dlog(d, LOG_INFO, "suspend cancelled: resumed");
	dom_event_post(d);
	return 0;
}

/* ---- dirty log ---- */

bool dom_mig_logging(const struct domain *d)
{
	const struct dom_mig *m = __atomic_load_n(&d->mig, __ATOMIC_ACQUIRE);

	return m && __atomic_load_n(&m->hv_on, __ATOMIC_ACQUIRE);
}

void dom_mig_mark(struct domain *d, const void *p, size_t len)
{
	struct dom_mig *m = __atomic_load_n(&d->mig, __ATOMIC_ACQUIRE);
	const uint8_t *b = p;

	if (!m || !__atomic_load_n(&m->hv_on, __ATOMIC_ACQUIRE) || !len ||
	    b < d->vm.mem || b + len > d->vm.mem + d->vm.ram_bytes)
		return;
	for (uint64_t pfn = (uint64_t)(b - d->vm.mem) / PVX_PAGE_SIZE;
	     pfn <= (uint64_t)(b + len - 1 - d->vm.mem) / PVX_PAGE_SIZE; pfn++)
		__atomic_fetch_or(&m->hv_dirty[pfn / 64], 1ull << (pfn % 64),
				  __ATOMIC_RELEASE);
}

/* Moves what the vCPU threads marked into bits (main thread). */
static void take_hv_marks(struct domain *d, uint64_t *bits)
{
	struct dom_mig *m = d->mig;

	for (uint64_t i = 0; m->hv_dirty && i < d->ram_pages / 64 + 1; i++)
		bits[i] |= __atomic_exchange_n(&m->hv_dirty[i], 0, __ATOMIC_ACQ_REL);
}

static void dirty_off(struct domain *d)
{
	struct dom_mig *m = d->mig;

	if (!m || !m->dirty_on)
		return;
	__atomic_store_n(&m->hv_on, 0, __ATOMIC_RELEASE);
	if (mops(d)->dirty_stop)
		mops(d)->dirty_stop(d);
	gnttab_dirty_stop((domid_t)d->domid);
	free(m->dirty);
	m->dirty = NULL;
	m->dirty_on = false;
	m->dirty_owner = NULL;
}

static int dirty_on(struct domain *d)
{
	struct dom_mig *m = mig_of(d);
	int r;

	if (!m)
		return -ENOMEM;
	if (!mops(d)->dirty_start)
		return -EOPNOTSUPP;
	dirty_off(d);
	if (!m->hv_dirty)
		m->hv_dirty = calloc(d->ram_pages / 64 + 1, 8);
	m->dirty = calloc(d->ram_pages / 64 + 1, 8);
	if (!m->dirty || !m->hv_dirty)
		return -ENOMEM;
	r = gnttab_dirty_start((domid_t)d->domid, d->ram_pages);
	if (r == 0) {
		r = mops(d)->dirty_start(d);
		if (r < 0)
			gnttab_dirty_stop((domid_t)d->domid);
	}
	if (r < 0) {
		free(m->dirty);
		m->dirty = NULL;
		return r;
	}
	take_hv_marks(d, m->dirty);   /* older marks: start clean */
	memset(m->dirty, 0, (d->ram_pages / 64 + 1) * 8);
	__atomic_store_n(&m->hv_on, 1, __ATOMIC_RELEASE);
	m->dirty_on = true;
	return 0;
}

static void mark(uint64_t *bits, uint64_t pfn, uint64_t nr)
{
	if (pfn < nr)
		bits[pfn / 64] |= 1ull << (pfn % 64);
}

/* Pages pvxd itself writes (time records, event bits, grant busy bits)
 * are in no CPU log: every fetch reports them. */
static void mark_pvxd_pages(struct domain *d, uint64_t *bits)
{
	static uint64_t gfn[1024]; /* main thread only */
	uint32_t nr_frames = 0;

	if (d->shinfo_gpa)
		mark(bits, d->shinfo_gpa / PVX_PAGE_SIZE, d->ram_pages);
	for (unsigned i = 0; i < d->nr_vcpus; i++)
		if (d->vcpus[i].vcpu_info)
			mark(bits, d->vcpus[i].vcpu_info_gpa / PVX_PAGE_SIZE, d->ram_pages);
	if (gnttab_state_get((domid_t)d->domid, &nr_frames, gfn, 1024) == 0)
		for (uint32_t i = 0; i < nr_frames; i++)
			if (gfn[i] != MIG_NO_GFN)
				mark(bits, gfn[i], d->ram_pages);
}

static int dirty_fetch(struct domain *d, uint64_t first, uint64_t nr,
		       uint64_t *out, uint64_t *count)
{
	struct dom_mig *m = d->mig;
	int r;

	if (!m || !m->dirty_on)
		return -EINVAL;
	if (nr % 64 || first % 64 || nr == 0 || nr > PVX_CTL_DIRTY_MAX_PFNS)
		return -EINVAL;
	r = mops(d)->dirty_collect(d, m->dirty);
	if (r < 0)
		return r;
	gnttab_dirty_collect((domid_t)d->domid, m->dirty, d->ram_pages);
	take_hv_marks(d, m->dirty);
	mark_pvxd_pages(d, m->dirty);
	*count = 0;
	for (uint64_t w = 0; w < nr / 64; w++) {
		uint64_t at = first / 64 + w;

		out[w] = at * 64 < d->ram_pages ? m->dirty[at] : 0;
		if (at * 64 < d->ram_pages)
			m->dirty[at] = 0;
		*count += (uint64_t)__builtin_popcountll(out[w]);
	}
	return 0;
}

int dom_mig_dirty(struct domain *d, uint32_t cmd, uint64_t first, uint64_t nr,
		  uint64_t *bitmap, uint64_t *dirty, const void *owner)
{
	int r;

	switch (cmd) {
	case PVX_DIRTY_ENABLE:
		r = dirty_on(d);
		if (r == 0)
			d->mig->dirty_owner = owner;
		return r;
	case PVX_DIRTY_FETCH:
		return dirty_fetch(d, first, nr, bitmap, dirty);
	case PVX_DIRTY_DISABLE:
		dirty_off(d);
		return 0;
	default:
		return -EINVAL;
	}
}

/* A toolstack that enabled the log and died would leave the guest paying
 * for it (KVM dirty logging, a pv write fault per page) until it is
 * destroyed: the log goes with the connection that last enabled it. One
 * that enabled it again since owns it now, and keeps it. */
bool dom_mig_dirty_owner_gone(struct domain *d, const void *owner)
{
	struct dom_mig *m = d->mig;

	if (!m || !m->dirty_on || m->dirty_owner != owner)
		return false;
	dirty_off(d);
	return true;
}

void dom_mig_free(struct domain *d)
{
	if (!d->mig)
		return;
	dirty_off(d);
	free(d->mig->out);
	free(d->mig->in);
	free(d->mig->dirty);
	free(d->mig->hv_dirty);
	free(d->mig);
	d->mig = NULL;
}
