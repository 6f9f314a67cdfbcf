/* pvx uptime [DOMAIN ...]: time since each domain was created. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <pvx/ctlclient.h>

#include "cmd.h"
#include "select.h"

static void print_span(uint64_t secs)
{
	uint64_t d = secs / 86400, h = secs / 3600 % 24, m = secs / 60 % 60, s = secs % 60;

	if (d)
		printf("%llu day%s, ", (unsigned long long)d, d == 1 ? "" : "s");
	printf("%02llu:%02llu:%02llu\n", (unsigned long long)h, (unsigned long long)m,
	       (unsigned long long)s);
}

int cmd_uptime(int argc, char **argv)
{
	struct pvx_ctl_dominfo *v;
	struct pvx_ctl *c;
	struct timespec now;
	size_t n;
	int rc;

	c = pvx_connect();
	if (!c)
		return 1;
	rc = pvx_select(c, argc - 1, argv + 1, &v, &n);
	pvx_ctl_close(c);
	if (rc < 0)
		return 1;
	clock_gettime(CLOCK_REALTIME, &now);
	printf("%-32s %5s %s\n", "Name", "ID", "Uptime");
	for (size_t i = 0; i < n; i++) {
		uint64_t t = (uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec;
		uint64_t up = t > v[i].create_time_ns ? t - v[i].create_time_ns : 0;

		printf("%-32s %5d ", v[i].name, v[i].domid);
		print_span(up / 1000000000ull);
	}
	free(v);
	return 0;
}
