/*
 * Fake domains for unit tests (see harness.h).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "harness.h"

struct domain *fake_dom_new(unsigned nr_vcpus)
{
	struct domain *d = calloc(1, sizeof(*d));

	ck_assert_ptr_nonnull(d);
	d->domid = FAKE_DOMID;
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
