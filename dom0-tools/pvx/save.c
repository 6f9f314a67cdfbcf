/*
 * pvx_save_fd (pvx/save.h): a domain into a migration stream.
 *
 *   not live: suspend; one round of every populated page; state; keys.
 *   live:     dirty log on; round 0 = every populated page while the
 *             guest runs; then rounds of the pages dirtied meanwhile,
 *             until the rest would go in max_downtime at the rate this
 *             link moved the last round, or max_rounds, or the guest
 *             dirties faster than the link sends; then suspend, the last
 *             dirty pages, state, keys.
 * Populated pages are found with SEEK_DATA over the memfd (holes are
 * zero in any new domain, so round 0 skips them, and they are never
 * touched here: mapping a memfd hole, even to read it, allocates it,
 * which for an idle guest cost most of the migration); a page that reads as
 * zero is marked ZERO in its batch, with no data. The special pages
 * (console and xenstore rings) go in round 0 and in the last round.
 * A platform without a dirty log (-EOPNOTSUPP) gets a warning and a
 * stop-and-copy save. On error the domain is left as it was: a
 * suspended one is resumed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#endif

#include <pvx/ctlclient.h>
#include <pvx/migstream.h>

#include "save.h"
#include "save_ctl.h"

struct saver {
	struct pvx_ctl *c;
	int32_t domid;
	const struct pvx_save_opts *o;
	struct pvx_mig_stats *st;
	struct pvx_mig_writer w;
	struct pvx_dom_mem mem;
	struct pvx_ctl_dominfo info;
	uint64_t ram_pfns, nwords;
	uint64_t *dirty;           /* live: bitmap of RAM pfns to send */
	bool suspended, logging;
	struct pvx_progress prog;
	uint64_t batch[PVX_MIG_BATCH_MAX];
	const void *pages[PVX_MIG_BATCH_MAX];
	uint32_t nb, nd;
	uint64_t round_pages;
	uint32_t round;
	double dirty_mibs;
	double t0;                 /* pvx_now_ms() at the start */
	char *err;
	size_t errlen;
};

static int fail(struct saver *s, int rc, const char *what)
{
	if (s->w.err[0])
		snprintf(s->err, s->errlen, "%s: %s", what, s->w.err);
	else
		snprintf(s->err, s->errlen, "%s: %s", what, strerror(-rc));
	return rc;
}

static bool is_zero(const void *p)
{
	const uint64_t *q = p;

	for (size_t i = 0; i < PVX_MIG_PAGE_SIZE / 8; i++)
		if (q[i])
			return false;
	return true;
}

static int flush(struct saver *s)
{
	int rc;

	if (s->nb == 0)
		return 0;
	rc = pvx_mig_write_pages(&s->w, s->batch, s->nb, s->pages);
	s->st->pages += s->nb;
	s->nb = s->nd = 0;
	pvx_progress_update(&s->prog, s->w.offset, s->ram_pfns * PVX_MIG_PAGE_SIZE, s->round,
			    s->dirty_mibs);
	return rc;
}

static int send_page(struct saver *s, uint64_t pfn, const uint8_t *p)
{
	if (is_zero(p)) {
		s->batch[s->nb++] = PVX_MIG_PFN_ENTRY(pfn, PVX_MIG_PFN_ZERO);
	} else {
		s->batch[s->nb++] = PVX_MIG_PFN_ENTRY(pfn, PVX_MIG_PFN_NORMAL);
		s->pages[s->nd++] = p;
	}
	s->round_pages++;
	return s->nb == PVX_MIG_BATCH_MAX ? flush(s) : 0;
}

static int send_special(struct saver *s)
{
	uint64_t pfn0 = s->mem.special_gpa / PVX_MIG_PAGE_SIZE;
	int rc = 0;

	for (uint32_t i = 0; i < s->mem.special_pages && rc == 0; i++)
		rc = send_page(s, pfn0 + i, s->mem.special + (size_t)i * PVX_MIG_PAGE_SIZE);
	return rc;
}

static int end_round(struct saver *s, bool last)
{
	int rc = flush(s);

	if (rc == 0)
		rc = pvx_mig_write_round(&s->w, s->round, last ? PVX_MIG_ROUND_LAST : 0,
					 s->round_pages);
	if (last)
		s->st->last_round_pages = s->round_pages;
	s->round++;
	s->round_pages = 0;
	return rc;
}

/* Every populated RAM page (memfd data ranges), then the special pages. */
static int send_all(struct saver *s)
{
	off_t end = (off_t)s->mem.ram_bytes, at = 0;
	int rc = 0;

	while (rc == 0 && at < end) {
		off_t data = lseek(s->mem.fd, at, SEEK_DATA), hole;

		if (data < 0 || data >= end)
			break;
		hole = lseek(s->mem.fd, data, SEEK_HOLE);
		if (hole < 0 || hole > end)
			hole = end;
		data &= ~(off_t)(PVX_MIG_PAGE_SIZE - 1);
		/* Page tables in one call rather than a fault per page read;
		 * only over data: a read fault in a memfd hole allocates. */
		(void)madvise(s->mem.base + data, (size_t)(hole - data), MADV_POPULATE_READ);
		for (off_t o = data; o < hole && rc == 0; o += PVX_MIG_PAGE_SIZE)
			rc = send_page(s, (uint64_t)o / PVX_MIG_PAGE_SIZE, s->mem.base + o);
		at = hole;
	}
	return rc ? rc : send_special(s);
}

/* ORs pvxd's dirty bits (cleared there) into s->dirty; the count. */
static int fetch_dirty(struct saver *s, uint64_t *count)
{
	uint64_t step = PVX_CTL_DIRTY_MAX_PFNS, n = 0;
	uint64_t *tmp = malloc(step / 8);
	int rc = tmp ? 0 : -ENOMEM;

	for (uint64_t first = 0; rc == 0 && first < s->nwords * 64; first += step) {
		uint64_t len = s->nwords * 64 - first < step ? s->nwords * 64 - first : step, d;

		rc = pvx_save_dirty(s->c, s->domid, PVX_DIRTY_FETCH, first, len, tmp, &d);
		for (uint64_t i = 0; rc == 0 && i < len / 64; i++)
			s->dirty[first / 64 + i] |= tmp[i];
	}
	for (uint64_t i = 0; rc == 0 && i < s->nwords; i++)
		n += (uint64_t)__builtin_popcountll(s->dirty[i]);
	free(tmp);
	*count = n;
	return rc;
}

static int send_dirty(struct saver *s)
{
	int rc = 0;

	for (uint64_t i = 0; i < s->nwords && rc == 0; i++) {
		uint64_t bits = s->dirty[i];

		s->dirty[i] = 0;
		while (bits && rc == 0) {
			uint64_t pfn = i * 64 + (uint64_t)__builtin_ctzll(bits);
			bits &= bits - 1;
			if (pfn < s->ram_pfns)
				rc = send_page(s, pfn, s->mem.base + pfn * PVX_MIG_PAGE_SIZE);
		}
	}
	return rc;
}

static int suspend(struct saver *s)
{
	double t0 = pvx_now_ms();
	int rc;

	s->st->precopy_ms = t0 - s->t0;
	rc = pvx_save_suspend(s->c, s->domid, pvx_save_suspend_timeout(), s->err,
				  s->errlen);

	if (rc == 0) {
		s->suspended = true;
		s->st->suspended_ms = pvx_now_ms();
		s->st->suspend_ms = s->st->suspended_ms - t0;
	}
	return rc;
}

/* Live pre-copy: rounds while the guest runs, then suspend. */
static int precopy(struct saver *s)
{
	unsigned max_rounds = s->o->max_rounds ? s->o->max_rounds : 30;
	double downtime = s->o->max_downtime_ms ? s->o->max_downtime_ms : 60;
	int rc;

	s->dirty = calloc(s->nwords, 8);
	if (!s->dirty)
		return fail(s, -ENOMEM, "dirty bitmap");
	rc = pvx_save_dirty(s->c, s->domid, PVX_DIRTY_ENABLE, 0, 0, NULL, NULL);
	if (rc == -EOPNOTSUPP)
		return 1; /* no dirty log on this platform: stop and copy */
	if (rc < 0)
		return fail(s, rc, "pvxd refused the dirty log");
	s->logging = true;
	for (;;) {
		double t0 = pvx_now_ms(), ms;
		uint64_t b0 = s->w.offset, ndirty;
		double link, dirty_rate;

		rc = s->round == 0 ? send_all(s) : send_dirty(s);
		if (rc == 0)
			rc = end_round(s, false);
		if (rc < 0)
			return fail(s, rc, "sending memory");
		ms = pvx_now_ms() - t0;
		if (ms < 0.001)
			ms = 0.001;
		rc = fetch_dirty(s, &ndirty);
		if (rc < 0)
			return fail(s, rc, "pvxd dirty log");
		link = (double)(s->w.offset - b0) / ms;                  /* bytes/ms */
		dirty_rate = (double)ndirty * PVX_MIG_PAGE_SIZE / ms;     /* bytes/ms */
		s->dirty_mibs = dirty_rate * 1000.0 / 1048576.0;
		if ((double)ndirty * PVX_MIG_PAGE_SIZE <= downtime * link ||
		    s->round >= max_rounds || (s->round > 1 && dirty_rate >= link))
			break;
	}
	rc = suspend(s);
	if (rc < 0)
		return rc;
	{
		uint64_t ndirty;
		rc = fetch_dirty(s, &ndirty);
	}
	if (rc == 0)
		rc = send_dirty(s);
	if (rc == 0)
		rc = send_special(s);
	if (rc == 0)
		rc = end_round(s, true);
	s->st->last_round_ms = pvx_now_ms() - s->st->suspended_ms;
	return rc < 0 ? fail(s, rc, "sending the last round") : 0;
}

static int send_state(struct saver *s)
{
	uint8_t *blob = NULL;
	size_t len = 0;
	int rc = pvx_save_get_state(s->c, s->domid, &blob, &len);

	if (rc < 0)
		return fail(s, rc, "pvxd: cannot get the domain's state");
	for (size_t off = 0; off < len && rc == 0; off += PVX_MIG_STATE_CHUNK) {
		uint64_t hdr[2] = { off, len };
		size_t n = len - off < PVX_MIG_STATE_CHUNK ? len - off : PVX_MIG_STATE_CHUNK;
		const void *parts[2] = { hdr, blob + off };
		size_t lens[2] = { sizeof(hdr), n };

		rc = pvx_mig_write_rec(&s->w, PVX_MIG_REC_STATE, parts, lens, 2);
	}
	free(blob);
	return rc < 0 ? fail(s, rc, "writing the state") : 0;
}

static int begin(struct saver *s)
{
	struct pvx_mig_header h = { .version = PVX_MIG_VERSION,
				    .page_size = PVX_MIG_PAGE_SIZE };
	char *cfg = NULL;
	size_t cfglen = 0;
	int rc = pvx_ctl_info(s->c, s->domid, &s->info);

	if (rc < 0)
		return fail(s, rc, "domain info");
	rc = pvx_cfgkeep_read(s->info.uuid, &cfg, &cfglen);
	if (rc < 0) {
		snprintf(s->err, s->errlen, "no config kept for domain %d ('%s'): it was not"
			 " created by this pvx (%s)", s->domid, s->info.name, strerror(-rc));
		return rc;
	}
	rc = pvx_dom_mem_map(s->c, s->domid, &s->mem);
	if (rc < 0) {
		free(cfg);
		return fail(s, rc, "cannot map the domain's memory");
	}
	s->ram_pfns = s->mem.ram_bytes / PVX_MIG_PAGE_SIZE;
	s->nwords = (s->ram_pfns + 63) / 64;
	memcpy(h.magic, PVX_MIG_MAGIC, 8);
	h.guest_type = s->info.type;
	h.flags = (s->o->live ? PVX_MIG_F_LIVE : 0) |
		  (s->o->checkpoint ? PVX_MIG_F_CHECKPOINT : 0);
	h.ram_bytes = s->mem.ram_bytes;
	h.special_gpa = s->mem.special_gpa;
	h.special_pages = s->mem.special_pages;
	h.vcpus = s->info.vcpus;
	rc = pvx_mig_write_header(&s->w, &h);
	if (rc == 0) {
		const void *parts[1] = { cfg };
		rc = pvx_mig_write_rec(&s->w, PVX_MIG_REC_CONFIG, parts, &cfglen, 1);
	}
	free(cfg);
	return rc < 0 ? fail(s, rc, "writing") : 0;
}

/* Not live (or no dirty log): suspend, then one round of everything. */
static int stop_and_copy(struct saver *s)
{
	int rc = suspend(s);

	if (rc < 0)
		return rc;
	rc = send_all(s);
	if (rc == 0)
		rc = end_round(s, true);
	s->st->last_round_ms = pvx_now_ms() - s->st->suspended_ms;
	return rc < 0 ? fail(s, rc, "sending memory") : 0;
}

static int save(struct saver *s)
{
	int rc = begin(s);

	if (rc == 0)
		rc = s->o->live ? precopy(s) : 1;
	if (rc == 1 && s->o->live)
		fprintf(stderr, "pvx: warning: pvxd has no dirty log for domain %d's type;"
			" saving without pre-copy\n", s->domid);
	if (rc == 1)
		rc = stop_and_copy(s);
	if (rc == 0)
		rc = send_state(s);
	if (rc == 0 && (rc = pvx_save_xs_write(&s->w, s->domid)) < 0)
		fail(s, rc, "writing");
	if (rc == 0 && (rc = pvx_mig_write_end(&s->w)) < 0)
		fail(s, rc, "writing");
	return rc;
}

int pvx_save_fd(struct pvx_ctl *ctl, int32_t domid, int fd,
		const struct pvx_save_opts *o, struct pvx_mig_stats *st)
{
	static char errbuf[400];
	struct saver *s = calloc(1, sizeof(*s));
	struct pvx_mig_stats dummy;
	double t0 = pvx_now_ms();
	int rc;

	if (!s)
		return -ENOMEM;
	memset(st ? st : &dummy, 0, sizeof(dummy));
	*s = (struct saver){ .c = ctl, .domid = domid, .o = o, .st = st ? st : &dummy,
			     .mem = { .fd = -1 }, .err = errbuf, .errlen = sizeof(errbuf),
			     .t0 = t0 };
	errbuf[0] = '\0';
	rc = pvx_mig_writer_init(&s->w, fd);
	if (rc == 0) {
		pvx_progress_start(&s->prog, o->progress, "save");
		rc = save(s);
		pvx_progress_done(&s->prog);
	}
	if (s->logging)
		pvx_save_dirty(ctl, domid, PVX_DIRTY_DISABLE, 0, 0, NULL, NULL);
	if (rc < 0 && s->suspended)
		pvx_save_resume(ctl, domid); /* leave it as it was */
	s->st->bytes = s->w.offset;
	s->st->rounds = s->round;
	s->st->dirty_rate_mibs = s->dirty_mibs;
	s->st->total_ms = pvx_now_ms() - t0;
	if (s->suspended)
		s->st->suspended_ms = pvx_now_ms() - s->st->suspended_ms;
	pvx_mig_writer_dispose(&s->w);
	pvx_dom_mem_unmap(&s->mem);
	free(s->dirty);
	free(s);
	if (rc < 0)
		fprintf(stderr, "pvx: save of domain %d failed: %s\n", domid,
			errbuf[0] ? errbuf : strerror(-rc));
	return rc;
}
