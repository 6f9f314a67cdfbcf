/*
 * Fake domains for unit tests (see harness.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "harness.h"

struct fake_plat fake_plat;

#define COUNT(field) __atomic_add_fetch(&fake_plat.field, 1, __ATOMIC_SEQ_CST)

static int f_dom_create(struct domain *d)
{
	COUNT(dom_create);
	if (fake_plat.create_ret)
		return fake_plat.create_ret;
	return vm_mem_create(&d->vm, d->domid, d->nr_pages * PVX_PAGE_SIZE);
}

static void f_dom_destroy(struct domain *d, bool async)
{
	(void)async;
	COUNT(dom_destroy);
	vm_dispose(&d->vm);
}

static int f_dom_start(struct domain *d)
{
	(void)d;
	COUNT(dom_start);
	return fake_plat.start_ret;
}

static void f_dom_freeze(struct domain *d)
{
	(void)d;
	COUNT(dom_freeze);
}

static void f_dom_kill(struct domain *d)
{
	(void)d;
	COUNT(dom_kill);
}

static int f_map_xpage(struct domain *d, uint64_t gpa)
{
	(void)d;
	COUNT(map_xpage);
	fake_plat.xpage_gpa = gpa;
	return 0;
}

static uint32_t f_tsc_khz(struct domain *d)
{
	(void)d;
	return 1000000;
}

static int f_vcpu_init(struct vcpu *v)
{
	(void)v;
	COUNT(vcpu_init);
	return 0;
}

static void f_vcpu_dispose(struct vcpu *v)
{
	(void)v;
	COUNT(vcpu_dispose);
}

static int f_vcpu_set_boot(struct vcpu *v, uint64_t entry, uint64_t si)
{
	(void)v;
	COUNT(vcpu_set_boot);
	fake_plat.boot_entry = entry;
	fake_plat.boot_start_info = si;
	return 0;
}

static void f_vcpu_thread_init(struct vcpu *v)
{
	(void)v;
	COUNT(vcpu_thread_init);
}

/* A guest that exits every millisecond; fails once if asked to. */
static int f_vcpu_run(struct vcpu *v, char *why, size_t len)
{
	const char *crash = __atomic_exchange_n(&fake_plat.run_crash, NULL,
						__ATOMIC_SEQ_CST);

	(void)v;
	COUNT(vcpu_run);
	if (crash) {
		snprintf(why, len, "%s", crash);
		return -1;
	}
	usleep(1000);
	return 0;
}

static void f_vcpu_kick(struct vcpu *v)
{
	(void)v;
	COUNT(vcpu_kick);
}

static void f_vcpu_kick_ack(struct vcpu *v)
{
	(void)v;
	COUNT(vcpu_kick_ack);
}

static void f_inject_upcall(struct vcpu *v, struct vcpu_info *vi)
{
	(void)vi;
	COUNT(inject_upcall);
	fake_plat.upcall_vcpu = v->id;
}

static int f_guest_mode(struct vcpu *v, struct gva_mode *m)
{
	(void)v;
	COUNT(guest_mode);
	memset(m, 0, sizeof(*m));
	m->cr0 = X86_CR0_PE; /* paging off: GVA = GPA */
	return fake_plat.mode_ret;
}

static int f_set_event_callback(struct vcpu *v, uint64_t address, uint16_t flags)
{
	(void)v;
	(void)flags;
	COUNT(set_event_callback);
	fake_plat.callback = address;
	return 0;
}

const struct platform_ops fake_platform = {
	.name = "fake",
	.type = PVX_TYPE_PVH,
	.xen_caps = "hvm-3.0-x86_64",
	.dom_create = f_dom_create,
	.dom_destroy = f_dom_destroy,
	.dom_start = f_dom_start,
	.dom_freeze = f_dom_freeze,
	.dom_kill = f_dom_kill,
	.map_xpage = f_map_xpage,
	.tsc_khz = f_tsc_khz,
	.vcpu_init = f_vcpu_init,
	.vcpu_dispose = f_vcpu_dispose,
	.vcpu_set_boot = f_vcpu_set_boot,
	.vcpu_thread_init = f_vcpu_thread_init,
	.vcpu_run = f_vcpu_run,
	.vcpu_kick = f_vcpu_kick,
	.vcpu_kick_ack = f_vcpu_kick_ack,
	.inject_upcall = f_inject_upcall,
	.guest_mode = f_guest_mode,
	.upcall_vector = true,
	.set_event_callback = f_set_event_callback,
};

struct domain *fake_dom_new(unsigned nr_vcpus)
{
	struct domain *d = calloc(1, sizeof(*d));

	ck_assert_ptr_nonnull(d);
	d->domid = FAKE_DOMID;
	d->type = PVX_TYPE_PVH;
	d->plat = &fake_platform;
	pthread_mutex_init(&d->lock, NULL);
	pthread_cond_init(&d->cond, NULL);
	d->state = PVX_DOM_RUNNING;
	d->shutdown_reason = -1;
	d->vm.fd = -1;
	d->vm.memfd = memfd_create("fake", MFD_CLOEXEC);
	ck_assert_int_ge(d->vm.memfd, 0);
	d->vm.mem_size = FAKE_RAM + 5 * PVX_PAGE_SIZE;
	ck_assert_int_eq(ftruncate(d->vm.memfd, (off_t)d->vm.mem_size), 0);
	d->vm.mem = mmap(NULL, d->vm.mem_size, PROT_READ | PROT_WRITE,
			 MAP_SHARED, d->vm.memfd, 0);
	ck_assert(d->vm.mem != MAP_FAILED);
	d->vm.ram_bytes = FAKE_RAM;
	d->vm.special = d->vm.mem + FAKE_RAM;
	d->vm.xpage = d->vm.special + 4 * PVX_PAGE_SIZE;
	d->view.r[0] = (struct gmem_region){ 0, FAKE_RAM, d->vm.mem };
	d->view.r[1] = (struct gmem_region){ PVX_SPECIAL_GPA, 4 * PVX_PAGE_SIZE,
					     d->vm.special };
	d->view.n = 2;
	d->shinfo = (struct shared_info *)d->vm.xpage;
	d->nr_pages = FAKE_RAM / PVX_PAGE_SIZE;
	d->maxmem_bytes = FAKE_RAM;
	d->ram_pages = d->nr_pages;
	d->released = calloc(d->nr_pages / 8 + 1, 1);
	ck_assert_int_eq(textring_init(&d->log, 4096), 0);
	d->nr_vcpus = nr_vcpus;
	d->vcpus = calloc(nr_vcpus, sizeof(*d->vcpus));
	for (unsigned i = 0; i < nr_vcpus; i++) {
		d->vcpus[i].d = d;
		d->vcpus[i].id = i;
		d->vcpus[i].fd = d->vcpus[i].wake_fd = d->vcpus[i].timer_fd = -1;
		d->vcpus[i].run = calloc(1, sizeof(struct kvm_run));
	}
	d->create_mono_ns = mono_ns();
	return d;
}

void fake_dom_free(struct domain *d)
{
	munmap(d->vm.mem, d->vm.mem_size);
	close(d->vm.memfd);
	textring_dispose(&d->log);
	free(d->released);
	for (unsigned i = 0; i < d->nr_vcpus; i++)
		free(d->vcpus[i].run);
	free(d->vcpus);
	free(d);
}

void fake_ctx(struct hc_ctx *c, struct domain *d, uint64_t nr,
	      uint64_t a0, uint64_t a1, uint64_t a2)
{
	memset(c, 0, sizeof(*c));
	c->d = d;
	c->v = &d->vcpus[0];
	c->nr = nr;
	c->arg[0] = a0;
	c->arg[1] = a1;
	c->arg[2] = a2;
	c->have_mode = true;
	c->mode.cr0 = X86_CR0_PE; /* paging off: GVA = GPA */
	c->mode.cpl = 0;
}

long fake_call(struct domain *d, uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
	struct hc_ctx c;

	fake_ctx(&c, d, nr, a0, a1, a2);
	return hcall_dispatch(&c);
}
