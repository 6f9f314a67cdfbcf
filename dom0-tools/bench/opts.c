/*
 * `bench ring` options: one table row per option, one small handler per
 * row (STYLE §12). A handler checks its value completely and says what was
 * wrong in one line ("--batch: '0' is not an integer in 1..4096"); checks
 * that involve several options (a batch larger than the outstanding limit)
 * run once after the whole line has been read.
 *
 * Accepted forms: "--name VALUE" and "--name=VALUE".
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <sched.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

struct opt {
	const char *name;
	bool has_arg;
	int (*fn)(struct bench_opts *o, const char *v, char *msg, size_t len);
};

static int bad(char *msg, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int bad(char *msg, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, len, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* A decimal integer in [lo, hi], optional K/M suffix (x1024) when sized. */
static int parse_uint(const char *v, unsigned long lo, unsigned long hi, bool sized,
		      unsigned long *out)
{
	char *end;
	unsigned long x;

	if (!v || *v < '0' || *v > '9')
		return -EINVAL;
	errno = 0;
	x = strtoul(v, &end, 10);
	if (errno)
		return -EINVAL;
	if (sized && (*end == 'K' || *end == 'k') && x <= ULONG_MAX / 1024)
		x *= 1024, end++;
	else if (sized && (*end == 'M' || *end == 'm') && x <= ULONG_MAX / 1048576)
		x *= 1048576, end++;
	if (*end || x < lo || x > hi)
		return -EINVAL;
	*out = x;
	return 0;
}

static int opt_mode(struct bench_opts *o, const char *v, char *msg, size_t len)
{
	if (!strcmp(v, "host"))
		o->mode = BENCH_MODE_HOST;
	else if (!strcmp(v, "guest"))
		o->mode = BENCH_MODE_GUEST;
	else
		return bad(msg, len, "--mode: '%s' is not host or guest", v);
	return 0;
}

static int opt_notify(struct bench_opts *o, const char *v, char *msg, size_t len)
{
	static const char *const names[] = {
		[BENCH_NOTIFY_ALWAYS] = "always",
		[BENCH_NOTIFY_HOLDOFF] = "holdoff",
		[BENCH_NOTIFY_POLL] = "poll",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(v, names[i])) {
			o->notify = (enum bench_notify)i;
			return 0;
		}
	return bad(msg, len, "--notify: '%s' is not always, holdoff or poll", v);
}

static int opt_ring_pages(struct bench_opts *o, const char *v, char *msg, size_t len)
{
	unsigned long x;

	if (parse_uint(v, 1, BENCH_MAX_RING_PAGES, false, &x) || (x & (x - 1)))
		return bad(msg, len, "--ring-pages: '%s' is not a power of two in 1..%u", v,
			   BENCH_MAX_RING_PAGES);
	o->ring_pages = (unsigned)x;
	return 0;
}

static int opt_batch(struct bench_opts *o, const char *v, char *msg, size_t len)
{
	unsigned long x;

	if (parse_uint(v, 1, BENCH_MAX_BATCH, false, &x))
		return bad(msg, len, "--batch: '%s' is not an integer in 1..%u", v,
			   BENCH_MAX_BATCH);
	o->batches[0] = (unsigned)x;
	o->nbatches = 1;
	return 0;
}

static int opt_sweep(struct bench_opts *o, const char *v, char *msg, size_t len)
{
	char buf[512], *tok, *save = NULL;
	unsigned n = 0;
	unsigned long x;

	if (strlen(v) >= sizeof(buf) || !*v)
		return bad(msg, len, "--sweep-batch: expected a list like 1,2,4,8");
	strcpy(buf, v);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (n == BENCH_MAX_SWEEP)
			return bad(msg, len, "--sweep-batch: more than %d sizes", BENCH_MAX_SWEEP);
		if (parse_uint(tok, 1, BENCH_MAX_BATCH, false, &x))
			return bad(msg, len, "--sweep-batch: '%s' is not an integer in 1..%u",
				   tok, BENCH_MAX_BATCH);
		o->batches[n++] = (unsigned)x;
	}
	if (n == 0 || v[strlen(v) - 1] == ',' || strstr(v, ",,"))
		return bad(msg, len, "--sweep-batch: '%s' has an empty entry", v);
	o->nbatches = n;
	return 0;
}

static int opt_outstanding(struct bench_opts *o, const char *v, char *msg, size_t len)
{
	unsigned long x;

	if (parse_uint(v, 1, 1u << 20, false, &x))
		return bad(msg, len, "--outstanding: '%s' is not a positive integer", v);
	o->outstanding = (unsigned)x;
	return 0;
}

static int opt_payload(struct bench_opts *o, const char *v, char *msg, size_t len)
{
	unsigned long x;

	if (parse_uint(v, 0, BENCH_MAX_PAYLOAD, true, &x))
		return bad(msg, len, "--payload: '%s' is not a size in 0..%u (K, M allowed)", v,
			   BENCH_MAX_PAYLOAD);
	o->payload = (unsigned)x;
	return 0;
}

static int opt_duration(struct bench_opts *o, const char *v, char *msg, size_t len)
{
	char *end;
	double d;

	errno = 0;
	d = strtod(v, &end);
	if (errno || end == v || *end || !isfinite(d) || d < 0.05 || d > 3600)
		return bad(msg, len, "--duration: '%s' is not a number of seconds in 0.05..3600", v);
	o->duration = d;
	return 0;
}

static int opt_spin(struct bench_opts *o, const char *v, char *msg, size_t len)
{
	unsigned long x;

	if (parse_uint(v, 0, 1000000, false, &x))
		return bad(msg, len, "--spin: '%s' is not a number of microseconds in 0..1000000", v);
	o->spin_us = (unsigned)x;
	return 0;
}

static int opt_repeat(struct bench_opts *o, const char *v, char *msg, size_t len)
{
	unsigned long x;

	if (parse_uint(v, 1, BENCH_MAX_REPEAT, false, &x))
		return bad(msg, len, "--repeat: '%s' is not an integer in 1..%u", v, BENCH_MAX_REPEAT);
	o->repeat = (unsigned)x;
	return 0;
}

static int opt_cpus(struct bench_opts *o, const char *v, char *msg, size_t len)
{
	char a[16], b[16];
	const char *comma = strchr(v, ',');
	unsigned long x, y;

	if (!comma || (size_t)(comma - v) >= sizeof(a) || strlen(comma + 1) >= sizeof(b))
		return bad(msg, len, "--cpus: '%s' is not two CPU numbers A,B", v);
	memcpy(a, v, (size_t)(comma - v));
	a[comma - v] = '\0';
	strcpy(b, comma + 1);
	if (parse_uint(a, 0, CPU_SETSIZE - 1, false, &x) ||
	    parse_uint(b, 0, CPU_SETSIZE - 1, false, &y))
		return bad(msg, len, "--cpus: '%s' is not two CPU numbers A,B", v);
	if (!bench_cpu_usable((int)x) || !bench_cpu_usable((int)y))
		return bad(msg, len, "--cpus: CPU %lu is not available to this process",
			   bench_cpu_usable((int)x) ? y : x);
	o->cpu_front = (int)x;
	o->cpu_back = (int)y;
	return 0;
}

static int opt_csv(struct bench_opts *o, const char *v, char *msg, size_t len)
{
	(void)msg, (void)len;
	o->csv = v;
	return 0;
}

static int opt_json(struct bench_opts *o, const char *v, char *msg, size_t len)
{
	(void)msg, (void)len;
	o->json = v;
	return 0;
}

static int opt_plot(struct bench_opts *o, const char *v, char *msg, size_t len)
{
	(void)msg, (void)len;
	o->plot = v;
	return 0;
}

static int opt_baselines(struct bench_opts *o, const char *v, char *msg, size_t len)
{
	(void)v, (void)msg, (void)len;
	o->baselines = true;
	return 0;
}

static int opt_no_baselines(struct bench_opts *o, const char *v, char *msg, size_t len)
{
	(void)v, (void)msg, (void)len;
	o->baselines = false;
	return 0;
}

static int opt_rt_cycles(struct bench_opts *o, const char *v, char *msg, size_t len)
{
	unsigned long x;

	if (parse_uint(v, 1000, INT_MAX - 1, false, &x))
		return bad(msg, len, "--ringtest-cycles: '%s' is not an integer in 1000..%d", v,
			   INT_MAX - 1);
	o->ringtest_cycles = (long)x;
	return 0;
}

static int opt_grant_copy(struct bench_opts *o, const char *v, char *msg, size_t len)
{
	(void)v, (void)msg, (void)len;
	o->grant_copy = true;
	return 0;
}

static int opt_kernel(struct bench_opts *o, const char *v, char *msg, size_t len)
{
	if (!*v)
		return bad(msg, len, "--kernel: empty path");
	o->kernel = v;
	return 0;
}

/* The guest's domain type; without it pvx create chooses (docs/config.md),
 * so the benchmark runs on hosts with and without KVM. */
static int opt_type(struct bench_opts *o, const char *v, char *msg, size_t len)
{
	if (strcmp(v, "pvh") && strcmp(v, "pv"))
		return bad(msg, len, "--type: '%s' is not pvh or pv", v);
	o->type = v;
	return 0;
}

static const struct opt opts[] = {
	{ "kernel", true, opt_kernel },
	{ "type", true, opt_type },
	{ "grant-copy", false, opt_grant_copy },
	{ "mode", true, opt_mode },
	{ "notify", true, opt_notify },
	{ "ring-pages", true, opt_ring_pages },
	{ "batch", true, opt_batch },
	{ "sweep-batch", true, opt_sweep },
	{ "outstanding", true, opt_outstanding },
	{ "payload", true, opt_payload },
	{ "duration", true, opt_duration },
	{ "spin", true, opt_spin },
	{ "repeat", true, opt_repeat },
	{ "cpus", true, opt_cpus },
	{ "csv", true, opt_csv },
	{ "json", true, opt_json },
	{ "plot", true, opt_plot },
	{ "baselines", false, opt_baselines },
	{ "no-baselines", false, opt_no_baselines },
	{ "ringtest-cycles", true, opt_rt_cycles },
};

static void defaults(struct bench_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->mode = BENCH_MODE_HOST;
	o->notify = BENCH_NOTIFY_POLL;
	o->ring_pages = 2;
	o->duration = 5.0;
	o->cpu_front = bench_cpu_usable(0) ? 0 : -1;
	o->cpu_back = bench_cpu_usable(1) ? 1 : -1;
	o->batches[0] = 32;
	o->nbatches = 1;
	o->baselines = true;
	o->ringtest_cycles = 10000000;
	o->repeat = 1;
}

/* Options that constrain each other, checked once all are known. */
static int cross_check(const struct bench_opts *o, char *msg, size_t len)
{
	uint32_t ents = bench_ring_entries(o->ring_pages);
	unsigned out = bench_outstanding(o);

	if (o->outstanding > ents)
		return bad(msg, len, "--outstanding: %u exceeds the %u entries of a %u-page ring",
			   o->outstanding, ents, o->ring_pages);
	for (unsigned i = 0; i < o->nbatches; i++)
		if (o->batches[i] > out)
			return bad(msg, len, "batch %u exceeds the %u outstanding requests "
				   "(raise --outstanding or --ring-pages)", o->batches[i], out);
	if (o->grant_copy && o->mode != BENCH_MODE_GUEST)
		return bad(msg, len, "--grant-copy: only in guest mode (host mode has no grants)");
	return o->mode == BENCH_MODE_GUEST ? bench_guest_check(o, msg, len) : 0;
}

static const struct opt *find(const char *name, size_t n)
{
	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if (strlen(opts[i].name) == n && !strncmp(opts[i].name, name, n))
			return &opts[i];
	return NULL;
}

int bench_opts_parse(struct bench_opts *o, int argc, char **argv, FILE *err)
{
	char msg[BENCH_MSG_LEN] = "";
	int r = 0;

	defaults(o);
	for (int i = 1; i < argc && !r; i++) {
		const char *a = argv[i], *eq, *val = NULL;
		const struct opt *p;

		if (strncmp(a, "--", 2) != 0) {
			r = bad(msg, sizeof(msg), "unexpected argument '%s'", a);
			break;
		}
		eq = strchr(a + 2, '=');
		p = find(a + 2, eq ? (size_t)(eq - a - 2) : strlen(a + 2));
		if (!p)
			r = bad(msg, sizeof(msg), "unknown option '%s'", a);
		else if (p->has_arg && eq)
			val = eq + 1;
		else if (p->has_arg && i + 1 < argc)
			val = argv[++i];
		else if (p->has_arg)
			r = bad(msg, sizeof(msg), "--%s needs a value", p->name);
		else if (eq)
			r = bad(msg, sizeof(msg), "--%s takes no value", p->name);
		if (!r)
			r = p->fn(o, val, msg, sizeof(msg));
	}
	if (!r)
		r = cross_check(o, msg, sizeof(msg));
	if (r)
		fprintf(err, "pvx bench ring: %s\n", msg);
	return r;
}

void bench_opts_usage(FILE *f)
{
	fputs("usage: pvx bench ring [options]   (docs/bench-ring.md)\n"
	      "  --mode host|guest        host: two processes over a memfd ring; guest: a minios\n"
	      "                           frontend and a Dom0 backend in this process ($PVX_RUNDIR)\n"
	      "  --kernel FILE            guest mode: the minios image (default: ../guest/minios\n"
	      "                           next to this program)\n"
	      "  --type pvh|pv            guest mode: the domain type (default: pvx create chooses)\n"
	      "  --grant-copy             guest mode: copy payloads (GNTTABOP_copy, one call per\n"
	      "                           batch) instead of mapping the data pages for the run\n"
	      "  --ring-pages N           ring size in pages, power of two (default 2)\n"
	      "  --batch N                requests published per push (default 32)\n"
	      "  --sweep-batch LIST       run several batch sizes, e.g. 1,2,4,8,16,32,64\n"
	      "  --outstanding N          requests in flight at most (default: ring entries)\n"
	      "  --payload BYTES          data per request, copied by the backend (default 0)\n"
	      "  --notify always|holdoff|poll   notification policy (default poll)\n"
	      "  --duration SECONDS       measured time per run (default 5)\n"
	      "  --spin USEC              holdoff/always: poll this long before sleeping (default 0)\n"
	      "  --repeat N               whole measurement N times, report medians (default 1)\n"
	      "  --cpus A,B               pin frontend to A, backend to B (default 0,1)\n"
	      "  --csv FILE  --json FILE  --plot FILE.png   write results\n"
	      "  --no-baselines           skip eventfd/pipe/cache-line/ringtest baselines\n"
	      "  --ringtest-cycles N      buffers per ringtest run (default 10000000)\n", f);
}

const char *bench_notify_name(enum bench_notify n)
{
	return n == BENCH_NOTIFY_ALWAYS ? "always" : n == BENCH_NOTIFY_HOLDOFF ? "holdoff" : "poll";
}

uint32_t bench_ring_entries(unsigned ring_pages)
{
	return bench_ring_size((size_t)ring_pages * BENCH_PAGE);
}

unsigned bench_outstanding(const struct bench_opts *o)
{
	return o->outstanding ? o->outstanding : bench_ring_entries(o->ring_pages);
}
