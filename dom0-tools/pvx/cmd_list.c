/*
 * pvx list: xl's table (Name ID Mem VCPUs State Time(s)) plus the
 * domain type after xl's columns (scripts match those from the left),
 * a verbose table (-v: UUID and shutdown reason), or JSON
 * (-l/--json) whose schema is documented in docs/cli.md and only ever
 * grows.
 *
 * Like xl, the first row is Domain-0 (id 0): the host itself, which pvxd
 * does not list. Its figures come from PVX_CTL_HELLO: running, memory =
 * the host's total, vCPUs = the host's CPUs; CPU time is not accounted
 * (0) and its creation time is the host's boot (/proc/stat btime). It
 * has no domain type (DOM0_TYPE: "-" in the table, null in JSON).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pvx/ctlclient.h>
#include <pvx/domtype.h>
#include <pvx/xs.h>

#include "cmd.h"
#include "cmd_network.h"
#include "select.h"

#define DOM0_TYPE UINT32_MAX

static void uuid_str(const uint8_t *u, char out[37])
{
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10],
		 u[11], u[12], u[13], u[14], u[15]);
}

/* Names are validated by pvxd, but JSON escaping must not trust that. */
void pvx_json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\')
			printf("\\%c", ch);
		else if (ch < 0x20 || ch == 0x7f)
			printf("\\u%04x", ch);
		else
			putchar(ch);
	}
	putchar('"');
}

static void print_json(const struct pvx_ctl_dominfo *v, size_t n)
{
	struct pvx_net_stats *st = NULL;
	struct xs_handle *xs = NULL;
	size_t nst = 0;
	char uuid[37];

	/* No pvx-netback: no counters; no pvxstored: no vifs. Not errors. */
	if (pvx_net_stats_read(&st, &nst) < 0)
		nst = 0;
	if (xs_open(&xs) < 0)
		xs = NULL;
	printf("[");
	for (size_t i = 0; i < n; i++) {
		const struct pvx_ctl_dominfo *d = &v[i];
		const char *reason = pvx_reason_name(d->shutdown_reason);

		uuid_str(d->uuid, uuid);
		printf("%s\n  {\"domid\": %d, \"name\": ", i ? "," : "", d->domid);
		pvx_json_str(d->name);
		printf(", \"uuid\": \"%s\", \"state\": \"%s\", ", uuid, pvx_state_name(d->state));
		printf("\"memory_kib\": %llu, \"maxmem_kib\": %llu, ",
		       (unsigned long long)d->mem_kib, (unsigned long long)d->maxmem_kib);
		printf("\"vcpus\": %u, \"vcpus_online\": %u, ", d->vcpus, d->vcpus_online);
		printf("\"cpu_time_ns\": %llu, \"create_time_ns\": %llu, ",
		       (unsigned long long)d->cpu_time_ns, (unsigned long long)d->create_time_ns);
		if (reason)
			printf("\"shutdown_reason\": \"%s\", ", reason);
		else
			printf("\"shutdown_reason\": null, ");
		printf("\"shutdown_code\": %u, ", d->shutdown_code);
		if (pvx_type_name(d->type))
			printf("\"type\": \"%s\", ", pvx_type_name(d->type));
		else
			printf("\"type\": null, ");
		pvx_net_json_vifs(xs, d->domid, st, nst);
		putchar('}');
	}
	printf("%s]\n", n ? "\n" : "");
	xs_close(xs);
	free(st);
}

static const char *type_col(uint32_t type)
{
	const char *name = pvx_type_name(type);

	return name ? name : type == DOM0_TYPE ? "-" : "?";
}

static void print_table(const struct pvx_ctl_dominfo *v, size_t n, bool verbose)
{
	char flags[7], uuid[37];

	printf("%-32s %5s %6s %5s %6s %9s %-4s", "Name", "ID", "Mem", "VCPUs", "State",
	       "Time(s)", "Type");
	printf(verbose ? "  %-36s %s\n" : "\n", "UUID", "Reason");
	for (size_t i = 0; i < n; i++) {
		const struct pvx_ctl_dominfo *d = &v[i];
		const char *reason = pvx_reason_name(d->shutdown_reason);

		pvx_state_flags(d->state, flags);
		printf("%-32s %5d %6llu %5u %6s %9.1f", d->name, d->domid,
		       (unsigned long long)d->mem_kib / 1024, d->vcpus, flags,
		       (double)d->cpu_time_ns / 1e9);
		printf(verbose ? " %-4s" : " %s", type_col(d->type));
		if (verbose) {
			uuid_str(d->uuid, uuid);
			printf("  %-36s %s", uuid, reason ? reason : "-");
		}
		putchar('\n');
	}
}

static uint64_t boot_time_ns(void)
{
	FILE *f = fopen("/proc/stat", "re");
	char line[256];
	unsigned long long t = 0;

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "btime %llu", &t) == 1)
			break;
	if (f)
		fclose(f);
	return (uint64_t)t * 1000000000ull;
}

static int dom0_info(struct pvx_ctl *c, struct pvx_ctl_dominfo *d)
{
	struct pvx_ctl_hello_rsp h;
	int rc = pvx_ctl_hello(c, &h);

	if (rc < 0) {
		pvx_err("cannot ask pvxd about the host: %s", strerror(-rc));
		return rc;
	}
	memset(d, 0, sizeof(*d));
	snprintf(d->name, sizeof(d->name), "Domain-0");
	d->state = PVX_DOM_RUNNING;
	d->shutdown_reason = -1;
	d->type = DOM0_TYPE;
	d->mem_kib = d->maxmem_kib = h.host_mem_kib;
	d->vcpus = d->vcpus_online = h.nr_cpus;
	d->create_time_ns = boot_time_ns();
	return 0;
}

static bool names_dom0(const char *arg)
{
	return strcmp(arg, "0") == 0 || strcmp(arg, "Domain-0") == 0;
}

/* Domain-0, then every domain pvxd has. */
static int all_rows(struct pvx_ctl *c, struct pvx_ctl_dominfo **out, size_t *n)
{
	struct pvx_ctl_dominfo *v, *doms;
	size_t k;
	int rc = pvx_select(c, 0, NULL, &doms, &k);

	if (rc < 0)
		return rc;
	v = calloc(k + 1, sizeof(*v));
	rc = v ? dom0_info(c, &v[0]) : -ENOMEM;
	if (rc == 0)
		memcpy(&v[1], doms, k * sizeof(*v));
	free(doms);
	if (rc < 0) {
		free(v);
		return rc;
	}
	*out = v;
	*n = k + 1;
	return 0;
}

/* The named domains in order ("0" and "Domain-0" name the host). */
static int named_rows(struct pvx_ctl *c, int nargs, char **args,
		      struct pvx_ctl_dominfo **out, size_t *n)
{
	struct pvx_ctl_dominfo *v = calloc((size_t)nargs, sizeof(*v)), *one;
	size_t k;
	int rc = v ? 0 : -ENOMEM;

	for (int i = 0; rc == 0 && i < nargs; i++) {
		if (names_dom0(args[i])) {
			rc = dom0_info(c, &v[i]);
			continue;
		}
		rc = pvx_select(c, 1, &args[i], &one, &k);
		if (rc == 0) {
			v[i] = one[0];
			free(one);
		}
	}
	if (rc < 0) {
		free(v);
		return rc;
	}
	*out = v;
	*n = (size_t)nargs;
	return 0;
}

int cmd_list(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'l' }, { "long", no_argument, NULL, 'l' },
		{ "verbose", no_argument, NULL, 'v' }, { NULL, 0, NULL, 0 },
	};
	struct pvx_ctl_dominfo *v;
	struct pvx_ctl *c;
	bool json = false, verbose = false;
	size_t n;
	int opt, rc;

	optind = 0;
	while ((opt = getopt_long(argc, argv, "+lv", opts, NULL)) != -1) {
		if (opt == 'l')
			json = true;
		else if (opt == 'v')
			verbose = true;
		else
			return pvx_usage_err("list", "unknown option");
	}
	c = pvx_connect();
	if (!c)
		return 1;
	rc = argc == optind ? all_rows(c, &v, &n)
			    : named_rows(c, argc - optind, argv + optind, &v, &n);
	pvx_ctl_close(c);
	if (rc < 0)
		return 1;
	if (json)
		print_json(v, n);
	else
		print_table(v, n, verbose);
	free(v);
	return 0;
}
