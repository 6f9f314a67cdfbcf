/*
 * `pvx top` (docs/top.md): a live view of every domain in xentop's
 * spirit. One sample is every domain's counters at one instant (pvxd's
 * dominfo and PVX_CTL_DOMSTATS, xenstore's memory/target, pvx-blkback's
 * and pvx-netback's stats sockets); a row is what is shown: the current
 * sample plus rates, the deltas to the previous sample divided by the
 * time between them. Split by job: options and rates/sorting
 * (cmd_top_calc.c, unit tested), sampling (cmd_top_sample.c), output
 * (cmd_top_print.c), the terminal (cmd_top_tty.c), the loop (cmd_top.c),
 * the blkback.sock client (cmd_top_blk.c).
 */
#ifndef PVX_CLI_TOP_H
#define PVX_CLI_TOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pvx/ctl.h>

#define PVX_TOP_UNKNOWN UINT64_MAX  /* a counter nobody reported */

/* One domain in one sample. */
struct pvx_top_dom {
	int32_t domid;
	char name[PVX_NAME_MAX];
	uint32_t state, type, vcpus;
	uint64_t create_ns;          /* tells a re-used domid apart */
	uint64_t cpu_ns;
	uint64_t mem_kib, target_kib, maxmem_kib; /* target: UNKNOWN if unset */
	uint64_t hypercalls, events; /* UNKNOWN if pvxd lacks DOMSTATS */
	uint32_t nr_vbds, nr_vifs;
	uint64_t rd_reqs, wr_reqs, rd_bytes, wr_bytes;
	uint64_t tx_pkts, tx_bytes, rx_pkts, rx_bytes; /* tx: guest to Dom0 */
};

struct pvx_top_sample {
	uint64_t mono_ns;            /* CLOCK_MONOTONIC when taken */
	double wall;                 /* CLOCK_REALTIME, seconds */
	bool blk_ok, net_ok;         /* the backend's socket answered */
	struct pvx_top_dom *v;
	size_t n;
};

/* What is shown: the current sample and its rates (has_rates false for
 * the first sample of a domain). */
struct pvx_top_row {
	struct pvx_top_dom d;
	bool has_rates;
	double cpu_pct;              /* of one host CPU */
	double rd_rps, wr_rps, rd_bps, wr_bps;
	double tx_pps, tx_bps, rx_pps, rx_bps;
	double ev_ps, hc_ps;         /* < 0: unknown */
};

enum pvx_top_col {
	PVX_TOP_NAME, PVX_TOP_ID, PVX_TOP_STATE, PVX_TOP_CPU, PVX_TOP_CPUSEC,
	PVX_TOP_MEM, PVX_TOP_VCPUS, PVX_TOP_BLK, PVX_TOP_NET, PVX_TOP_EVENTS,
	PVX_TOP_HCALLS, PVX_TOP_NCOLS,
};

struct pvx_top_opts {
	bool batch, json, reverse;
	double delay_s;              /* -d, default 3 */
	long iterations;             /* -n, 0: until quit */
	enum pvx_top_col sort;       /* -s, default cpu */
};

/* cmd_top_calc.c */
/* Parses argv (argv[0] = "top"); 0, or 2 after a one-line usage error. */
int pvx_top_parse_args(int argc, char **argv, struct pvx_top_opts *o);
/* The column named s ("cpu", "mem", ...): -1 if none. */
int pvx_top_col_by_name(const char *s);
const char *pvx_top_col_name(enum pvx_top_col c);
/* The column an interactive key selects, -1 if none. */
int pvx_top_col_by_key(int key);
/* (b - a) / secs; 0 if the counter went back (a device reconnected), is
 * unknown on either side, or no time passed. */
double pvx_top_rate(uint64_t a, uint64_t b, double secs);
/* rows[i] for cur->v[i], with rates against the same domain in prev
 * (matched by domid and creation time; prev may be NULL). */
void pvx_top_rows(const struct pvx_top_sample *prev, const struct pvx_top_sample *cur,
		  struct pvx_top_row *rows);
/* Sorts by col: largest first for figures, A-Z for name and state,
 * ascending id; reverse flips it. Ties go by domid. */
void pvx_top_sort(struct pvx_top_row *rows, size_t n, enum pvx_top_col col, bool reverse);

/* cmd_top_blk.c: pvx-blkback's stats socket (blkif.h). */
struct pvx_blk_stats {
	int32_t domid;
	uint32_t devid;
	uint64_t rd_reqs, wr_reqs, rd_bytes, wr_bytes; /* UNKNOWN if not sent */
};
bool pvx_blk_stats_parse(const char *line, struct pvx_blk_stats *s);
/* *v is malloc'd; -ENOENT / -ECONNREFUSED: the daemon is not running. */
int pvx_blk_stats_read(struct pvx_blk_stats **v, size_t *n);

/* cmd_top_sample.c: fills s (free with pvx_top_sample_free). */
struct pvx_ctl;
struct xs_handle;
/* xs may be NULL (no targets then). */
int pvx_top_sample(struct pvx_ctl *c, struct xs_handle *xs, struct pvx_top_sample *s);
void pvx_top_sample_free(struct pvx_top_sample *s);

/* cmd_top_print.c */
void pvx_top_print_table(const struct pvx_top_row *rows, size_t n,
			 const struct pvx_top_sample *s, const struct pvx_top_opts *o,
			 unsigned max_rows, unsigned width);
/* One iteration as a JSON object on one line (no trailing newline);
 * 0 or -errno. */
int pvx_top_print_json(const struct pvx_top_row *rows, size_t n,
		       const struct pvx_top_sample *s, double interval_s);

/* cmd_top_tty.c: raw mode, restored by pvx_top_tty_leave and on exit. */
int pvx_top_tty_enter(void);
void pvx_top_tty_leave(void);
/* Screen size (24x80 when unknown). */
void pvx_top_tty_size(unsigned *rows, unsigned *cols);
/* Waits up to ms for a key: the key, 0 on timeout, -1 when a signal asked
 * us to stop. */
int pvx_top_tty_key(int ms);
/* SIGINT/SIGTERM/SIGHUP set a flag instead of killing us. */
void pvx_top_signals(void);
bool pvx_top_stop_requested(void);

int cmd_top(int argc, char **argv);

#endif
