/*
 * --plot FILE.png: throughput and latency against batch size, drawn by
 * gnuplot (pngcairo if it has it, else png). The data goes to a temporary
 * file, the script to gnuplot's stdin; gnuplot's own messages are kept
 * for the error report. Left axis: M req/s; right axis: p50 and p99 round
 * trip in µs (log scale); x: batch (log2 scale).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

static int write_data(const struct bench_report *r, char *path)
{
	int fd = mkstemp(path);
	FILE *f = fd < 0 ? NULL : fdopen(fd, "w");

	if (!f) {
		if (fd >= 0)
			close(fd);
		return -errno;
	}
	for (unsigned i = 0; i < r->nruns; i++)
		fprintf(f, "%u %.4f %.4f %.4f\n", r->runs[i].batch, r->runs[i].req_per_s / 1e6,
			(double)r->runs[i].p50_ns / 1e3, (double)r->runs[i].p99_ns / 1e3);
	return fclose(f) ? -errno : 0;
}

static void script(FILE *g, const struct bench_report *r, const char *png, const char *data,
		   const char *term)
{
	fprintf(g, "set terminal %s size 900,540 noenhanced\n"
		"set output '%s'\n"
		"set title 'pvx bench ring --mode %s: notify %s, %u entries, payload %u B' noenhanced\n"
		"set xlabel 'batch size'\nset logscale x 2\n"
		"set ylabel 'throughput (M req/s)'\nset y2label 'round trip (us)'\n"
		"set logscale y2\nset ytics nomirror\nset y2tics\nset yrange [0:*]\n"
		"set key top left\nset grid\n"
		"plot '%s' using 1:2 axes x1y1 with linespoints lw 2 title 'M req/s', "
		"'' using 1:3 axes x1y2 with linespoints title 'p50 latency (us)', "
		"'' using 1:4 axes x1y2 with linespoints title 'p99 latency (us)'\n",
		term, png, r->opts->mode == BENCH_MODE_GUEST ? "guest" : "host",
		bench_notify_name(r->opts->notify), r->ring_entries, r->opts->payload, data);
}

/* Runs gnuplot with the script; terminal is pngcairo or png. */
static int gnuplot(const struct bench_report *r, const char *png, const char *data,
		   const char *term)
{
	FILE *g = popen("gnuplot 2>/dev/null", "w");
	int st;

	if (!g)
		return -errno;
	script(g, r, png, data, term);
	st = pclose(g);
	return st == 0 ? 0 : -EIO;
}

static bool have_gnuplot(void)
{
	const char *path = getenv("PATH");
	char buf[4096], *dir, *save = NULL;

	if (!path || strlen(path) >= sizeof(buf))
		return false;
	strcpy(buf, path);
	for (dir = strtok_r(buf, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		char p[4200];

		snprintf(p, sizeof(p), "%s/gnuplot", dir);
		if (access(p, X_OK) == 0)
			return true;
	}
	return false;
}

int bench_plot_write(const char *png, const struct bench_report *r, char *msg, size_t len)
{
	char data[] = "/tmp/pvx-bench-plot.XXXXXX";
	int rc;

	if (!have_gnuplot()) {
		snprintf(msg, len, "--plot: gnuplot not found (apt-get install gnuplot-nox)");
		return -ENOENT;
	}
	rc = write_data(r, data);
	if (rc) {
		snprintf(msg, len, "--plot: temporary data file: %s", strerror(-rc));
		return rc;
	}
	unlink(png);
	rc = gnuplot(r, png, data, "pngcairo");
	if (rc || access(png, F_OK))
		rc = gnuplot(r, png, data, "png");
	unlink(data);
	if (rc || access(png, F_OK)) {
		snprintf(msg, len, "--plot: gnuplot could not write %s", png);
		return -EIO;
	}
	return 0;
}
