/* pvx info: host and hypervisor facts in xl's "key : value" layout,
 * everything from one PVX_CTL_HELLO plus uname. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include <pvx/ctlclient.h>
#include <pvx/domtype.h>

#include "cmd.h"

static void kv(const char *k, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void kv(const char *k, const char *fmt, ...)
{
	va_list ap;

	printf("%-20s: ", k);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* "pvh pv", or with pvh missing why: "pv (no /dev/kvm: REASON)". A
 * pvxd that predates types runs pvh only (pvx_host_types). */
static void domain_types(const struct pvx_ctl_hello_rsp *h)
{
	uint32_t t = pvx_host_types(h);
	char buf[32];

	pvx_types_str(t, " ", buf, sizeof(buf));
	if (!h->types)
		kv("domain_types", "%s (pvxd reports no types: pvh only)", buf);
	else if (!(t & PVX_TYPE_BIT(PVX_TYPE_PVH)))
		kv("domain_types", "%s (no /dev/kvm: %s)", buf, h->kvm[0] ? h->kvm : "unknown");
	else
		kv("domain_types", "%s", buf);
}

int cmd_info(int argc, char **argv)
{
	struct pvx_ctl_hello_rsp h;
	struct utsname u;
	struct pvx_ctl *c;
	int rc;

	(void)argv;
	if (argc > 1)
		return pvx_usage_err("info", "takes no arguments");
	c = pvx_connect();
	if (!c)
		return 1;
	rc = pvx_ctl_hello(c, &h);
	pvx_ctl_close(c);
	if (rc < 0) {
		pvx_err("pvxd did not answer: %s", strerror(-rc));
		return 1;
	}
	uname(&u);
	kv("host", "%s", u.nodename);
	kv("release", "%s", u.release);
	kv("machine", "%s", u.machine);
	kv("nr_cpus", "%u", h.nr_cpus);
	kv("total_memory", "%llu", (unsigned long long)h.host_mem_kib / 1024);
	kv("free_memory", "%llu", (unsigned long long)h.free_mem_kib / 1024);
	kv("hypervisor", "pvxd (pid %u)", h.pid);
	kv("xen_version", "%u.%u%s", h.xen_major, h.xen_minor, h.extraversion);
	kv("xen_caps", "%s", h.caps);
	kv("virt_caps", "%s", h.kvm);
	domain_types(&h);
	kv("nr_domains", "%u", h.nr_domains);
	kv("control_protocol", "%u", h.version);
	kv("pvx_version", "%s", PVX_VERSION);
	kv("rundir", "%s", pvx_rundir());
	kv("logdir", "%s", pvx_logdir());
	return 0;
}
