/*
 * pvx list: xl's table (Name ID Mem VCPUs State Time(s)), a verbose
 * table (-v: UUID and shutdown reason), or JSON (-l/--json) whose schema
 * is documented in docs/cli.md and only ever grows.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include <pvx/ctlclient.h>

#include "cmd.h"
#include "select.h"

static void uuid_str(const uint8_t *u, char out[37])
{
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10],
		 u[11], u[12], u[13], u[14], u[15]);
}

/* Names are validated by pvxd, but JSON escaping must not trust that. */
static void json_str(const char *s)
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
	char uuid[37];

	printf("[");
	for (size_t i = 0; i < n; i++) {
		const struct pvx_ctl_dominfo *d = &v[i];
		const char *reason = pvx_reason_name(d->shutdown_reason);

		uuid_str(d->uuid, uuid);
		printf("%s\n  {\"domid\": %d, \"name\": ", i ? "," : "", d->domid);
		json_str(d->name);
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
		printf("\"shutdown_code\": %u}", d->shutdown_code);
	}
	printf("%s]\n", n ? "\n" : "");
}

static void print_table(const struct pvx_ctl_dominfo *v, size_t n, bool verbose)
{
	char flags[7], uuid[37];

	printf("%-32s %5s %6s %5s %6s %9s", "Name", "ID", "Mem", "VCPUs", "State", "Time(s)");
	printf(verbose ? "  %-36s %s\n" : "\n", "UUID", "Reason");
	for (size_t i = 0; i < n; i++) {
		const struct pvx_ctl_dominfo *d = &v[i];
		const char *reason = pvx_reason_name(d->shutdown_reason);

		pvx_state_flags(d->state, flags);
		printf("%-32s %5d %6llu %5u %6s %9.1f", d->name, d->domid,
		       (unsigned long long)d->mem_kib / 1024, d->vcpus, flags,
		       (double)d->cpu_time_ns / 1e9);
		if (verbose) {
			uuid_str(d->uuid, uuid);
			printf("  %-36s %s", uuid, reason ? reason : "-");
		}
		putchar('\n');
	}
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
	rc = pvx_select(c, argc - optind, argv + optind, &v, &n);
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
