/*
 * pvx_restore_fd (pvx/save.h): a domain from a migration stream.
 *
 * The CONFIG record is parsed like a config file (then the caller's
 * name and overrides, and the type the stream was saved as); the domain
 * is built the way `pvx create` builds it (builder.h with create's
 * hooks: xenstore, disks, vifs, console, scheduling), but in restore
 * mode: no kernel, and the builder's fill step reads the rest of the
 * stream into the new, paused domain: pages into its memfd, the state
 * blob and the xenstore keys into memory. Only once the END record's
 * checksum held is the blob given to pvxd (SET_STATE): a corrupt stream
 * never reaches the hypervisor. The guest's keys are written after
 * create's own, then the monitor starts (subscribed before the first
 * unpause, as for create) and the domain runs unless `paused`.
 * Any failure destroys what was made and prints one line.
 */
#include <errno.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

#include <pvx/builder.h>
#include <pvx/config.h>
#include <pvx/ctlclient.h>
#include <pvx/domtype.h>
#include <pvx/migstream.h>

#include "cmd.h"
#include "create.h"
#include "save.h"
#include "save_ctl.h"

struct restorer {
	struct pvx_ctl *c;
	const struct pvx_restore_opts *o;
	struct pvx_mig_stats *st;
	struct pvx_mig_reader r;
	struct pvx_config cfg;
	struct create_opts co;
	struct pvx_build_opts bo;
	int (*hooks)(const struct pvx_build_result *r, const char *name, void *opaque,
		     char *err, size_t errlen);
	void (*undo_hooks)(int32_t domid, void *opaque);
	uint8_t *state;
	size_t state_len;
	uint8_t *xs;               /* the XENSTORE record, kept for after the hooks */
	struct pvx_mig_rec xs_rec;
	struct pvx_progress prog;
	uint64_t total;
	char err[512];
};

static int fail(struct restorer *s, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(struct restorer *s, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->err, sizeof(s->err), fmt, ap);
	va_end(ap);
	return rc;
}

static int apply_config(struct restorer *s, const struct pvx_mig_rec *rec)
{
	const char *tname = pvx_type_name(s->r.hdr.guest_type);
	char err[400], kv[128];
	int rc = pvx_config_parse_string(&s->cfg, "saved config", (const char *)rec->body,
					 rec->length, err, sizeof(err), NULL, NULL);

	snprintf(kv, sizeof(kv), "type=\"%s\"", tname);
	if (rc == 0)
		rc = pvx_config_override(&s->cfg, kv, err, sizeof(err));
	if (rc == 0 && s->o->name) {
		snprintf(kv, sizeof(kv), "name=\"%s\"", s->o->name);
		rc = pvx_config_override(&s->cfg, kv, err, sizeof(err));
	}
	for (int i = 0; rc == 0 && i < s->o->noverrides; i++)
		rc = pvx_config_override(&s->cfg, s->o->overrides[i], err, sizeof(err));
	if (rc == 0 && s->o->name) {
		/* Another domain, another uuid (and kept config). Last: an
		 * override re-applies the settings, the saved uuid among them. */
		uint8_t u[16];
		char t[PVX_UUID_CHARS + 1];

		pvx_uuid_random(u);
		pvx_uuid_format(u, t);
		snprintf(kv, sizeof(kv), "uuid=\"%s\"", t);
		rc = pvx_config_override(&s->cfg, kv, err, sizeof(err));
	}
	if (rc == 0)
		rc = pvx_config_validate(&s->cfg, err, sizeof(err));
	if (rc < 0)
		return fail(s, rc, "record 1 (CONFIG) at offset %llu: %s",
			    (unsigned long long)rec->offset, err);
	s->cfg.have_uuid = true;
	if (s->cfg.vcpus != s->r.hdr.vcpus)
		return fail(s, -EINVAL, "the stream has %u vCPUs; vcpus cannot change on restore",
			    s->r.hdr.vcpus);
	if ((s->cfg.maxmem_mib > s->cfg.memory_mib ? s->cfg.maxmem_mib : s->cfg.memory_mib)
	    << 20 != s->r.hdr.ram_bytes)
		return fail(s, -EINVAL, "the stream's RAM (%llu MiB) does not match memory/maxmem;"
			    " they cannot change on restore",
			    (unsigned long long)(s->r.hdr.ram_bytes >> 20));
	return 0;
}

/* Runs of consecutive NORMAL RAM pages (round 0 sends such runs) get
 * their page tables in one call rather than a fault per page. Only
 * those: a ZERO page stays a hole in the memfd, as it was on the
 * source, so that the next save of this domain skips it. */
static void populate(struct restorer *s, const struct pvx_mig_rec *rec,
		     const struct pvx_dom_mem *m)
{
	uint64_t first = 0, n = 0;

	for (uint32_t i = 0; i <= rec->npfns; i++) {
		uint64_t pfn = i < rec->npfns ? rec->pfns[i] & PVX_MIG_PFN_MASK : 0;
		bool ram = i < rec->npfns && PVX_MIG_PFN_TYPE(rec->pfns[i]) == PVX_MIG_PFN_NORMAL &&
			   pvx_mig_pfn_is_ram(&s->r, pfn);

		if (ram && n && pfn == first + n) {
			n++;
			continue;
		}
		if (n >= 16)
			(void)madvise(m->base + first * PVX_MIG_PAGE_SIZE,
				      n * PVX_MIG_PAGE_SIZE, MADV_POPULATE_WRITE);
		first = pfn;
		n = ram ? 1 : 0;
	}
}

static int put_pages(struct restorer *s, const struct pvx_mig_rec *rec,
		     const struct pvx_dom_mem *m)
{
	const uint8_t *data = rec->data;

	populate(s, rec, m);

	for (uint32_t i = 0; i < rec->npfns; i++) {
		uint64_t pfn = rec->pfns[i] & PVX_MIG_PFN_MASK;
		uint8_t *dst = pvx_mig_pfn_is_ram(&s->r, pfn)
			? m->base + pfn * PVX_MIG_PAGE_SIZE
			: m->special + (pfn - s->r.special_pfn) * PVX_MIG_PAGE_SIZE;

		if (PVX_MIG_PFN_TYPE(rec->pfns[i]) == PVX_MIG_PFN_NORMAL) {
			memcpy(dst, data, PVX_MIG_PAGE_SIZE);
			data += PVX_MIG_PAGE_SIZE;
		} else if (s->r.round > 0 || !pvx_mig_pfn_is_ram(&s->r, pfn)) {
			memset(dst, 0, PVX_MIG_PAGE_SIZE); /* fresh RAM is zero already */
		}
	}
	s->st->pages += rec->npfns;
	return 0;
}

static int take(struct restorer *s, const struct pvx_mig_rec *rec,
		const struct pvx_dom_mem *m)
{
	switch (rec->type) {
	case PVX_MIG_REC_PAGES:
		return put_pages(s, rec, m);
	case PVX_MIG_REC_ROUND:
		s->st->rounds++;
		if (rec->round_flags & PVX_MIG_ROUND_LAST)
			s->st->last_round_pages = rec->round_pages;
		return 0;
	case PVX_MIG_REC_STATE:
		if (!s->state && !(s->state = malloc(rec->state_total)))
			return -ENOMEM;
		memcpy(s->state + rec->state_offset, rec->chunk, rec->chunk_len);
		s->state_len = rec->state_offset + rec->chunk_len;
		return 0;
	case PVX_MIG_REC_XENSTORE:
		s->xs = malloc(rec->length ? rec->length : 1);
		if (!s->xs)
			return -ENOMEM;
		memcpy(s->xs, rec->body, rec->length);
		s->xs_rec = *rec;
		s->xs_rec.body = s->xs;
		return 0;
	}
	return 0;
}

/* The builder's fill step: the rest of the stream into the new domain. */
static int fill(const struct pvx_build_result *res, void *opaque, char *err, size_t errlen)
{
	struct restorer *s = opaque;
	struct pvx_dom_mem m = { .fd = -1 };
	struct pvx_mig_rec rec;
	int rc = pvx_dom_mem_map(s->c, res->domid, &m);

	if (rc < 0) {
		snprintf(err, errlen, "cannot map the new domain's memory: %s", strerror(-rc));
		return rc;
	}
	if (m.ram_bytes != s->r.hdr.ram_bytes || m.special_gpa != s->r.hdr.special_gpa ||
	    m.special_pages != s->r.hdr.special_pages) {
		pvx_dom_mem_unmap(&m);
		snprintf(err, errlen, "the new domain's memory layout differs from the stream's");
		return -EINVAL;
	}
	while (rc == 0 && s->r.state != PVX_MIG_RD_DONE) {
		rc = pvx_mig_read(&s->r, &rec);
		if (rc == 0)
			rc = take(s, &rec, &m);
		pvx_progress_update(&s->prog, s->r.offset, s->total, s->r.round, 0);
	}
	pvx_dom_mem_unmap(&m);
	if (rc < 0) {
		snprintf(err, errlen, "%s", s->r.err[0] ? s->r.err : strerror(-rc));
		return rc;
	}
	if (s->total && s->r.offset != s->total) {
		snprintf(err, errlen, "%llu stray bytes after the END record (offset %llu)",
			 (unsigned long long)(s->total - s->r.offset),
			 (unsigned long long)s->r.offset);
		return -EINVAL;
	}
	rc = pvx_save_set_state(s->c, res->domid, s->state, s->state_len);
	if (rc < 0)
		snprintf(err, errlen, "pvxd refused the saved state (%zu bytes): %s",
			 s->state_len, strerror(-rc));
	return rc;
}

/* create's hooks, then the guest's own xenstore keys. */
static int pre_unpause(const struct pvx_build_result *res, const char *name, void *opaque,
		       char *err, size_t errlen)
{
	struct restorer *s = opaque;
	int rc = s->hooks(res, name, &s->co, err, errlen);

	return rc < 0 ? rc : pvx_save_xs_restore(&s->xs_rec, res->domid, err, errlen);
}

static void undo(int32_t domid, void *opaque)
{
	struct restorer *s = opaque;

	if (s->undo_hooks)
		s->undo_hooks(domid, &s->co);
}

static int build(struct restorer *s, int32_t *domid)
{
	struct pvx_build_result res;
	int32_t other;
	int rc;

	if (pvx_ctl_lookup(s->c, s->cfg.name, &other) == 0)
		return fail(s, -EEXIST, "domain name '%s' is already in use (domain %d): restore"
			    " with name=NEW", s->cfg.name, other);
	pvx_create_hooks(&s->bo, &s->co);
	s->hooks = s->bo.pre_unpause;
	s->undo_hooks = s->bo.on_destroy;
	s->bo.pre_unpause = pre_unpause;
	s->bo.on_destroy = undo;
	s->bo.opaque = s;
	s->bo.paused = true;
	s->bo.restore = true;
	/* Dying half-way leaves nothing (PVX_CREATE_F_TIED); a domain left
	 * paused on purpose (restore -p) must outlive this process. */
	s->bo.tied = !s->o->paused || s->o->tied;
	s->bo.fill = fill;
	s->bo.fill_opaque = s;
	rc = pvx_build_domain(s->c, &s->cfg, &s->bo, &res, s->err, sizeof(s->err));
	*domid = res.domid;
	return rc;
}

/* Monitor (subscribed before the first unpause), then run. */
static int start(struct restorer *s, int32_t domid)
{
	struct pvx_ctl *mctl = pvx_connect(), *sub = pvx_connect();
	sigset_t old;
	int rc = mctl && sub ? pvx_ctl_subscribe_dom(sub, domid) : -ENOTCONN;

	if (rc < 0) {
		pvx_ctl_close(mctl);
		pvx_ctl_close(sub);
		return fail(s, rc, "cannot subscribe to domain %d's events", domid);
	}
	if (!s->o->paused && (rc = pvx_ctl_unpause(s->c, domid)) < 0) {
		pvx_ctl_close(mctl);
		pvx_ctl_close(sub);
		return fail(s, rc, "cannot unpause domain %d: %s", domid, strerror(-rc));
	}
	sigprocmask(SIG_SETMASK, NULL, &old);
	s->co.quiet = true;
	rc = pvx_create_monitor(&s->co, &s->cfg, &mctl, &sub, domid, &old);
	pvx_ctl_close(mctl);
	pvx_ctl_close(sub);
	return rc < 0 ? fail(s, rc, "cannot start the monitor") : 0;
}

static int restore(struct restorer *s, int fd, int32_t *domid)
{
	struct pvx_mig_rec rec;
	struct stat sb;
	int rc;

	s->total = fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) ? (uint64_t)sb.st_size : 0;
	rc = pvx_mig_reader_init(&s->r, fd);
	if (rc == 0)
		rc = pvx_mig_read(&s->r, &rec);
	if (rc < 0)
		return fail(s, rc, "%s", s->r.err);
	rc = apply_config(s, &rec);
	if (rc == 0)
		rc = build(s, domid);
	if (rc == 0 && pvx_cfgkeep_write(&s->cfg, s->cfg.uuid) < 0)
		fprintf(stderr, "pvx: warning: cannot keep the config of '%s': it cannot be"
			" saved again\n", s->cfg.name);
	if (rc == 0)
		pvx_cfgkeep_prune(s->c);
	if (rc == 0 && (rc = start(s, *domid)) < 0) {
		pvx_ctl_destroy(s->c, *domid);
		undo(*domid, s);
		pvx_cfgkeep_remove(s->cfg.uuid);
	}
	return rc;
}

int pvx_restore_fd(struct pvx_ctl *ctl, int fd, const struct pvx_restore_opts *o,
		   int32_t *domid, struct pvx_mig_stats *st)
{
	struct restorer *s = calloc(1, sizeof(*s));
	struct pvx_mig_stats dummy;
	double t0 = pvx_now_ms();
	int32_t id = -1;
	int rc;

	if (!s)
		return -ENOMEM;
	memset(st ? st : &dummy, 0, sizeof(dummy));
	s->c = ctl;
	s->o = o;
	s->st = st ? st : &dummy;
	pvx_config_init(&s->cfg);
	s->co.cfg = &s->cfg;
	s->co.quiet = true;
	pvx_progress_start(&s->prog, o->progress, "restore");
	rc = restore(s, fd, &id);
	pvx_progress_done(&s->prog);
	s->st->bytes = s->r.offset;
	s->st->total_ms = pvx_now_ms() - t0;
	if (rc < 0)
		fprintf(stderr, "pvx: restore failed: %s\n", s->err[0] ? s->err : strerror(-rc));
	else if (domid)
		*domid = id;
	pvx_mig_reader_dispose(&s->r);
	free(s->state);
	free(s->xs);
	/* A forked monitor kept its own copy of the config. */
	pvx_config_dispose(&s->cfg);
	free(s);
	return rc;
}
