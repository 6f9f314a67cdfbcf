/*
 * pvx_build_domain: the domain builder's glue over pvxd (ARCHITECTURE §3
 * "Create"). Order matters for two reasons:
 *  - everything that can be checked without a domain (files, ELF, fit,
 *    the domain type, host memory, name) is checked first, so most
 *    mistakes cost nothing and leave nothing behind;
 *  - once pvxd created the domain, every later failure destroys it
 *    before returning: no half-built domain ever stays listed.
 * The domain stays paused until its console and xenstore pages, ports
 * and boot vCPU are set and the caller's pre_unpause hook (pvx-consoled)
 * ran, so not one byte of early console output can be missed.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include <pvx/builder.h>
#include <pvx/config.h>
#include <pvx/ctlclient.h>
#include <pvx/domtype.h>
#include <pvx/pv.h>
#include <xen/public/hvm/params.h>

#define MAX_KERNEL_FILE (1ull << 30)
#define MAX_RAMDISK_FILE (PVX_MAX_RAM_BYTES)

struct build {
	struct pvx_ctl *c;
	const struct pvx_config *cfg;
	const struct pvx_build_opts *o;
	struct pvx_build_result *res;
	char *err;
	size_t errlen;
	uint8_t *kernel, *ramdisk;
	size_t klen, rlen;
	struct pvx_elf_image img;
	struct pvx_ctl_hello_rsp hello;
	uint32_t type;             /* enum pvx_dom_type, once chosen */
	uint64_t ram_bytes, ramdisk_gpa;
	struct pvx_dom_mem mem;
};

static int fail(struct build *b, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(b->err, b->errlen, fmt, ap);
	va_end(ap);
	return rc;
}

static int read_image(struct build *b, const char *what, const char *path,
		      size_t max, uint8_t **out, size_t *len)
{
	int rc = pvx_read_file(path, max, out, len);

	if (rc == -EFBIG)
		return fail(b, rc, "%s '%s': file too large", what, path);
	if (rc < 0)
		return fail(b, rc, "%s '%s': %s", what, path, strerror(-rc));
	return 0;
}

/* The supported RAM range: the lower bound before anything else, the
 * upper one (RAM is one run below the APIC window) after the host check. */
static int check_memory(struct build *b, bool upper)
{
	uint64_t mib = b->cfg->memory_mib;

	if (!upper && mib << 20 >= PVX_MIN_RAM_BYTES)
		return 0;
	if (upper && mib <= PVX_MAX_RAM_BYTES >> 20)
		return 0;
	return fail(b, -EINVAL, "memory %llu MiB is outside the supported %llu..%llu MiB",
		    (unsigned long long)mib, PVX_MIN_RAM_BYTES >> 20, PVX_MAX_RAM_BYTES >> 20);
}

/* Files, ELF and layout: all checks that need no domain. */
static int prepare(struct build *b)
{
	char why[300];
	int rc;

	if (!b->cfg->kernel)
		return fail(b, -EINVAL, "no kernel given");
	rc = read_image(b, "kernel", b->cfg->kernel, MAX_KERNEL_FILE, &b->kernel, &b->klen);
	if (rc < 0)
		return rc;
	rc = pvx_elf_parse(b->kernel, b->klen, &b->img, why, sizeof(why));
	if (rc == 0)
		rc = pvx_elf_check_fit(&b->img, b->cfg->memory_mib << 20, why, sizeof(why));
	if (rc < 0)
		return fail(b, rc, "kernel '%s': %s", b->cfg->kernel, why);
	if (!b->cfg->ramdisk)
		return 0;
	rc = read_image(b, "ramdisk", b->cfg->ramdisk, MAX_RAMDISK_FILE, &b->ramdisk, &b->rlen);
	if (rc < 0)
		return rc;
	rc = pvx_boot_place_ramdisk(b->cfg->memory_mib << 20, b->img.hi, b->rlen, &b->ramdisk_gpa,
				    why, sizeof(why));
	if (rc < 0)
		return fail(b, rc, "ramdisk '%s': %s", b->cfg->ramdisk, why);
	return 0;
}

/* The host's facts (types, KVM, memory) from one HELLO, then the type:
 * the config's or the best one kernel and host share (domtype.c). */
static int choose_type(struct build *b)
{
	struct pvx_type_query q = {
		.want = b->cfg->type ? pvx_type_from_name(b->cfg->type) : -1,
		.kernel = b->cfg->kernel,
		.kernel_types = b->img.types,
		.kernel_linux = strcmp(b->img.guest_os, "linux") == 0,
	};
	char msg[512];
	size_t n;
	int rc = pvx_ctl_hello(b->c, &b->hello);

	if (rc < 0)
		return fail(b, rc, "pvxd: hello failed: %s", strerror(-rc));
	if (b->cfg->type && q.want < 0)
		return fail(b, -EINVAL, "unknown type \"%s\"", b->cfg->type);
	q.host_types = pvx_host_types(&b->hello);
	q.host_kvm = b->hello.kvm;
	rc = pvx_type_choose(&q, &b->type, msg, sizeof(msg));
	if (rc < 0)
		return fail(b, rc, "%s", msg);
	b->res->type = b->type;
	n = strnlen(msg, sizeof(b->res->type_why) - 1);
	memcpy(b->res->type_why, msg, n);
	b->res->type_why[n] = '\0';
	return 0;
}

/* A restore keeps the type the stream was saved as: the host must run it. */
static int restore_type(struct build *b)
{
	int t = b->cfg->type ? pvx_type_from_name(b->cfg->type) : -1;
	int rc = pvx_ctl_hello(b->c, &b->hello);

	if (rc < 0)
		return fail(b, rc, "pvxd: hello failed: %s", strerror(-rc));
	if (t < 0)
		return fail(b, -EINVAL, "restore: unknown type \"%s\"",
			    b->cfg->type ? b->cfg->type : "");
	if (!(pvx_host_types(&b->hello) & PVX_TYPE_BIT(t))) {
		char why[300];
		pvx_type_enodev_msg((uint32_t)t, b->hello.kvm, why, sizeof(why));
		return fail(b, -ENODEV, "%s", why);
	}
	b->type = (uint32_t)t;
	b->res->type = b->type;
	snprintf(b->res->type_why, sizeof(b->res->type_why), "as saved");
	return 0;
}

static int host_checks(struct build *b)
{
	int32_t other;
	int rc;

	if (b->cfg->memory_mib * 1024 > b->hello.free_mem_kib)
		return fail(b, -ENOMEM,
			    "memory %llu MiB is more than the host has available (%llu MiB)",
			    (unsigned long long)b->cfg->memory_mib,
			    (unsigned long long)(b->hello.free_mem_kib / 1024));
	rc = pvx_ctl_lookup(b->c, b->cfg->name, &other);
	if (rc == 0)
		return fail(b, -EEXIST, "domain name '%s' is already in use (domain %d)",
			    b->cfg->name, other);
	if (rc != -ESRCH)
		return fail(b, rc, "pvxd: list failed: %s", strerror(-rc));
	return 0;
}

/* xl gives a domain without a configured uuid a random (v4) one. */
static void random_uuid(uint8_t u[16])
{
	if (getrandom(u, 16, 0) != 16) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		for (int i = 0; i < 16; i++)
			u[i] = (uint8_t)((ts.tv_nsec >> (i % 4 * 8)) ^ (getpid() >> (i % 2 * 8)) ^ i);
	}
	u[6] = (uint8_t)((u[6] & 0x0f) | 0x40);
	u[8] = (uint8_t)((u[8] & 0x3f) | 0x80);
}

static int create(struct build *b)
{
	struct pvx_ctl_create_req req = { .vcpus = b->cfg->vcpus, .type = b->type };
	char why[300];
	int rc;

	if (strlen(b->cfg->name) >= sizeof(req.name))
		return fail(b, -ENAMETOOLONG, "domain name '%s' is longer than %d bytes",
			    b->cfg->name, PVX_NAME_MAX - 1);
	strcpy(req.name, b->cfg->name);
	if (b->cfg->have_uuid)
		memcpy(b->res->uuid, b->cfg->uuid, sizeof(req.uuid));
	else
		random_uuid(b->res->uuid);
	memcpy(req.uuid, b->res->uuid, sizeof(req.uuid));
	req.mem_kib = b->cfg->memory_mib * 1024;
	req.maxmem_kib = b->cfg->maxmem_mib * 1024;
	req.max_grant_frames = b->cfg->max_grant_frames;
	req.flags = b->o->restore ? PVX_CREATE_F_RESTORE : 0;
	if (b->o->restore && b->o->tied)
		req.flags |= PVX_CREATE_F_TIED;
	rc = pvx_ctl_create(b->c, &req, &b->res->domid);
	if (rc == -EEXIST)
		return fail(b, rc, "domain name '%s' is already in use", b->cfg->name);
	if (rc == -ENODEV) {
		pvx_type_enodev_msg(b->type, b->hello.kvm, why, sizeof(why));
		return fail(b, rc, "%s", why);
	}
	if (rc < 0)
		return fail(b, rc, "pvxd refused to create '%s': %s", b->cfg->name,
			    strerror(-rc));
	return 0;
}

/* Kernel, boot data and zeroed rings into the domain's memory. */
static int populate(struct build *b)
{
	struct pvx_boot_params bp = {
		.ram_bytes = b->ram_bytes, .cmdline = b->cfg->cmdline,
		.ramdisk_gpa = b->ramdisk_gpa, .ramdisk_size = b->rlen,
	};
	char why[200];
	int rc = pvx_dom_mem_map(b->c, b->res->domid, &b->mem);

	if (rc < 0)
		return fail(b, rc, "cannot map the domain's memory: %s", strerror(-rc));
	if (b->mem.ram_bytes != b->ram_bytes ||
	    b->mem.special_pages <= PVX_SPECIAL_XENSTORE)
		return fail(b, -EPROTO, "pvxd reported %llu bytes of RAM, expected %llu",
			    (unsigned long long)b->mem.ram_bytes,
			    (unsigned long long)b->ram_bytes);
	bp.ram_floor = b->type == PVX_TYPE_PV ? PVX_PV_RAM_FLOOR : 0;
	/* A LAPIC per vCPU exists only on pvh: only there a MADT. */
	bp.acpi_cpus = b->type == PVX_TYPE_PVH ? b->cfg->vcpus : 0;
	bp.special_gpa = b->mem.special_gpa;
	bp.special_pages = b->mem.special_pages;
	rc = pvx_boot_write(b->mem.base, &bp, why, sizeof(why));
	if (rc < 0)
		return fail(b, rc, "%s", why);
	pvx_elf_load(&b->img, b->kernel, b->mem.base, b->mem.fd);
	if (b->rlen)
		memcpy(b->mem.base + b->ramdisk_gpa, b->ramdisk, b->rlen);
	memset(b->mem.special + PVX_SPECIAL_CONSOLE * PVX_PAGE_SIZE, 0, PVX_PAGE_SIZE);
	memset(b->mem.special + PVX_SPECIAL_XENSTORE * PVX_PAGE_SIZE, 0, PVX_PAGE_SIZE);
	return 0;
}

/* Console and xenstore: unbound guest ports for Dom0, pfns in HVM params. */
static int wire(struct build *b)
{
	int32_t d = b->res->domid;
	uint64_t pfn0 = b->mem.special_gpa / PVX_PAGE_SIZE;
	const struct { uint32_t index; uint64_t value; } params[] = {
		{ HVM_PARAM_CONSOLE_PFN, pfn0 + PVX_SPECIAL_CONSOLE },
		{ HVM_PARAM_STORE_PFN, pfn0 + PVX_SPECIAL_XENSTORE },
	};
	int rc = pvx_ctl_evtchn_alloc_unbound(b->c, d, 0, &b->res->console_port);

	if (rc == 0)
		rc = pvx_ctl_evtchn_alloc_unbound(b->c, d, 0, &b->res->store_port);
	if (rc < 0)
		return fail(b, rc, "cannot allocate event channels: %s", strerror(-rc));
	for (size_t i = 0; i < sizeof(params) / sizeof(params[0]) && rc == 0; i++)
		rc = pvx_ctl_set_hvm_param(b->c, d, params[i].index, params[i].value);
	if (rc == 0)
		rc = pvx_ctl_set_hvm_param(b->c, d, HVM_PARAM_CONSOLE_EVTCHN,
					   b->res->console_port);
	if (rc == 0)
		rc = pvx_ctl_set_hvm_param(b->c, d, HVM_PARAM_STORE_EVTCHN,
					   b->res->store_port);
	if (rc < 0)
		return fail(b, rc, "cannot set HVM params: %s", strerror(-rc));
	b->res->entry = b->img.entry[b->type];
	b->res->console_pfn = params[0].value;
	b->res->store_pfn = params[1].value;
	if (b->o->restore)
		return 0; /* the vCPUs come from the saved state */
	/* pvh: ebx = start_info; pv: rsi = start_info (pvx/pv.h). The boot
	 * data sits above PVX_PV_RAM_FLOOR, so one layout serves both. */
	rc = pvx_ctl_set_boot(b->c, d, 0, b->res->entry, PVX_BOOT_INFO_GPA);
	if (rc < 0)
		return fail(b, rc, "cannot set the boot vCPU: %s", strerror(-rc));
	return 0;
}

static int start(struct build *b)
{
	int rc;

	if (b->o->pre_unpause) {
		rc = b->o->pre_unpause(b->res, b->cfg->name, b->o->opaque,
				       b->err, b->errlen);
		if (rc < 0)
			return rc;
	}
	if (b->o->paused)
		return 0;
	rc = pvx_ctl_unpause(b->c, b->res->domid);
	if (rc < 0)
		return fail(b, rc, "cannot unpause: %s", strerror(-rc));
	return 0;
}

int pvx_build_domain(struct pvx_ctl *c, const struct pvx_config *cfg,
		     const struct pvx_build_opts *o, struct pvx_build_result *res,
		     char *err, size_t errlen)
{
	struct build b = {
		.c = c, .cfg = cfg, .o = o, .res = res, .err = err, .errlen = errlen,
		/* RAM is laid out to maxmem; pvxd populates only `memory` of it
		 * and the guest balloons up to the rest (docs/memory.md). */
		.ram_bytes = (cfg->maxmem_mib > cfg->memory_mib ? cfg->maxmem_mib
								 : cfg->memory_mib) << 20,
		.mem = { .fd = -1 },
	};
	int rc;

	res->domid = -1;
	res->type_why[0] = '\0';
	rc = check_memory(&b, false);
	if (rc == 0 && !o->restore)
		rc = prepare(&b);
	if (rc == 0)
		rc = o->restore ? restore_type(&b) : choose_type(&b);
	/* The host's memory first: "more than the host has" is the better
	 * message when both limits are exceeded. */
	if (rc == 0 && !o->skip_host_checks)
		rc = host_checks(&b);
	if (rc == 0)
		rc = check_memory(&b, true);
	if (rc == 0)
		rc = create(&b);
	if (rc == 0 && !o->restore)
		rc = populate(&b);
	/* wire() needs where pvxd put the special pages. */
	if (rc == 0 && o->restore && (rc = pvx_dom_mem_map(c, res->domid, &b.mem)) < 0)
		fail(&b, rc, "cannot map the domain's memory: %s", strerror(-rc));
	pvx_dom_mem_unmap(&b.mem);
	if (rc == 0 && o->restore && o->fill)
		rc = o->fill(res, o->fill_opaque, err, errlen);
	if (rc == 0)
		rc = wire(&b);
	if (rc == 0)
		rc = start(&b);
	if (rc < 0 && res->domid > 0) {
		pvx_ctl_destroy(c, res->domid); /* leave nothing behind */
		if (o->on_destroy)
			o->on_destroy(res->domid, o->opaque);
		res->domid = -1;
	}
	free(b.kernel);
	free(b.ramdisk);
	return rc;
}
