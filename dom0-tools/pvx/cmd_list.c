/*
 * pvx list: xl's table (Name ID Mem VCPUs State Time(s)) plus the
 * domain type after xl's columns (scripts match those from the left and
 * the type at the end of the line); -v adds the balloon target
 * (memory/target, MiB; Mem is what the domain actually holds) and the
 * maximum,
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

#include <pvx/config.h>
#include <pvx/ctlclient.h>
#include <pvx/domtype.h>
#include <pvx/json.h>
#include <pvx/xs.h>

#include "cmd.h"
#include "cmd_network.h"
#include "select.h"

#define DOM0_TYPE UINT32_MAX

/* The balloon target (memory/target, KiB) or -1: Domain-0, no store, no
 * key, or not a number. */
static long long target_kib(struct xs_handle *xs, const struct pvx_ctl_dominfo *d)
{
	char path[64], *val = NULL, *end;
	long long kib = -1;

	if (!xs || d->type == DOM0_TYPE)
		return -1;
	snprintf(path, sizeof(path), "/local/domain/%d/memory/target", d->domid);
	if (xs_read(xs, XBT_NULL, path, &val, NULL) == 0 && val && *val) {
		kib = strtoll(val, &end, 10);
		if (*end || kib < 0)
			kib = -1;
	}
	free(val);
	return kib;
}

/* Names are validated by pvxd, but the output must not trust that:
 * pvx_json_string escapes anything and replaces bytes that are not
 * UTF-8. */
static json_t *json_dom(const struct pvx_ctl_dominfo *d, struct xs_handle *xs,
			const struct pvx_net_stats *st, size_t nst)
{
	const char *reason = pvx_reason_name(d->shutdown_reason);
	long long target = target_kib(xs, d);
	char uuid[PVX_UUID_CHARS + 1];

	pvx_uuid_format(d->uuid, uuid);
	return json_pack("{s:i, s:o, s:s, s:s, s:o, s:o, s:o, s:I, s:I, s:o, s:o, "
			 "s:o, s:I, s:o, s:o}",
			 "domid", (int)d->domid, "name", pvx_json_string(d->name),
			 "uuid", uuid, "state", pvx_state_name(d->state),
			 "memory_kib", pvx_json_u64(d->mem_kib),
			 "maxmem_kib", pvx_json_u64(d->maxmem_kib),
			 "target_kib", target >= 0 ? json_integer(target) : json_null(),
			 "vcpus", (json_int_t)d->vcpus, "vcpus_online", (json_int_t)d->vcpus_online,
			 "cpu_time_ns", pvx_json_u64(d->cpu_time_ns),
			 "create_time_ns", pvx_json_u64(d->create_time_ns),
			 "shutdown_reason", pvx_json_string(reason),
			 "shutdown_code", (json_int_t)d->shutdown_code,
			 "type", pvx_json_string(pvx_type_name(d->type)),
			 "vifs", pvx_net_json_vifs(xs, d->domid, st, nst));
}

static int print_json(const struct pvx_ctl_dominfo *v, size_t n)
{
	struct pvx_net_stats *st = NULL;
	struct xs_handle *xs = NULL;
	size_t nst = 0;
	json_t *doms = json_array();
	int rc = 0;

	/* No pvx-netback: no counters; no pvxstored: no vifs. Not errors. */
	if (pvx_net_stats_read(&st, &nst) < 0)
		nst = 0;
	if (xs_open(&xs) < 0)
		xs = NULL;
	for (size_t i = 0; i < n; i++)
		rc |= json_array_append_new(doms, json_dom(&v[i], xs, st, nst));
	xs_close(xs);
	free(st);
	if (rc) {
		json_decref(doms);
		doms = NULL;
	}
	rc = pvx_json_dump(stdout, doms, PVX_JSON_PRETTY, 1);
	if (rc < 0)
		pvx_err("cannot print the list: %s", strerror(-rc));
	return rc;
}

static const char *type_col(uint32_t type)
{
	const char *name = pvx_type_name(type);

	return name ? name : type == DOM0_TYPE ? "-" : "?";
}

static void print_table(const struct pvx_ctl_dominfo *v, size_t n, bool verbose)
{
	struct xs_handle *xs = NULL;
	char flags[7], uuid[PVX_UUID_CHARS + 1];

	if (!verbose || xs_open(&xs) < 0)
		xs = NULL;
	printf("%-32s %5s %6s %5s %6s %9s %-4s", "Name", "ID", "Mem", "VCPUs", "State",
	       "Time(s)", "Type");
	printf(verbose ? " %6s %6s  %-36s %s\n" : "\n", "Target", "MaxMem", "UUID", "Reason");
	for (size_t i = 0; i < n; i++) {
		const struct pvx_ctl_dominfo *d = &v[i];
		const char *reason = pvx_reason_name(d->shutdown_reason);
		long long t = target_kib(xs, d);

		pvx_state_flags(d->state, flags);
		printf("%-32s %5d %6llu %5u %6s %9.1f", d->name, d->domid,
		       (unsigned long long)d->mem_kib / 1024, d->vcpus, flags,
		       (double)d->cpu_time_ns / 1e9);
		printf(verbose ? " %-4s" : " %s", type_col(d->type));
		if (verbose && t >= 0)
			printf(" %6lld", t / 1024);
		else if (verbose)
			printf(" %6s", "-");
		if (verbose)
			printf(" %6llu", (unsigned long long)d->maxmem_kib / 1024);
		if (verbose) {
			pvx_uuid_format(d->uuid, uuid);
			printf("  %-36s %s", uuid, reason ? reason : "-");
		}
		putchar('\n');
	}
	xs_close(xs);
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
			return pvx_opt_err("list", "lv", argv);
	}
	c = pvx_connect();
	if (!c)
		return 1;
	rc = argc == optind ? all_rows(c, &v, &n)
			    : named_rows(c, argc - optind, argv + optind, &v, &n);
	pvx_ctl_close(c);
	if (rc < 0)
		return 1;
	rc = 0;
	if (json)
		rc = print_json(v, n);
	else
		print_table(v, n, verbose);
	free(v);
	return rc < 0;
}
