/*
 * platform_pv: the `pv` platform, each domain a sandboxed host process
 * (pvx/pv.h is the guest's side, pv/pvproc.h the process).
 *
 * The domain keeps the memfd of vm.h (RAM, special pages, xpage) without
 * a KVM VM; the process maps RAM at guest-physical = virtual, so
 * hypercall pointers are guest-physical (GVA = GPA over d->view, whose
 * RAM starts at PVX_PV_RAM_FLOOR like the process's mapping).
 * One vCPU for now (more: -EINVAL at create).
 *
 * Life of the process, all on the main thread except the vCPU loop:
 *  - spawned at the first unpause after SET_BOOT (entry and start_info
 *    inside RAM and above PVX_PV_RAM_FLOOR), its pidfd then watched by
 *    the main loop, so a death is noticed even while the vCPU thread
 *    waits in SCHEDOP_block/poll: the domain crashes with the reason;
 *  - pause = SIGSTOP (and the vCPU thread parks), unpause = SIGCONT;
 *    shutdown and crash stop it too: the guest runs no further;
 *  - destroy kills it before the vCPU thread is joined.
 *
 * Events: an upcall is a signal into the CALLBACKOP_register entry, sent
 * only while vcpu_info's upcall mask is clear (the caller checks) and an
 * entry exists; with CALLBACKF_mask_events the mask is set first, as Xen
 * does. While vCPU 0 holds a hypercall (e.g. SCHEDOP_block) the process
 * waits in the kernel, so the upcall is deferred until the reply: it
 * then re-raises (evtchn_reraise), and block returns before the upcall,
 * as on Xen (and on kernels without WAIT_KILLABLE_RECV the signal cannot
 * withdraw the held call).
 *
 * Time: the guest reads the host TSC itself (offset 0); its frequency is
 * measured once at start.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <x86intrin.h>
#include <cpuid.h>

#include <event2/event.h>
#include <linux/seccomp.h>
#include <pvx/pv.h>
#include <xen/public/callback.h>

#include "dom.h"
#include "dsched.h"
#include "evtchn.h"
#include "platform_pv.h"

static uint32_t host_tsc_khz;

/* CPUID 0x15 (crystal clock x ratio) when the CPU says; else measured
 * against CLOCK_MONOTONIC_RAW over 10 ms. */
static uint32_t measure_tsc_khz(void)
{
	unsigned a, b, c, d;
	struct timespec t0, t1, pause = { 0, 10000000 };
	uint64_t c0, c1, ns;

	if (__get_cpuid(0x15, &a, &b, &c, &d) && a && b && c)
		return (uint32_t)((uint64_t)c * b / a / 1000);
	clock_gettime(CLOCK_MONOTONIC_RAW, &t0);
	c0 = __rdtsc();
	nanosleep(&pause, NULL);
	clock_gettime(CLOCK_MONOTONIC_RAW, &t1);
	c1 = __rdtsc();
	ns = (uint64_t)(t1.tv_sec - t0.tv_sec) * 1000000000ull +
	     (uint64_t)t1.tv_nsec - (uint64_t)t0.tv_nsec;
	return ns ? (uint32_t)((c1 - c0) * 1000000ull / ns) : 0;
}

/*
 * The mechanism pvproc relies on: seccomp user notification. Asked of
 * the kernel's list of filter actions rather than by calling seccomp()
 * here: pvxd never installs a filter itself (the shim does), and tools
 * that run pvxd under an emulated kernel interface (valgrind) answer
 * seccomp() with ENOSYS although the shim's own call would work.
 */
static int pv_host_init(char *why, size_t len)
{
	char avail[256] = "";
	FILE *f = fopen("/proc/sys/kernel/seccomp/actions_avail", "re");

	if (f) {
		if (!fgets(avail, sizeof(avail), f))
			avail[0] = '\0';
		fclose(f);
	}
	if (!strstr(avail, "user_notif")) {
		snprintf(why, len, "no seccomp user notification (%s)",
			 f ? "not in /proc/sys/kernel/seccomp/actions_avail" :
			     "no /proc/sys/kernel/seccomp/actions_avail");
		return -ENOTSUP;
	}
	host_tsc_khz = measure_tsc_khz();
	log_info("pv: host TSC %u kHz", host_tsc_khz);
	return 0;
}

static int pv_dom_create(struct domain *d)
{
	struct pv_dom *pv;
	int r;

	if (d->nr_vcpus > 1)
		log_info("d%d: pv: vCPU 0 runs; vCPUs 1-%u stay down (one process per domain for now)",
			 d->domid, d->nr_vcpus - 1);
	pv = calloc(1, sizeof(*pv));
	if (!pv)
		return -ENOMEM;
	pthread_mutex_init(&pv->lock, NULL);
	d->pv = pv;
	r = vm_mem_create(&d->vm, d->domid, d->ram_pages * PVX_PAGE_SIZE);
	if (r < 0)
		return r;
	r = pvproc_pages_init(&pv->pages);
	if (r < 0)
		return r;
	pv->pages_ok = true;
	return 0;
}

/* Called on every create failure too, so each step checks it was done. */
static void pv_dom_destroy(struct domain *d, bool async)
{
	struct pv_dom *pv = d->pv;

	(void)async;
	if (pv) {
		if (pv->exit_ev)
			event_free(pv->exit_ev);
		if (pv->spawned)
			pvproc_dispose(&pv->proc);
		if (pv->pages_ok)
			pvproc_pages_dispose(&pv->pages);
		free(pv->restore_regs);
		pthread_mutex_destroy(&pv->lock);
		free(pv);
		d->pv = NULL;
	}
	vm_dispose(&d->vm);
}

/* Under pv->lock: the process's CPU clock while it exists (a zombie's
 * too); the last reading stays once it is reaped. */
static void sample_cpu(struct pv_dom *pv)
{
	struct timespec ts;
	clockid_t clk;

	if (pv->spawned && !pv->gone &&
	    clock_getcpuclockid(pv->proc.pid, &clk) == 0 &&
	    clock_gettime(clk, &ts) == 0)
		pv->cpu_ns = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int pv_notice_exit(struct domain *d)
{
	struct pv_dom *pv = d->pv;
	char why[128] = "";
	int r = 0;

	pthread_mutex_lock(&pv->lock);
	if (pv->spawned && !pv->gone) {
		sample_cpu(pv);
		r = pvproc_exited(&pv->proc, why, sizeof(why));
		if (r < 0) {
			snprintf(why, sizeof(why), "pv: process status: %s",
				 strerror(-r));
			pvproc_kill(&pv->proc);
		}
		if (r != 0)
			__atomic_store_n(&pv->gone, true, __ATOMIC_SEQ_CST);
	}
	pthread_mutex_unlock(&pv->lock);
	if (r == 0)
		return 0;
	dom_crash(d, why);
	return 1;
}

void pv_kill(struct domain *d)
{
	struct pv_dom *pv = d->pv;

	pthread_mutex_lock(&pv->lock);
	if (pv->spawned && !pv->gone) {
		sample_cpu(pv);
		__atomic_store_n(&pv->gone, true, __ATOMIC_SEQ_CST);
		pvproc_kill(&pv->proc);
	}
	pthread_mutex_unlock(&pv->lock);
}

/* Without a pidfd (pvproc.h), the watch looks every 100 ms instead. */
static const struct timeval exit_poll = { 0, 100000 };

static void exit_cb(evutil_socket_t fd, short what, void *arg)
{
	struct domain *d = arg;

	(void)what;
	if (pv_notice_exit(d) == 0 && !__atomic_load_n(&d->pv->gone,
							__ATOMIC_SEQ_CST))
		event_add(d->pv->exit_ev, fd < 0 ? &exit_poll : NULL); /* again */
}

static void watch_exit(struct domain *d)
{
	struct event_base *base = platform_loop();
	struct pv_dom *pv = d->pv;

	if (!base)
		return; /* unit tests: the vCPU thread's wait sees it too */
	pv->exit_ev = event_new(base, pv->proc.pidfd,
				pv->proc.pidfd >= 0 ? EV_READ : 0, exit_cb, d);
	if (!pv->exit_ev ||
	    event_add(pv->exit_ev, pv->proc.pidfd >= 0 ? NULL : &exit_poll) < 0)
		dlog(d, LOG_WARN, "pv: cannot watch the process; a death is "
		     "seen at the next hypercall");
}

static int spawn(struct domain *d)
{
	struct pv_dom *pv = d->pv;
	struct pvproc_layout l = {
		.mem_fd = d->vm.memfd,
		.ram_bytes = d->vm.ram_bytes,
		.special_offset = d->vm.ram_bytes,
		.pages = &pv->pages,
		.entry = pv->entry,
		.start_info = pv->start_info,
		.domid = d->domid,
	};
	int r;

	if (!pv->booted) {
		dlog(d, LOG_ERR, "pv: unpause before SET_BOOT: no entry to start at");
		return -EINVAL;
	}
	r = pvproc_spawn(&l, &pv->proc);
	if (r < 0) {
		dlog(d, LOG_ERR, "pv: cannot start the domain's process: %s",
		     strerror(-r));
		return r;
	}
	__atomic_store_n(&pv->spawned, true, __ATOMIC_RELEASE);
	dlog(d, LOG_INFO, "pv: process %d runs the guest from 0x%llx", (int)pv->proc.pid,
	     (unsigned long long)pv->entry);
	watch_exit(d);
	return 0;
}

static int pv_dom_start(struct domain *d)
{
	struct pv_dom *pv = d->pv;
	bool fresh = false;
	int r = 0;

	pthread_mutex_lock(&pv->lock);
	if (!pv->spawned) {
		r = spawn(d);
		fresh = r == 0;
	} else if (!pv->gone) {
		r = pvproc_cont(&pv->proc);
	}
	pthread_mutex_unlock(&pv->lock);
	if (fresh) /* outside pv->lock: dsched takes d->lock */
		dsched_guest_spawned(d, (int)pv->proc.pid);
	return r;
}

static void pv_dom_freeze(struct domain *d)
{
	struct pv_dom *pv = d->pv;

	pthread_mutex_lock(&pv->lock);
	if (pv->spawned && !pv->gone)
		(void)pvproc_stop(&pv->proc);
	pthread_mutex_unlock(&pv->lock);
}

static void pv_dom_kill(struct domain *d)
{
	if (d->pv->exit_ev)
		event_del(d->pv->exit_ev);
	pv_kill(d);
}

/* The process cannot get new mappings: shared_info goes into RAM. */
static int pv_map_xpage(struct domain *d, uint64_t gpa)
{
	if (gpa && ratelimit_ok(&d->rl))
		dlog(d, LOG_WARN, "pv: shared_info must be placed inside RAM "
		     "(gpa 0x%llx refused)", (unsigned long long)gpa);
	return gpa ? -EINVAL : 0;
}

static uint32_t pv_tsc_khz(struct domain *d)
{
	(void)d;
	return host_tsc_khz;
}

static uint64_t pv_guest_cpu_ns(struct domain *d)
{
	struct pv_dom *pv = d->pv;
	uint64_t ns;

	pthread_mutex_lock(&pv->lock);
	sample_cpu(pv);
	ns = pv->cpu_ns;
	pthread_mutex_unlock(&pv->lock);
	return ns;
}

static int pv_guest_pid(struct domain *d)
{
	struct pv_dom *pv = d->pv;
	int pid = 0;

	if (!pv)
		return 0;
	pthread_mutex_lock(&pv->lock);
	if (pv->spawned && !pv->gone)
		pid = (int)pv->proc.pid;
	pthread_mutex_unlock(&pv->lock);
	return pid;
}

/* vCPUs past 0 exist (dominfo, event channels bound to them) but stay
 * down, as Xen's secondary vCPUs do until the guest brings them up: the
 * domain's one process runs vCPU 0. */
static int pv_vcpu_init(struct vcpu *v)
{
	(void)v;
	return 0;
}

static void pv_vcpu_nop(struct vcpu *v)
{
	(void)v;
}

/* Before the kick's SIGUSR1, as immediate_exit on pvh (platform_pv_vcpu.c). */
static void pv_vcpu_kick(struct vcpu *v)
{
	if (v->d->pv && v->id == 0)
		__atomic_store_n(&v->d->pv->kicked, 1, __ATOMIC_SEQ_CST);
}

static void pv_vcpu_kick_ack(struct vcpu *v)
{
	if (v->id == 0)
		__atomic_store_n(&v->d->pv->kicked, 0, __ATOMIC_SEQ_CST);
}

static bool in_ram(const struct domain *d, uint64_t gpa)
{
	return gpa >= PVX_PV_RAM_FLOOR && gpa < d->vm.ram_bytes;
}

static int pv_vcpu_set_boot(struct vcpu *v, uint64_t entry, uint64_t start_info)
{
	struct pv_dom *pv = v->d->pv;
	int r = 0;

	if (v->id != 0 || !in_ram(v->d, entry) || !in_ram(v->d, start_info))
		return -EINVAL;
	pthread_mutex_lock(&pv->lock);
	if (pv->spawned) {
		r = -EBUSY; /* the process started at the old entry */
	} else {
		pv->entry = entry;
		pv->start_info = start_info;
		pv->booted = true;
	}
	pthread_mutex_unlock(&pv->lock);
	return r;
}

/* Under the evtchn lock (vi stays put); the mask was clear. */
static void pv_inject_upcall(struct vcpu *v, struct vcpu_info *vi)
{
	struct pv_dom *pv = v->d->pv;

	if (v->id != 0)
		return; /* a down vCPU: the event waits in its vcpu_info */
	pthread_mutex_lock(&pv->lock);
	if (pv->spawned && !pv->gone && pv->callback) {
		if (pv->in_hcall) {
			pv->deferred = true;
		} else {
			if (pv->callback_flags & CALLBACKF_mask_events)
				__atomic_store_n(&vi->evtchn_upcall_mask, 1,
						 __ATOMIC_SEQ_CST);
			(void)pvproc_upcall(&pv->proc);
		}
	}
	pthread_mutex_unlock(&pv->lock);
}

void pv_hcall_done(struct vcpu *v)
{
	struct pv_dom *pv = v->d->pv;
	bool again;

	pthread_mutex_lock(&pv->lock);
	pv->in_hcall = false;
	again = pv->deferred;
	pv->deferred = false;
	pthread_mutex_unlock(&pv->lock);
	if (again)
		evtchn_reraise((domid_t)v->d->domid, v->id);
}

static int pv_guest_mode(struct vcpu *v, struct gva_mode *m)
{
	(void)v;
	memset(m, 0, sizeof(*m));
	m->cr0 = X86_CR0_PE; /* no paging: GVA = GPA */
	m->cpl = 3;
	return 0;
}

static void pv_dump_regs(struct vcpu *v, const char *why)
{
	dlog(v->d, LOG_ERR, "v%u: %s (pv: registers stay in the process)",
	     v->id, why);
}

static int pv_set_event_callback(struct vcpu *v, uint64_t address,
				 uint16_t flags)
{
	struct pv_dom *pv = v->d->pv;

	if (address && address < PVX_PV_RAM_FLOOR)
		return -EINVAL;
	pthread_mutex_lock(&pv->lock);
	pv->callback = address;
	pv->callback_flags = flags;
	pvproc_pages_set_callback(&pv->pages, address);
	pthread_mutex_unlock(&pv->lock);
	return 0;
}

const struct platform_ops platform_pv = {
	.name = "pv",
	.type = PVX_TYPE_PV,
	.xen_caps = "xen-3.0-x86_64",
	.host_init = pv_host_init,
	.dom_create = pv_dom_create,
	.dom_destroy = pv_dom_destroy,
	.dom_start = pv_dom_start,
	.dom_freeze = pv_dom_freeze,
	.dom_kill = pv_dom_kill,
	.map_xpage = pv_map_xpage,
	.tsc_khz = pv_tsc_khz,
	.guest_cpu_ns = pv_guest_cpu_ns,
	.guest_pid = pv_guest_pid,
	.vcpu_init = pv_vcpu_init,
	.vcpu_dispose = pv_vcpu_nop,
	.vcpu_set_boot = pv_vcpu_set_boot,
	.vcpu_run = pv_vcpu_run,
	.vcpu_kick = pv_vcpu_kick,
	.vcpu_kick_ack = pv_vcpu_kick_ack,
	.inject_upcall = pv_inject_upcall,
	.guest_mode = pv_guest_mode,
	.dump_regs = pv_dump_regs,
	.ram_floor = PVX_PV_RAM_FLOOR,
	.upcall_vector = false,
	.set_event_callback = pv_set_event_callback,
	.mig = &pv_mig_ops,
};
