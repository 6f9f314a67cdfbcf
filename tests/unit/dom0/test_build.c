/*
 * pvx_build_domain against a scripted pvxd: a good build leaves a paused
 * or running domain whose memory holds the kernel and boot data and
 * whose HVM params point at the special pages; every failure, before or
 * after the domain exists, leaves no domain behind.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <pvx/builder.h>
#include <pvx/config.h>
#include <pvx/pv.h>
#include <xen/public/hvm/params.h>

#include "elf_fixture.h"
#include "fake_server.h"
#include "suites.h"

#define MEM_MIB 4

struct fake_pvxd {
	int memfd;            /* the one domain's memory, -1 if none */
	int32_t domid;        /* live domain, or -1 */
	char name[PVX_NAME_MAX];
	uint16_t fail_op;     /* this op answers -EIO */
	int fail_rc;          /* ... or this errno when set */
	uint64_t free_kib;
	uint32_t host_types;  /* hello.types (0: a pvxd that predates them) */
	uint32_t create_type; /* what the create request asked for */
	uint64_t params[64];
	int unpaused, destroyed, created;
	struct pvx_ctl_boot_req boot;
};

static void do_create(int fd, const struct pvx_ctl_hdr *req, const void *p,
		      struct fake_pvxd *f)
{
	struct pvx_ctl_create_req cr;
	struct pvx_ctl_create_rsp rsp = { .domid = 3 };

	memcpy(&cr, p, sizeof(cr));
	f->create_type = cr.type;
	f->memfd = memfd_create("dom", 0);
	ck_assert_int_eq(ftruncate(f->memfd, (off_t)(cr.mem_kib * 1024 +
						     PVX_SPECIAL_PAGES * 4096)), 0);
	f->domid = 3;
	f->created++;
	snprintf(f->name, sizeof(f->name), "%s", cr.name);
	fake_reply(fd, req, 0, &rsp, sizeof(rsp), NULL, 0);
}

static void do_list(int fd, const struct pvx_ctl_hdr *req, struct fake_pvxd *f)
{
	struct pvx_ctl_dominfo d = { .domid = 9, .name = "taken" };

	fake_reply(fd, req, 0, &d, sizeof(d), NULL, 0);
	(void)f;
}

static void do_memfd(int fd, const struct pvx_ctl_hdr *req, struct fake_pvxd *f)
{
	struct pvx_ctl_memfd_rsp r = {
		.memfd_size = (MEM_MIB << 20) + PVX_SPECIAL_PAGES * 4096,
		.ram_bytes = MEM_MIB << 20, .special_gpa = PVX_SPECIAL_GPA,
		.special_offset = MEM_MIB << 20, .special_pages = PVX_SPECIAL_PAGES,
	};

	fake_reply(fd, req, 0, &r, sizeof(r), &f->memfd, 1);
}

static void handler(int fd, const struct pvx_ctl_hdr *req, const void *p, void *opaque)
{
	struct fake_pvxd *f = opaque;
	struct pvx_ctl_hello_rsp h = { .version = PVX_CTL_VERSION, .free_mem_kib = f->free_kib,
				       .types = f->host_types, .kvm = "no kvm here" };
	struct pvx_ctl_port_rsp port = { .port = 1 + (uint32_t)f->params[63]++ };
	struct pvx_ctl_hvm_param hp;

	if (req->op == f->fail_op) {
		fake_reply(fd, req, f->fail_rc ? f->fail_rc : -EIO, NULL, 0, NULL, 0);
		return;
	}
	switch (req->op) {
	case PVX_CTL_HELLO: fake_reply(fd, req, 0, &h, sizeof(h), NULL, 0); return;
	case PVX_CTL_LIST: do_list(fd, req, f); return;
	case PVX_CTL_CREATE: do_create(fd, req, p, f); return;
	case PVX_CTL_GET_MEMFD: do_memfd(fd, req, f); return;
	case PVX_CTL_EVTCHN_ALLOC_UNBOUND:
		fake_reply(fd, req, 0, &port, sizeof(port), NULL, 0);
		return;
	case PVX_CTL_SET_HVM_PARAM:
		memcpy(&hp, p, sizeof(hp));
		if (hp.index < 63)
			f->params[hp.index] = hp.value;
		break;
	case PVX_CTL_SET_BOOT: memcpy(&f->boot, p, sizeof(f->boot)); break;
	case PVX_CTL_UNPAUSE: f->unpaused++; break;
	case PVX_CTL_DESTROY: f->destroyed++; f->domid = -1; break;
	}
	fake_reply(fd, req, 0, NULL, 0, NULL, 0);
}

static char kernel_path[64];

#define FX_PV_ENTRY (FX_ENTRY + 0x20)

/* The fixture kernel: pvh only, or pvh + pv (entry FX_PV_ENTRY). */
static void write_kernel_as(bool pv)
{
	struct fx_elf e;
	FILE *fp;

	snprintf(kernel_path, sizeof(kernel_path), "/tmp/pvx-ut-kernel.%d", getpid());
	fx_elf_init(&e);
	if (pv)
		fx_elf_add_pv(&e, FX_PV_ENTRY);
	fp = fopen(kernel_path, "w");
	ck_assert_ptr_nonnull(fp);
	ck_assert_uint_eq(fwrite(&e, sizeof(e), 1, fp), 1);
	fclose(fp);
}

static void write_kernel(void)
{
	write_kernel_as(false);
}

static void cfg_init(struct pvx_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->name = (char *)"guest";
	cfg->kernel = kernel_path;
	cfg->cmdline = (char *)"program=hello";
	cfg->memory_mib = MEM_MIB;
	cfg->maxmem_mib = MEM_MIB;
	cfg->vcpus = 1;
}

static struct fake_server *start(struct fake_pvxd *f, struct pvx_ctl **c)
{
	memset(f, 0, sizeof(*f));
	f->memfd = -1;
	f->domid = -1;
	f->free_kib = 1 << 20;
	write_kernel();
	return fake_server_start(handler, f, c);
}

static void stop(struct fake_server *s, struct pvx_ctl *c, struct fake_pvxd *f)
{
	fake_server_stop(s, c);
	if (f->memfd >= 0)
		close(f->memfd);
	unlink(kernel_path);
}

START_TEST(good_build)
{
	struct fake_pvxd f;
	struct pvx_ctl *c;
	struct fake_server *s = start(&f, &c);
	struct pvx_config cfg;
	struct pvx_build_opts o = { 0 };
	struct pvx_build_result r;
	char err[256] = "";
	uint8_t *ram;
	struct hvm_start_info si;

	cfg_init(&cfg);
	ck_assert_msg(pvx_build_domain(c, &cfg, &o, &r, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(r.domid, 3);
	ck_assert_int_eq(f.unpaused, 1);
	ck_assert_int_eq(f.destroyed, 0);
	ck_assert_uint_eq(f.boot.entry, FX_ENTRY);
	ck_assert_uint_eq(f.boot.start_info_gpa, PVX_BOOT_INFO_GPA);
	/* A pvxd without types runs pvh only; the kernel is pvh only. */
	ck_assert_uint_eq(f.create_type, PVX_TYPE_PVH);
	ck_assert_uint_eq(r.type, PVX_TYPE_PVH);
	ck_assert_str_eq(r.type_why, "kernel supports pvh only; host runs pvh");
	ck_assert_uint_eq(f.params[HVM_PARAM_CONSOLE_PFN], PVX_SPECIAL_GPA >> 12);
	ck_assert_uint_eq(f.params[HVM_PARAM_STORE_PFN], (PVX_SPECIAL_GPA >> 12) + 1);
	ck_assert_uint_eq(f.params[HVM_PARAM_CONSOLE_EVTCHN], r.console_port);
	ck_assert_uint_eq(f.params[HVM_PARAM_STORE_EVTCHN], r.store_port);
	ck_assert_uint_ne(r.console_port, r.store_port);
	ram = mmap(NULL, MEM_MIB << 20, PROT_READ, MAP_SHARED, f.memfd, 0);
	ck_assert_ptr_ne(ram, MAP_FAILED);
	memcpy(&si, ram + PVX_BOOT_INFO_GPA, sizeof(si));
	ck_assert_uint_eq(si.magic, XEN_HVM_START_MAGIC_VALUE);
	ck_assert_str_eq((char *)ram + si.cmdline_paddr, "program=hello");
	ck_assert_uint_eq(ram[FX_TEXT_PADDR], 0x90);
	munmap(ram, MEM_MIB << 20);
	stop(s, c, &f);
}
END_TEST

START_TEST(ramdisk_build)
{
	struct fake_pvxd f;
	struct pvx_ctl *c;
	struct fake_server *s = start(&f, &c);
	struct pvx_config cfg;
	struct pvx_build_opts o = { 0 };
	struct pvx_build_result r;
	struct hvm_start_info si;
	struct hvm_modlist_entry mod;
	char err[256] = "", path[64];
	uint8_t *ram;
	FILE *fp;

	snprintf(path, sizeof(path), "/tmp/pvx-ut-initrd.%d", getpid());
	fp = fopen(path, "w");
	ck_assert_ptr_nonnull(fp);
	fputs("070701 an initramfs", fp);
	fclose(fp);
	cfg_init(&cfg);
	cfg.ramdisk = path;
	ck_assert_msg(pvx_build_domain(c, &cfg, &o, &r, err, sizeof(err)) == 0, "%s", err);
	ram = mmap(NULL, MEM_MIB << 20, PROT_READ, MAP_SHARED, f.memfd, 0);
	ck_assert_ptr_ne(ram, MAP_FAILED);
	memcpy(&si, ram + PVX_BOOT_INFO_GPA, sizeof(si));
	ck_assert_uint_eq(si.nr_modules, 1);
	memcpy(&mod, ram + si.modlist_paddr, sizeof(mod));
	ck_assert_uint_eq(mod.size, 19);
	ck_assert_uint_eq(mod.paddr % 4096, 0);
	ck_assert_uint_ge(mod.paddr, FX_DATA_PADDR + FX_DATA_MEMSZ);
	ck_assert_int_eq(memcmp(ram + mod.paddr, "070701 an initramfs", 19), 0);
	munmap(ram, MEM_MIB << 20);
	/* A missing ramdisk fails before any domain exists. */
	cfg.ramdisk = (char *)"/nonexistent/initrd";
	ck_assert_int_eq(pvx_build_domain(c, &cfg, &o, &r, err, sizeof(err)), -ENOENT);
	ck_assert_str_eq(err, "ramdisk '/nonexistent/initrd': No such file or directory");
	ck_assert_int_eq(f.created, 1);
	unlink(path);
	stop(s, c, &f);
}
END_TEST

START_TEST(paused_build)
{
	struct fake_pvxd f;
	struct pvx_ctl *c;
	struct fake_server *s = start(&f, &c);
	struct pvx_config cfg;
	struct pvx_build_opts o = { .paused = true };
	struct pvx_build_result r;
	char err[256] = "";

	cfg_init(&cfg);
	ck_assert_int_eq(pvx_build_domain(c, &cfg, &o, &r, err, sizeof(err)), 0);
	ck_assert_int_eq(f.unpaused, 0);
	stop(s, c, &f);
}
END_TEST

/* Failures after the domain exists: each must destroy it. */
static const uint16_t late_fail[] = {
	PVX_CTL_GET_MEMFD, PVX_CTL_EVTCHN_ALLOC_UNBOUND, PVX_CTL_SET_HVM_PARAM,
	PVX_CTL_SET_BOOT, PVX_CTL_UNPAUSE,
};

START_TEST(late_failure_destroys)
{
	struct fake_pvxd f;
	struct pvx_ctl *c;
	struct fake_server *s = start(&f, &c);
	struct pvx_config cfg;
	struct pvx_build_opts o = { 0 };
	struct pvx_build_result r;
	char err[256] = "";

	cfg_init(&cfg);
	f.fail_op = late_fail[_i];
	ck_assert_int_eq(pvx_build_domain(c, &cfg, &o, &r, err, sizeof(err)), -EIO);
	ck_assert_int_eq(f.created, 1);
	ck_assert_int_eq(f.destroyed, 1);
	ck_assert_int_eq(r.domid, -1);
	ck_assert_ptr_null(strchr(err, '\n'));
	ck_assert_uint_gt(strlen(err), 10);
	stop(s, c, &f);
}
END_TEST

static int hook_fails(const struct pvx_build_result *r, const char *name, void *opaque,
		      char *err, size_t len)
{
	(void)opaque;
	/* The hook sees the finished wiring, before the domain runs. */
	ck_assert_int_eq(r->domid, 3);
	ck_assert_uint_eq(r->console_pfn, PVX_SPECIAL_GPA >> 12);
	ck_assert_uint_eq(r->store_pfn, (PVX_SPECIAL_GPA >> 12) + 1);
	ck_assert_uint_ne(r->store_port, 0);
	snprintf(err, len, "console daemon refused %s", name);
	return -ECONNREFUSED;
}

START_TEST(hook_failure_destroys)
{
	struct fake_pvxd f;
	struct pvx_ctl *c;
	struct fake_server *s = start(&f, &c);
	struct pvx_config cfg;
	struct pvx_build_opts o = { .pre_unpause = hook_fails };
	struct pvx_build_result r;
	char err[256] = "";

	cfg_init(&cfg);
	ck_assert_int_eq(pvx_build_domain(c, &cfg, &o, &r, err, sizeof(err)), -ECONNREFUSED);
	ck_assert_str_eq(err, "console daemon refused guest");
	ck_assert_int_eq(f.destroyed, 1);
	ck_assert_int_eq(f.unpaused, 0);
	stop(s, c, &f);
}
END_TEST

/* Failures before the domain exists: nothing is created at all. */
START_TEST(early_failures_create_nothing)
{
	struct fake_pvxd f;
	struct pvx_ctl *c;
	struct fake_server *s = start(&f, &c);
	struct pvx_config cfg;
	struct pvx_build_opts o = { 0 };
	struct pvx_build_result r;
	char err[256];

	cfg_init(&cfg);
	cfg.kernel = (char *)"/nonexistent/kernel";
	ck_assert_int_eq(pvx_build_domain(c, &cfg, &o, &r, err, sizeof(err)), -ENOENT);
	ck_assert_str_eq(err, "kernel '/nonexistent/kernel': No such file or directory");
	cfg.kernel = (char *)"/etc/hostname";
	ck_assert_int_eq(pvx_build_domain(c, &cfg, &o, &r, err, sizeof(err)), -ENOEXEC);
	ck_assert_str_eq(err, "kernel '/etc/hostname': not an ELF file");
	cfg.kernel = kernel_path;
	cfg.memory_mib = 2048; /* the fake host has 1 GiB free */
	ck_assert_int_eq(pvx_build_domain(c, &cfg, &o, &r, err, sizeof(err)), -ENOMEM);
	ck_assert_ptr_nonnull(strstr(err, "more than the host has available (1024 MiB)"));
	f.free_kib = 64ull << 30; /* a big host: now RAM's own limit speaks */
	cfg.memory_mib = 8192;
	ck_assert_int_eq(pvx_build_domain(c, &cfg, &o, &r, err, sizeof(err)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "outside the supported 2..4076 MiB"));
	cfg.memory_mib = MEM_MIB;
	cfg.name = (char *)"taken";
	ck_assert_int_eq(pvx_build_domain(c, &cfg, &o, &r, err, sizeof(err)), -EEXIST);
	ck_assert_str_eq(err, "domain name 'taken' is already in use (domain 9)");
	cfg.name = (char *)"guest";
	cfg.memory_mib = 1;
	ck_assert_int_eq(pvx_build_domain(c, &cfg, &o, &r, err, sizeof(err)), -EINVAL);
	ck_assert_int_eq(f.created, 0);
	ck_assert_int_eq(f.destroyed, 0);
	stop(s, c, &f);
}
END_TEST

/* A pv-only host and a pvh + pv kernel: built as pv, entered at the pv
 * note's entry with the same start_info; boot data above the pv floor. */
START_TEST(pv_build)
{
	struct fake_pvxd f;
	struct pvx_ctl *c;
	struct fake_server *s = start(&f, &c);
	struct pvx_config cfg;
	struct pvx_build_opts o = { 0 };
	struct pvx_build_result r;
	struct hvm_start_info si;
	struct hvm_memmap_table_entry m0;
	char err[256] = "";
	uint8_t *ram;

	write_kernel_as(true);
	f.host_types = PVX_TYPE_BIT(PVX_TYPE_PV);
	cfg_init(&cfg);
	ck_assert_msg(pvx_build_domain(c, &cfg, &o, &r, err, sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(f.create_type, PVX_TYPE_PV);
	ck_assert_uint_eq(r.type, PVX_TYPE_PV);
	ck_assert_str_eq(r.type_why, "no usable /dev/kvm on this host; kernel supports pvh, pv");
	ck_assert_uint_eq(f.boot.entry, FX_PV_ENTRY);
	ck_assert_uint_eq(r.entry, FX_PV_ENTRY);
	ck_assert_uint_eq(f.boot.start_info_gpa, PVX_BOOT_INFO_GPA);
	ck_assert_uint_ge(f.boot.start_info_gpa, PVX_PV_RAM_FLOOR);
	ram = mmap(NULL, MEM_MIB << 20, PROT_READ, MAP_SHARED, f.memfd, 0);
	ck_assert_ptr_ne(ram, MAP_FAILED);
	memcpy(&si, ram + PVX_BOOT_INFO_GPA, sizeof(si));
	ck_assert_uint_eq(si.magic, XEN_HVM_START_MAGIC_VALUE);
	memcpy(&m0, ram + si.memmap_paddr, sizeof(m0));
	ck_assert_uint_eq(m0.addr, PVX_PV_RAM_FLOOR); /* nothing below it on pv */
	munmap(ram, MEM_MIB << 20);
	/* Both on the host: pvh preferred; the config can ask for pv. */
	f.host_types = PVX_TYPE_BIT(PVX_TYPE_PV) | PVX_TYPE_BIT(PVX_TYPE_PVH);
	ck_assert_int_eq(pvx_build_domain(c, &cfg, &o, &r, err, sizeof(err)), 0);
	ck_assert_uint_eq(f.create_type, PVX_TYPE_PVH);
	ck_assert_uint_eq(f.boot.entry, FX_ENTRY);
	cfg.type = (char *)"pv";
	ck_assert_int_eq(pvx_build_domain(c, &cfg, &o, &r, err, sizeof(err)), 0);
	ck_assert_uint_eq(f.create_type, PVX_TYPE_PV);
	ck_assert_uint_eq(f.boot.entry, FX_PV_ENTRY);
	ck_assert_str_eq(r.type_why, "from the config");
	stop(s, c, &f);
}
END_TEST

/* The type errors come before any domain exists; pvxd's -ENODEV at
 * create (it cannot run the type after all) is the same kind of line. */
START_TEST(type_errors)
{
	struct fake_pvxd f;
	struct pvx_ctl *c;
	struct fake_server *s = start(&f, &c);
	struct pvx_config cfg;
	struct pvx_build_opts o = { 0 };
	struct pvx_build_result r;
	char err[512] = "";

	cfg_init(&cfg);
	f.host_types = PVX_TYPE_BIT(PVX_TYPE_PV);   /* the kernel is pvh only */
	ck_assert_int_eq(pvx_build_domain(c, &cfg, &o, &r, err, sizeof(err)), -ENODEV);
	ck_assert_ptr_nonnull(strstr(err, "runs as pvh, this host runs pv (no usable "
				     "/dev/kvm: no kvm here): no type both can run"));
	cfg.type = (char *)"pvh";
	ck_assert_int_eq(pvx_build_domain(c, &cfg, &o, &r, err, sizeof(err)), -ENODEV);
	ck_assert_ptr_nonnull(strstr(err, "type \"pvh\" needs KVM"));
	cfg.type = (char *)"pv";
	ck_assert_int_eq(pvx_build_domain(c, &cfg, &o, &r, err, sizeof(err)), -ENOEXEC);
	ck_assert_ptr_nonnull(strstr(err, "cannot run as type \"pv\": it has no pvx pv entry note"));
	ck_assert_int_eq(f.created, 0);
	cfg.type = NULL;
	f.host_types = 0;
	f.fail_op = PVX_CTL_CREATE;
	f.fail_rc = -ENODEV;
	ck_assert_int_eq(pvx_build_domain(c, &cfg, &o, &r, err, sizeof(err)), -ENODEV);
	ck_assert_str_eq(err, "pvxd cannot run type \"pvh\" domains on this host (kvm: no kvm "
			 "here): use type = \"pv\"");
	ck_assert_int_eq(r.domid, -1);
	ck_assert_int_eq(f.destroyed, 0);
	stop(s, c, &f);
}
END_TEST

Suite *make_build_suite(void)
{
	Suite *s = suite_create("build");
	TCase *t = tcase_create("core");

	tcase_add_test(t, good_build);
	tcase_add_test(t, ramdisk_build);
	tcase_add_test(t, paused_build);
	tcase_add_loop_test(t, late_failure_destroys, 0, sizeof(late_fail) / sizeof(late_fail[0]));
	tcase_add_test(t, hook_failure_destroys);
	tcase_add_test(t, early_failures_create_nothing);
	tcase_add_test(t, pv_build);
	tcase_add_test(t, type_errors);
	suite_add_tcase(s, t);
	return s;
}
