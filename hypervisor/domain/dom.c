/*
 * dom: the domain table, creation and destruction (locking in dom.h).
 *
 * Creation builds everything while the domain is invisible, then
 * publishes it: memory and execution context (the domain's platform,
 * chosen by its type), vCPUs (with their threads parked, since a
 * domain is created paused), event-channel table, timers. Destruction is
 * the same list in reverse, after the vCPU threads have been joined, so
 * no thread can touch what is being freed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "dom.h"
#include "dsched.h"
#include "evq.h"
#include "evtchn.h"
#include "gnttab.h"
#include "pvxd.h"
#include "timer.h"
#include "xtime.h"

#define CONSOLE_FILE_RATE  (64 * 1024)  /* see dom_console_write */
#define CONSOLE_FILE_BURST (256 * 1024)

static struct domain *table[PVX_MAX_DOMAINS];
static unsigned nr_domains;
static int32_t next_domid = 1;

struct domain *dom_find(int32_t domid)
{
	if (domid <= 0 || domid >= PVX_MAX_DOMAINS)
		return NULL;
	return table[domid];
}

struct domain *dom_find_name(const char *name)
{
	for (int i = 1; i < PVX_MAX_DOMAINS; i++)
		if (table[i] && strcmp(table[i]->name, name) == 0)
			return table[i];
	return NULL;
}

unsigned dom_count(void)
{
	return nr_domains;
}

int dom_foreach(int (*fn)(struct domain *d, void *arg), void *arg)
{
	for (int i = 1; i < PVX_MAX_DOMAINS; i++) {
		int r = table[i] ? fn(table[i], arg) : 0;

		if (r)
			return r;
	}
	return 0;
}

static int32_t alloc_domid(void)
{
	for (int n = 1; n < PVX_MAX_DOMAINS; n++) {
		int32_t id = next_domid;

		next_domid = next_domid + 1 < PVX_MAX_DOMAINS ? next_domid + 1 : 1;
		if (!table[id])
			return id;
	}
	return -ENOSPC;
}

void dom_event_post(struct domain *d)
{
	struct pvx_ctl_event ev = {
		.domid = d->domid,
		.state = d->state,
		.shutdown_reason = d->shutdown_reason,
		.shutdown_code = d->shutdown_code,
	};

	evq_post(&ev);
}

static void setup_view(struct domain *d)
{
	uint64_t floor = d->plat->ram_floor;

	d->view.r[0] = (struct gmem_region){ floor, d->vm.ram_bytes - floor,
					     d->vm.mem + floor };
	d->view.r[1] = (struct gmem_region){ PVX_SPECIAL_GPA,
		PVX_SPECIAL_PAGES * PVX_PAGE_SIZE, d->vm.special };
	d->view.n = 2;
}

static int create_vcpus(struct domain *d)
{
	d->vcpus = calloc(d->nr_vcpus, sizeof(*d->vcpus));
	if (!d->vcpus)
		return -ENOMEM;
	for (unsigned i = 0; i < d->nr_vcpus; i++) {
		int r = vcpu_init(&d->vcpus[i], d, i);

		if (r < 0) {
			while (i--)
				vcpu_dispose(&d->vcpus[i]);
			free(d->vcpus);
			d->vcpus = NULL;
			return r;
		}
	}
	return 0;
}

static void dispose_vcpus(struct domain *d)
{
	if (!d->vcpus)
		return;
	for (unsigned i = 0; i < d->nr_vcpus; i++)
		vcpu_dispose(&d->vcpus[i]);
	free(d->vcpus);
	d->vcpus = NULL;
}

static struct domain *dom_alloc(const struct pvx_ctl_create_req *req, int32_t id,
				const struct platform_ops *plat)
{
	struct domain *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->domid = id;
	d->type = req->type;
	d->plat = plat;
	memcpy(d->name, req->name, PVX_NAME_MAX);
	memcpy(d->uuid, req->uuid, sizeof(d->uuid));
	pthread_mutex_init(&d->lock, NULL);
	pthread_cond_init(&d->cond, NULL);
	d->state = PVX_DOM_CREATED;
	d->paused = true;
	d->shutdown_reason = -1;
	d->restore_mode = req->flags & PVX_CREATE_F_RESTORE;
	d->nr_vcpus = req->vcpus;
	d->vm.fd = d->vm.memfd = -1;
	d->maxmem_bytes = (req->maxmem_kib ? req->maxmem_kib : req->mem_kib) * 1024;
	d->nr_pages = req->mem_kib / 4;
	d->ram_pages = d->maxmem_bytes / PVX_PAGE_SIZE;
	d->max_grant_frames = req->max_grant_frames ? req->max_grant_frames : 32;
	d->rl = (struct ratelimit)RATELIMIT_INIT;
	d->create_mono_ns = mono_ns();
	d->create_real_ns = real_ns();
	d->console_tokens = CONSOLE_FILE_BURST;
	d->console_refill_ns = d->create_mono_ns;
	return d;
}

/*
 * Frees d. The platform may finish releasing the execution context and
 * the guest memory on another thread when `async` (pvh: the VM's close
 * waits for RCU grace periods); everything else pvxd allocated is freed
 * here, so the heap does not grow with a backlog.
 */
static void dom_free(struct domain *d, bool async)
{
	dom_mig_free(d);
	dispose_vcpus(d);
	d->plat->dom_destroy(d, async);
	dsched_dom_destroy(d);
	textring_dispose(&d->log);
	free(d->released);
	pthread_cond_destroy(&d->cond);
	pthread_mutex_destroy(&d->lock);
	free(d);
}

static int start_threads(struct domain *d)
{
	for (unsigned i = 0; i < d->nr_vcpus; i++) {
		int r = vcpu_start(&d->vcpus[i]);

		if (r < 0)
			return r;
		d->nr_threads++;
	}
	return 0;
}

static int dom_build(struct domain *d)
{
	int r;

	r = textring_init(&d->log, PVX_DOM_LOG_BYTES);
	if (r < 0)
		return r;
	d->released = calloc(d->ram_pages / 8 + 1, 1);
	if (!d->released)
		return -ENOMEM;
	/* RAM between memory and maxmem starts ballooned out (docs/memory.md):
	 * the memfd is sparse there, and the guest takes it with populate. */
	for (uint64_t i = d->nr_pages; i < d->ram_pages; i++)
		d->released[i / 8] |= (uint8_t)(1u << (i % 8));
	r = d->plat->dom_create(d);
	if (r < 0)
		return r;
	setup_view(d);
	d->shinfo = (struct shared_info *)d->vm.xpage;
	r = create_vcpus(d);
	if (r < 0)
		return r;
	xtime_init(d);
	r = gnttab_dom_attach(d);
	if (r < 0)
		return r;
	return evtchn_dom_add(d->domid, d->nr_vcpus, &dom_evtchn_ops, d);
}

int dom_create(const struct pvx_ctl_create_req *req, struct domain **out)
{
	struct domain *d;
	const struct platform_ops *plat;
	int32_t id;
	int r;

	plat = platform_get(req->type, &r);
	if (!plat)
		return r;
	id = alloc_domid();
	if (id < 0)
		return id;
	d = dom_alloc(req, id, plat);
	if (!d)
		return -ENOMEM;
	r = dom_build(d);
	if (r < 0)
		goto err_free;
	r = timer_dom_init(d);
	if (r < 0)
		goto err_evtchn;
	dsched_dom_create(d);
	r = start_threads(d);
	if (r < 0)
		goto err_threads;
	xtime_update_all(d);
	table[id] = d;
	nr_domains++;
	dlog(d, LOG_INFO, "created '%s', %s, %llu KiB, %u vCPUs", d->name,
		 d->plat->name, (unsigned long long)req->mem_kib, d->nr_vcpus);
	dom_event_post(d);
	*out = d;
	return 0;

err_threads:
	dom_stop_threads(d);
	timer_dom_exit(d);
err_evtchn:
	evtchn_dom_remove(d->domid);
err_free:
	gnttab_dom_detach(d);
	dom_free(d, false);
	return r;
}

void dom_destroy(struct domain *d)
{
	int32_t id = d->domid;

	pthread_mutex_lock(&d->lock);
	d->state = PVX_DOM_DYING;
	pthread_mutex_unlock(&d->lock);
	dom_event_post(d);
	dom_stop_threads(d);
	timer_dom_exit(d);
	gnttab_dom_detach(d); /* foreign mappings go before the memory */
	evtchn_dom_remove(id);
	table[id] = NULL;
	nr_domains--;
	dom_free(d, true);
	log_info("d%d: destroyed", id);
	evq_post(&(struct pvx_ctl_event){ .domid = id, .state = PVX_DOM_DEAD,
					   .shutdown_reason = -1 });
}

void dom_destroy_all(void)
{
	for (int i = 1; i < PVX_MAX_DOMAINS; i++)
		if (table[i])
			dom_destroy(table[i]);
}

int dom_rename(struct domain *d, const char *name)
{
	struct domain *other = dom_find_name(name);

	if (other && other != d)
		return -EEXIST;
	snprintf(d->name, sizeof(d->name), "%s", name);
	return 0;
}

void dom_info(struct domain *d, struct pvx_ctl_dominfo *out)
{
	memset(out, 0, sizeof(*out));
	pthread_mutex_lock(&d->lock);
	out->domid = d->domid;
	out->type = d->type;
	out->state = d->state;
	out->shutdown_reason = d->shutdown_reason;
	out->shutdown_code = d->shutdown_code;
	out->mem_kib = d->nr_pages * 4;
	out->maxmem_kib = d->maxmem_bytes / 1024;
	pthread_mutex_unlock(&d->lock);
	memcpy(out->name, d->name, PVX_NAME_MAX);
	memcpy(out->uuid, d->uuid, sizeof(out->uuid));
	out->vcpus = d->nr_vcpus;
	out->vcpus_online = out->state == PVX_DOM_RUNNING ? d->nr_vcpus : 0;
	for (unsigned i = 0; i < d->nr_vcpus; i++)
		out->cpu_time_ns += vcpu_cpu_ns(&d->vcpus[i]);
	if (d->plat->guest_cpu_ns)
		out->cpu_time_ns += d->plat->guest_cpu_ns(d);
	out->create_time_ns = d->create_real_ns;
}

/* xl mem-max: the ceiling populate_physmap checks. The RAM layout was
 * fixed at create, so the ceiling never goes above it. */
int dom_set_maxmem(struct domain *d, uint64_t kib)
{
	if (kib % 4 || kib < 1024 || kib / 4 > d->ram_pages)
		return -EINVAL;
	pthread_mutex_lock(&d->lock);
	d->maxmem_bytes = kib * 1024;
	pthread_mutex_unlock(&d->lock);
	return 0;
}

int dom_set_boot(struct domain *d, const struct pvx_ctl_boot_req *req)
{
	uint32_t state;

	if (req->vcpu >= d->nr_vcpus)
		return -EINVAL;
	if (d->restore_mode)
		return -EPERM; /* it starts from SET_STATE's registers */
	if (req->entry >= d->vm.ram_bytes || req->start_info_gpa >= d->vm.ram_bytes)
		return -EINVAL;
	pthread_mutex_lock(&d->lock);
	state = d->state;
	pthread_mutex_unlock(&d->lock);
	if (state != PVX_DOM_CREATED && state != PVX_DOM_PAUSED)
		return -EBUSY;
	/* The thread is parked, so touching its vCPU from here is safe. */
	return d->plat->vcpu_set_boot(&d->vcpus[req->vcpu], req->entry,
				      req->start_info_gpa);
}

/*
 * Guest text goes to pvxd.log with a "dN| " prefix, control characters
 * made visible, at most CONSOLE_FILE_RATE bytes/s per domain (burst
 * CONSOLE_FILE_BURST): a guest printing in a loop must not fill the
 * host's disk. The domain's own ring (DMESG) always gets everything.
 */
static bool console_budget(struct domain *d, size_t len)
{
	uint64_t now = mono_ns();
	bool ok, warn = false;

	pthread_mutex_lock(&d->lock);
	d->console_tokens += (now - d->console_refill_ns) * CONSOLE_FILE_RATE / 1000000000ull;
	if (d->console_tokens > CONSOLE_FILE_BURST)
		d->console_tokens = CONSOLE_FILE_BURST;
	d->console_refill_ns = now;
	ok = d->console_tokens >= len;
	if (ok) {
		d->console_tokens -= len;
		d->console_throttled = false;
	} else if (!d->console_throttled) {
		d->console_throttled = warn = true;
	}
	pthread_mutex_unlock(&d->lock);
	if (warn)
		log_warn("d%d: console output beyond %d bytes/s not copied to "
			 "pvxd.log (pvx dmesg still has it)", d->domid, CONSOLE_FILE_RATE);
	return ok;
}

static void file_line(const char *prefix, const char *text, size_t len)
{
	char buf[512];
	size_t n = strlen(prefix);

	memcpy(buf, prefix, n);
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)text[i];

		if (n == sizeof(buf) - 1) {
			log_file_raw(buf, n);
			n = 0;
		}
		buf[n++] = (ch < 0x20 && ch != '\t') || ch == 0x7F ? '.' : (char)ch;
	}
	buf[n++] = '\n';
	log_file_raw(buf, n);
}

void dom_console_write(struct domain *d, const char *text, size_t len)
{
	char prefix[16];
	size_t start = 0;

	textring_append(&d->log, text, len);
	if (!console_budget(d, len))
		return;
	snprintf(prefix, sizeof(prefix), "d%d| ", d->domid);
	for (size_t i = 0; i <= len; i++) {
		if (i < len && text[i] != '\n')
			continue;
		if (i > start || i < len)
			file_line(prefix, text + start, i - start);
		start = i + 1;
	}
}
