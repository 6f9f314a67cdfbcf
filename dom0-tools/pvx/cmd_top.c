/*
 * `pvx top`: the loop. Batch mode (-b, --json) takes a first sample, then
 * prints one iteration per DELAY with the rates over that interval, so
 * every printed figure is a real rate; --json prints one JSON array with
 * an object per iteration, closed even when a signal stops the run early.
 * Interactive mode redraws a full screen every DELAY and reacts to keys
 * at once (sort column, reverse, quit), in raw mode that is restored on
 * any way out (cmd_top_tty.c).
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <pvx/ctlclient.h>
#include <pvx/xs.h>

#include "cmd.h"
#include "cmd_top.h"

struct top_run {
	struct pvx_top_opts o;
	struct pvx_ctl *c;
	struct xs_handle *xs;
	struct pvx_top_sample prev, cur;
	struct pvx_top_row *rows;
};

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Sleeps ms unless a stop signal comes first (then false). */
static bool nap(uint64_t ms)
{
	uint64_t end = mono_ms() + ms, now;

	while (!pvx_top_stop_requested() && (now = mono_ms()) < end)
		poll(NULL, 0, (int)(end - now));
	return !pvx_top_stop_requested();
}

/* cur becomes a new sample (the old cur moves to prev) and rows its rows. */
static int step(struct top_run *r)
{
	struct pvx_top_sample s;
	struct pvx_top_row *rows;
	int rc = pvx_top_sample(r->c, r->xs, &s);

	if (rc < 0) {
		pvx_err("top: cannot read the domains from pvxd: %s", strerror(-rc));
		return rc;
	}
	rows = calloc(s.n ? s.n : 1, sizeof(*rows));
	if (!rows) {
		pvx_top_sample_free(&s);
		return -ENOMEM;
	}
	pvx_top_sample_free(&r->prev);
	r->prev = r->cur;
	r->cur = s;
	pvx_top_rows(r->prev.v ? &r->prev : NULL, &r->cur, rows);
	free(r->rows);
	r->rows = rows;
	return 0;
}

static double interval_s(const struct top_run *r)
{
	return r->prev.v && r->cur.mono_ns > r->prev.mono_ns ?
	       (double)(r->cur.mono_ns - r->prev.mono_ns) / 1e9 : 0;
}

static int run_batch(struct top_run *r)
{
	uint64_t ms = (uint64_t)(r->o.delay_s * 1000);
	int rc = step(r);

	if (rc == 0 && r->o.json)
		printf("[");
	for (long it = 1; rc == 0 && (!r->o.iterations || it <= r->o.iterations); it++) {
		if (!nap(ms) || (rc = step(r)) < 0)
			break;
		pvx_top_sort(r->rows, r->cur.n, r->o.sort, r->o.reverse);
		if (r->o.json) {
			printf(it > 1 ? ",\n" : "\n");
			rc = pvx_top_print_json(r->rows, r->cur.n, &r->cur, interval_s(r));
		} else {
			pvx_top_print_table(r->rows, r->cur.n, &r->cur, &r->o, 0, 0);
			printf("\n");
		}
		fflush(stdout);
	}
	if (r->o.json && (rc == 0 || r->cur.v))
		printf("\n]\n");
	return rc < 0 ? 1 : 0;
}

static void draw(struct top_run *r)
{
	unsigned rows, cols;

	pvx_top_tty_size(&rows, &cols);
	pvx_top_sort(r->rows, r->cur.n, r->o.sort, r->o.reverse);
	fputs("\033[H\033[2J", stdout);
	pvx_top_print_table(r->rows, r->cur.n, &r->cur, &r->o, rows > 4 ? rows - 4 : 1, cols);
	fputs("\nkeys: c cpu%  t cpu(sec)  m mem  n name  i id  s state  v vcpus  "
	      "b block  w network  e events  h hypercalls  r reverse  q quit", stdout);
	fflush(stdout);
}

/* Waits out one DELAY, acting on keys meanwhile; false: quit. */
static bool wait_keys(struct top_run *r)
{
	uint64_t end = mono_ms() + (uint64_t)(r->o.delay_s * 1000), now;
	int key, col;

	while ((now = mono_ms()) < end) {
		key = pvx_top_tty_key((int)(end - now));
		if (key < 0 || key == 'q' || key == 'Q')
			return false;
		if (key == 'r') {
			r->o.reverse = !r->o.reverse;
		} else if ((col = pvx_top_col_by_key(key)) >= 0) {
			r->o.sort = (enum pvx_top_col)col;
		} else {
			continue;
		}
		draw(r); /* the new order at once, same figures */
	}
	return true;
}

static int run_interactive(struct top_run *r)
{
	int rc = pvx_top_tty_enter();

	if (rc < 0) {
		pvx_err("top: needs a terminal on stdin and stdout (use -b for batch mode)");
		return 1;
	}
	for (long it = 1; (rc = step(r)) == 0; it++) {
		draw(r);
		if ((r->o.iterations && it >= r->o.iterations) || !wait_keys(r))
			break;
	}
	pvx_top_tty_leave();
	return rc < 0 ? 1 : 0;
}

int cmd_top(int argc, char **argv)
{
	struct top_run r = { 0 };
	int rc = pvx_top_parse_args(argc, argv, &r.o);

	if (rc)
		return rc;
	r.c = pvx_connect();
	if (!r.c)
		return 1;
	if (xs_open(&r.xs) < 0)
		r.xs = NULL; /* no targets shown, the rest still works */
	pvx_top_signals();
	rc = r.o.batch ? run_batch(&r) : run_interactive(&r);
	pvx_top_sample_free(&r.prev);
	pvx_top_sample_free(&r.cur);
	free(r.rows);
	xs_close(r.xs);
	pvx_ctl_close(r.c);
	return rc;
}
